from support.drivers.sign_in import path_of, token_of
from support.harness.http import Exchange

TOKEN = "abcdefghijklmnopqrstuvwxyz0123456789ABCD_-Z"


def page(body: str, headers=()) -> Exchange:
    return Exchange(actor="Theo", method="GET", url="http://127.0.0.1:8000/auth/magic-link", request_headers=[],
                    request_body="", status=200, response_headers=list(headers), response_body=body,
                    elapsed_ms=1.0)


def test_token_of_a_link():
    assert token_of(f"http://127.0.0.1:8000/auth/magic-link?token={TOKEN}") == TOKEN
    assert token_of(f"http://p/auth/magic-link?next=/x&token={TOKEN}&lang=en") == TOKEN


def test_token_of_a_link_without_one_is_empty():
    assert token_of("http://p/auth/magic-link") == ""
    assert token_of("http://p/auth/magic-link?token=") == ""


def test_path_of_a_link_keeps_path_and_query():
    assert path_of(f"http://127.0.0.1:8000/auth/magic-link?token={TOKEN}") == f"/auth/magic-link?token={TOKEN}"
    assert path_of("https://portal.example/projects/42") == "/projects/42"
