from support.drivers.pages import GuestPage, first_form
from support.harness.http import Exchange

TOKEN = "abcdefghijklmnopqrstuvwxyz0123456789ABCD_-Z"


def page(body: str, headers=()) -> Exchange:
    return Exchange(actor="Theo", method="GET", url="http://127.0.0.1:8000/auth/magic-link", request_headers=[],
                    request_body="", status=200, response_headers=list(headers), response_body=body,
                    elapsed_ms=1.0)


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
    form = first_form(page(CONFIRM_PAGE))
    assert (form.action, form.method) == ("/auth/magic-link", "post")
    assert form.fields == {"token": TOKEN, "next": "/projects/42", "remember": ""}


def test_a_form_without_a_method_is_a_get():
    form = first_form(page('<form action="/search"><input name="q" value="cut"></form>'))
    assert (form.action, form.method, form.fields) == ("/search", "get", {"q": "cut"})


def test_the_first_form_gives_the_action():
    form = first_form(page('<form action="/a" method="post"></form><form action="/b" method="get"></form>'))
    assert (form.action, form.method) == ("/a", "post")


def test_a_page_without_a_form_has_no_first_form():
    assert first_form(page("<h1>This sign-in link can't be used</h1>")) is None


def test_the_page_of_a_cut():
    page = GuestPage('<h1 id="title">Harbour Lights</h1><p id="version">Version 3 · 4:32</p>'
                     f'<video id="player" controls src="/s/{TOKEN}/playback"></video>'
                     f'<p><a id="download" href="/s/{TOKEN}/download">Download this cut</a></p>')
    assert (page.heading, page.texts["version"]) == ("Harbour Lights", "Version 3 · 4:32")
    assert (page.player, page.download) == (f"/s/{TOKEN}/playback", f"/s/{TOKEN}/download")
    assert page.password_field is False


def test_the_password_page():
    page = GuestPage('<h1>This cut is protected by a password</h1><p id="wrong-password">That password is not right.</p>'
                     '<form method="post" action="/s/x/unlock"><input type="password" name="password"></form>')
    assert page.password_field is True
    assert page.texts == {"wrong-password": "That password is not right."}
    assert (page.player, page.download) == (None, None)
