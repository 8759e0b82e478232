"""GET /metrics answers the trusted network and the token; anyone else the plain 404."""
import contextlib

from fastapi import FastAPI
from fastapi.testclient import TestClient

from portal.config import Settings
from portal.web.errors import install_error_handlers
from portal.web.metrics import router

from tests.portal.test_metrics import FakeConn

SETTINGS = Settings(database_url="postgresql://u@127.0.0.1:9/portal", public_url="http://portal.example",
                    metrics_token="the-token")


class FakePool:
    @contextlib.contextmanager
    def connection(self):
        yield FakeConn()


def client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(router)
    app.state.settings, app.state.pool = SETTINGS, FakePool()
    return TestClient(app)


def test_anyone_without_the_token_gets_the_plain_404_of_an_unknown_address():
    c = client()
    refused, unknown = c.get("/metrics"), c.get("/no-such-address")
    assert (refused.status_code, refused.json()) == (unknown.status_code, unknown.json()) == (404, unknown.json())
    assert c.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404


def test_the_token_reads_the_metrics_in_the_prometheus_text_format():
    r = client().get("/metrics", headers={"Authorization": "Bearer the-token"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert "portal_emails" in r.text


def test_the_metrics_are_not_in_the_openapi_document():
    app = FastAPI()
    app.include_router(router)
    assert "/metrics" not in app.openapi()["paths"]
