"""Assertions whose failure says who asked, what they asked, and what came back."""
from __future__ import annotations

from support.harness.http import Exchange


def answered(world, exchange: Exchange, *statuses: int, meaning: str = "") -> Exchange:
    if exchange.status not in statuses:
        expected = " or ".join(str(s) for s in statuses)
        intro = f"expected {meaning} ({expected})" if meaning else f"expected {expected}"
        raise AssertionError(f"{intro}, but {exchange.summary(world.secrets)}")
    return exchange


def refused(world, exchange: Exchange, status: int, code: str, meaning: str = "") -> dict:
    """The answer is `status` with the JSON error `code`; returns the error (code, message, fields)."""
    answered(world, exchange, status, meaning=meaning)
    try:
        error = exchange.json()["error"]
    except (ValueError, KeyError, TypeError):
        error = None
    if not isinstance(error, dict) or error.get("code") != code:
        raise AssertionError(f"expected {meaning or 'a refusal'} with the error {code}, but "
                             f"{exchange.summary(world.secrets)}")
    return error


def in_error_shape(world, exchange: Exchange, code: str) -> dict:
    """The answer's body is the standard error shape, with the JSON error `code`: one key, `error`,
    holding a `code`, a `message` that says something, and at most the `fields` it names. Returns
    the error."""
    try:
        body = exchange.json()
    except ValueError:
        raise AssertionError(f"expected the standard error shape, but {exchange.summary(world.secrets)}") from None
    assert isinstance(body, dict) and list(body) == ["error"], f"the error shape has exactly one key, 'error': {body}"
    error = body["error"]
    assert isinstance(error, dict) and error.get("code") == code, f"expected the error {code}: {body}"
    assert isinstance(error.get("message"), str) and error["message"].strip(), f"the error message is empty: {body}"
    assert set(error) <= {"code", "message", "fields"}, f"unexpected keys in the error: {error}"
    return error


# headers whose value is the caller's own count (the JSON API's budget): both answers must carry
# them, but their values say how many requests this caller made, not what was asked about
COUNTING_HEADERS = ("ratelimit",)


def same_answer(world, first: Exchange, second: Exchange, ignore_headers=("x-request-id", "date", "retry-after")):
    """Two answers a client could tell apart by status, body or headers are not the same answer."""
    def view(e: Exchange):
        headers = sorted((k.lower(), "" if k.lower() in COUNTING_HEADERS else v) for k, v in e.response_headers
                         if k.lower() not in ignore_headers and k.lower() != "content-length")
        return e.status, e.response_body, headers

    if view(first) != view(second):
        raise AssertionError(
            "the two answers differ, so a client can tell them apart:\n"
            f"  {first.summary(world.secrets)}\n  {second.summary(world.secrets)}"
        )
