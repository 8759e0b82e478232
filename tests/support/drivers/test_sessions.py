from support.drivers.sessions import cookie_attributes, session_cookie_header
from support.harness.http import Exchange


def page(body: str, headers=()) -> Exchange:
    return Exchange(actor="Theo", method="GET", url="http://127.0.0.1:8000/auth/magic-link", request_headers=[],
                    request_body="", status=200, response_headers=list(headers), response_body=body,
                    elapsed_ms=1.0)


def test_cookie_attributes():
    header = "portal_session=abc; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=43200"
    assert cookie_attributes(header) == {"httponly": "", "secure": "", "samesite": "Lax", "path": "/",
                                         "max-age": "43200"}


def test_cookie_attributes_of_a_bare_cookie():
    assert cookie_attributes("portal_session=abc") == {}


def test_session_cookie_header_picks_the_session_cookie():
    exchange = page("", headers=[("set-cookie", "theme=dark; Path=/"),
                                 ("Set-Cookie", "portal_session=abc; HttpOnly; SameSite=Lax")])
    assert session_cookie_header(exchange) == "portal_session=abc; HttpOnly; SameSite=Lax"
    assert session_cookie_header(page("", headers=[("set-cookie", "theme=dark")])) is None
