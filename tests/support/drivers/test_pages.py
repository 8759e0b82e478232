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


# -- where a form post comes from ------------------------------------------------------------------

import types  # noqa: E402

import pytest  # noqa: E402

from support.drivers.pages import CROSS_SITE_POSTS, OWN_PAGE_POSTS, form_origin, refused_as_cross_site  # noqa: E402


def _client(base="http://127.0.0.1:8123"):
    return types.SimpleNamespace(http=types.SimpleNamespace(base_url=base + "/"))


def test_an_own_page_post_names_the_portal_itself():
    assert form_origin(_client(), "as a current browser says it") == {
        "Origin": "http://127.0.0.1:8123", "Sec-Fetch-Site": "same-origin"}
    assert form_origin(_client(), "as a client that says nothing about where it comes from") == {}


def test_cross_site_posts_never_name_the_portal():
    for how in CROSS_SITE_POSTS:
        assert "127.0.0.1" not in str(form_origin(_client(), how))
    assert set(CROSS_SITE_POSTS).isdisjoint(OWN_PAGE_POSTS)


def test_an_unknown_kind_of_post_fails_naming_the_known_ones():
    with pytest.raises(AssertionError, match="saying so in both ways"):
        form_origin(_client(), "by carrier pigeon")


def _refusal(status=403, body='<h1 data-error="cross_site_form">x</h1>', headers=(("cache-control", "no-store"),),
             content_type="text/html; charset=utf-8"):
    exchange = page(body, headers)
    exchange.status, exchange.response_content_type = status, content_type
    return exchange


def test_the_cross_site_refusal_is_recognised_and_its_faults_named():
    assert refused_as_cross_site(_refusal()) is None
    assert "403" in refused_as_cross_site(_refusal(status=303))
    assert "HTML" in refused_as_cross_site(_refusal(content_type="application/json"))
    assert "cross_site_form" in refused_as_cross_site(_refusal(body="<h1>x</h1>"))
    assert "caches" in refused_as_cross_site(_refusal(headers=()))
    assert "cookie" in refused_as_cross_site(_refusal(headers=(("cache-control", "no-store"), ("set-cookie", "a=b"))))
