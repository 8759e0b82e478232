from support.drivers.answers import ANSWERS, administration_listed, comparable_headers, missing_safeguards
from support.harness.http import Exchange

SAFE = [("x-content-type-options", "nosniff"), ("referrer-policy", "no-referrer"), ("x-frame-options", "DENY"),
        ("content-security-policy", "default-src 'none'"), ("cache-control", "no-store"), ("x-request-id", "abc12345")]


def answer(headers=SAFE, body="{}") -> Exchange:
    return Exchange(actor="Ada", method="GET", url="http://127.0.0.1/x", request_headers=[], request_body="",
                    status=200, response_headers=list(headers), response_body=body, elapsed_ms=1.0)


def test_an_answer_with_every_safeguard_lacks_nothing():
    assert missing_safeguards(answer()) == []


def test_each_missing_safeguard_is_named():
    assert any("cache-control" in p for p in missing_safeguards(answer([h for h in SAFE if h[0] != "cache-control"])))
    assert any("server" in p for p in missing_safeguards(answer(SAFE + [("server", "uvicorn")])))
    assert any("nosniff" in p for p in missing_safeguards(answer(SAFE[1:])))


def test_headers_are_compared_without_what_changes_per_request():
    assert comparable_headers(answer(SAFE + [("date", "now")])) == comparable_headers(answer())


def test_every_answer_names_the_status_it_must_have():
    assert all(isinstance(status, int) and 200 <= status < 500 for _, status in ANSWERS.values())


def test_the_administration_is_recognised_in_a_description():
    assert administration_listed(answer(body='{"paths": {"/admin/emails": {}, "/me": {}}}'))
    assert not administration_listed(answer(body='{"paths": {"/me": {}}}'))
