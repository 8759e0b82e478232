"""support/harness/expect.py: assertions that say who asked, what, and what came back."""
from types import SimpleNamespace

import pytest

from support.harness import expect


class _Answer:
    def __init__(self, status, body):
        self.status, self._body = status, body

    def json(self):
        if isinstance(self._body, Exception):
            raise self._body
        return self._body

    def summary(self, secrets):
        return f"the portal answered {self.status}"


WORLD = SimpleNamespace(secrets=set())


def test_a_refusal_with_its_status_and_code_gives_the_error():
    error = {"code": "cut_not_ready", "message": "Not yet."}
    assert expect.refused(WORLD, _Answer(409, {"error": error}), 409, "cut_not_ready") == error


@pytest.mark.parametrize("answer", [
    _Answer(200, {"error": {"code": "cut_not_ready"}}),      # another status
    _Answer(409, {"error": {"code": "another_code"}}),       # another code
    _Answer(409, ValueError("not JSON")),                    # a page, not JSON
    _Answer(409, {"detail": "no error object"}),             # another shape
])
def test_anything_else_fails_naming_the_refusal_expected(answer):
    with pytest.raises(AssertionError, match="expected the share to be refused"):
        expect.refused(WORLD, answer, 409, "cut_not_ready", meaning="the share to be refused")
