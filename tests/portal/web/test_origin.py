"""Which form posts come from another site's page."""
import types

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from portal.web.errors import install_error_handlers
from portal.web.origin import is_cross_site, origin_of, same_origin_form

OWN = {"https://portal.example"}


@pytest.mark.parametrize("url, expected", [
    ("https://portal.example", "https://portal.example"),
    ("https://Portal.Example:443/s/abc", "https://portal.example"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000"),
    ("http://127.0.0.1:80", "http://127.0.0.1"),
    ("http://[::1]:9000", "http://[::1]:9000"),
    ("null", ""),
    ("", ""),
])
def test_origin_of_is_what_browsers_send(url, expected):
    assert origin_of(url) == expected


@pytest.mark.parametrize("origin, fetch_site", [
    ("https://evil.example", None),
    (None, "cross-site"),
    (None, "same-site"),
    ("https://evil.example", "cross-site"),
    ("null", None),
    ("https://portal.example.evil.example", None),
    ("http://portal.example", None),          # another scheme is another origin
    ("https://portal.example", "cross-site"),  # either signal is enough
])
def test_posts_from_other_sites_are_cross_site(origin, fetch_site):
    assert is_cross_site(origin, fetch_site, OWN)


@pytest.mark.parametrize("origin, fetch_site", [
    ("https://portal.example", "same-origin"),
    ("https://portal.example", None),
    (None, "same-origin"),
    (None, "none"),
    (None, None),  # no current browser: decided in the README
    ("https://PORTAL.example:443", "Same-Origin"),
])
def test_posts_from_the_portal_itself_are_not(origin, fetch_site):
    assert not is_cross_site(origin, fetch_site, OWN)


def test_the_dependency_answers_the_refusal_page():
    app = FastAPI()
    app.state.settings = types.SimpleNamespace(public_url="https://portal.example")
    install_error_handlers(app)

    @app.post("/form", dependencies=[Depends(same_origin_form)])
    def form():
        return {"ok": True}

    client = TestClient(app, base_url="http://testserver")
    refused = client.post("/form", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403
    assert 'data-error="cross_site_form"' in refused.text
    assert refused.headers["cache-control"] == "no-store"
    assert client.post("/form", headers={"Origin": "https://portal.example"}).status_code == 200
    assert client.post("/form", headers={"Origin": "http://testserver"}).status_code == 200
