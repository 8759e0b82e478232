"""The error shape, seen through a tiny app wired like the portal's."""
import json
import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict

from portal.web.errors import ApiError, error_body, install_error_handlers
from portal.web.middleware import BodySizeLimitMiddleware, RequestContextMiddleware

LIMIT = 1024
LEAKY_MESSAGE = "password=hunter2 at postgresql://portal:hunter2@db.internal/portal"


class Cut(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    version: int


def build_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/cuts")
    def create_cut(cut: Cut):
        return {"title": cut.title, "version": cut.version}

    @app.get("/boom")
    def boom():
        raise RuntimeError(LEAKY_MESSAGE)

    @app.get("/conflict")
    def conflict():
        raise ApiError(409, "already_shared", "This cut is already shared.", headers={"Retry-After": "5"})

    @app.get("/invalid")
    def invalid():
        raise ApiError(422, "bad_cut", "Check the cut.", fields={"title": "Too long."})

    app.add_middleware(BodySizeLimitMiddleware, max_bytes=LIMIT)
    app.add_middleware(RequestContextMiddleware)
    return app


@pytest.fixture(scope="module")
def client():
    with TestClient(build_app(), raise_server_exceptions=False) as c:
        yield c


def test_a_valid_request_goes_through(client):
    r = client.post("/cuts", json={"title": "Final cut", "version": 3})
    assert (r.status_code, r.json()) == (200, {"title": "Final cut", "version": 3})


@pytest.mark.parametrize("raw", [b'{"title": ', b"{title: 'x'}", b'{"title": "x", "version": 1,}'])
def test_malformed_json_is_400(client, raw):
    r = client.post("/cuts", content=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json() == {"error": {"code": "malformed_json", "message": "The request body is not valid JSON."}}


def test_a_wrong_type_is_422_naming_the_field(client):
    r = client.post("/cuts", json={"title": "Final cut", "version": "three"})
    assert r.status_code == 422
    assert r.json() == {"error": {
        "code": "validation_failed",
        "message": "Some fields are missing or invalid.",
        "fields": {"version": "Input should be a valid integer, unable to parse string as an integer."},
    }}


def test_an_unknown_field_is_422_naming_the_field(client):
    r = client.post("/cuts", json={"title": "Final cut", "version": 3, "is_admin": True})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "validation_failed"
    assert r.json()["error"]["fields"] == {"is_admin": "This field is not allowed."}


def test_missing_fields_are_each_named(client):
    r = client.post("/cuts", json={})
    assert r.status_code == 422
    assert r.json()["error"]["fields"] == {"title": "This field is required.", "version": "This field is required."}


def test_a_json_body_that_is_not_an_object_is_422_without_fields(client):
    r = client.post("/cuts", json=["Final cut", 3])
    assert r.status_code == 422
    assert r.json() == {"error": {"code": "validation_failed", "message": "The request body must be a JSON object."}}


def test_no_body_at_all_is_400_missing_body(client):
    r = client.post("/cuts")
    assert r.status_code == 400
    assert r.json() == {"error": {"code": "missing_body", "message": "The request needs a JSON body."}}


@pytest.mark.parametrize("content_type, body", [
    ("application/x-www-form-urlencoded", b"title=Final+cut&version=3"),
    ("text/plain", b'{"title": "Final cut", "version": 3}'),
])
def test_a_body_that_is_not_json_is_415(client, content_type, body):
    r = client.post("/cuts", content=body, headers={"Content-Type": content_type})
    assert r.status_code == 415
    assert r.json() == {"error": {
        "code": "unsupported_media_type",
        "message": "Send the request body as JSON (Content-Type: application/json).",
    }}


def test_a_json_suffix_content_type_counts_as_json(client):
    r = client.post("/cuts", content=b'{"title": 1}', headers={"Content-Type": "application/merge-patch+json"})
    assert r.status_code != 415


def test_an_unknown_path_is_404_in_the_same_shape(client):
    r = client.get("/nowhere")
    assert (r.status_code, r.json()) == (404, {"error": {"code": "not_found", "message": "Nothing is here."}})


def test_a_wrong_method_is_405_in_the_same_shape(client):
    r = client.delete("/cuts")
    assert r.status_code == 405
    assert r.json()["error"]["code"] == "method_not_allowed"


def test_an_api_error_keeps_its_code_fields_and_headers(client):
    r = client.get("/conflict")
    assert (r.status_code, r.headers["retry-after"]) == (409, "5")
    assert r.json() == {"error": {"code": "already_shared", "message": "This cut is already shared."}}
    r = client.get("/invalid")
    assert r.json() == {"error": {"code": "bad_cut", "message": "Check the cut.", "fields": {"title": "Too long."}}}


def test_an_unhandled_exception_is_a_generic_500(client, caplog):
    with caplog.at_level(logging.ERROR, logger="portal.errors"):
        r = client.get("/boom")
    assert r.status_code == 500
    assert r.json() == {"error": {
        "code": "internal_error",
        "message": "Something went wrong on our side. Quote the X-Request-ID header when you report it.",
    }}
    for leak in ("hunter2", "postgresql://", "RuntimeError", "Traceback", "db.internal"):
        assert leak not in r.text
    # the details go to the log instead: one JSON line, the secrets in the message masked
    [record] = [rec for rec in caplog.records if rec.name == "portal.errors"]
    entry = json.loads(record.getMessage())
    assert (entry["event"], entry["status"], entry["error"], entry["method"]) == ("unhandled_error", 500, "RuntimeError", "GET")
    assert "\n" not in record.getMessage() and record.exc_info is None
    assert "password=***" in entry["traceback"] and "postgresql://portal:***@db.internal" in entry["traceback"]
    assert "hunter2" not in record.getMessage()


def test_an_unhandled_exception_still_carries_a_request_id(client):
    r = client.get("/boom", headers={"X-Request-ID": "support-case-0001"})
    assert r.headers.get("x-request-id") == "support-case-0001"


def test_error_body_omits_empty_fields():
    assert error_body("c", "m") == {"error": {"code": "c", "message": "m"}}
    assert error_body("c", "m", {}) == {"error": {"code": "c", "message": "m"}}
    assert error_body("c", "m", {"f": "x"}) == {"error": {"code": "c", "message": "m", "fields": {"f": "x"}}}


def test_the_unhandled_error_log_line_carries_the_request_id(client, caplog):
    from portal.request_id import RequestIdLogFilter

    id_filter = RequestIdLogFilter()
    caplog.handler.addFilter(id_filter)
    try:
        with caplog.at_level(logging.ERROR, logger="portal.errors"):
            client.get("/boom", headers={"X-Request-ID": "support-case-0002"})
    finally:
        caplog.handler.removeFilter(id_filter)
    records = [rec for rec in caplog.records if rec.name == "portal.errors"]
    assert [rec.request_id for rec in records] == ["support-case-0002"]


def test_a_405_names_every_method_of_the_address_and_head_with_get():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from portal.web.errors import install_error_handlers

    app = FastAPI()
    install_error_handlers(app)
    app.get("/things")(lambda: [])
    app.post("/things")(lambda: {})
    app.delete("/things/{id}")(lambda id: None)
    with TestClient(app) as c:
        refused = c.put("/things")
        assert (refused.status_code, refused.headers["allow"]) == (405, "GET, HEAD, POST")
        assert c.put("/things/1").headers["allow"] == "DELETE"
