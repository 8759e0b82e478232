import base64

import pytest

from support.harness.http import Exchange
from support.drivers.sign_in import confirmation_form, cookie_attributes, key_bits, path_of, session_cookie_header, token_of

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


def test_cookie_attributes():
    header = "portal_session=abc; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=43200"
    assert cookie_attributes(header) == {"httponly": "", "secure": "", "samesite": "Lax", "path": "/",
                                         "max-age": "43200"}


def test_cookie_attributes_of_a_bare_cookie():
    assert cookie_attributes("portal_session=abc") == {}


def test_key_bits():
    assert key_bits(TOKEN) == 256
    assert key_bits(base64.urlsafe_b64encode(b"\x00" * 16).decode().rstrip("=")) == 128
    assert key_bits("") == 0


@pytest.mark.parametrize("bad", ["a", "A" * 42 + "!"])
def test_key_bits_of_something_undecodable_is_zero(bad):
    assert key_bits(bad) == 0


CONFIRM_PAGE = f"""<!doctype html>
<html><body>
  <h1>Sign in to the portal</h1>
  <form method="POST" action="/auth/magic-link">
    <input type="hidden" name="token" value="{TOKEN}">
    <input type="hidden" name="next" value="/projects/42">
    <input type="checkbox" name="remember">
    <button type="submit">Sign in</button>
  </form>
</body></html>"""


def test_confirmation_form_reads_action_method_and_fields():
    form = confirmation_form(page(CONFIRM_PAGE))
    assert (form.action, form.method) == ("/auth/magic-link", "post")
    assert form.fields == {"token": TOKEN, "next": "/projects/42", "remember": ""}


def test_a_form_without_a_method_is_a_get():
    form = confirmation_form(page('<form action="/search"><input name="q" value="cut"></form>'))
    assert (form.action, form.method, form.fields) == ("/search", "get", {"q": "cut"})


def test_the_first_form_gives_the_action():
    form = confirmation_form(page('<form action="/a" method="post"></form><form action="/b" method="get"></form>'))
    assert (form.action, form.method) == ("/a", "post")


def test_a_page_without_a_form_has_no_confirmation_form():
    assert confirmation_form(page("<h1>This sign-in link can't be used</h1>")) is None


def test_session_cookie_header_picks_the_session_cookie():
    exchange = page("", headers=[("set-cookie", "theme=dark; Path=/"),
                                 ("Set-Cookie", "portal_session=abc; HttpOnly; SameSite=Lax")])
    assert session_cookie_header(exchange) == "portal_session=abc; HttpOnly; SameSite=Lax"
    assert session_cookie_header(page("", headers=[("set-cookie", "theme=dark")])) is None
