"""Request ids and the body size cap, through a tiny app and directly as ASGI."""
import asyncio
import json
import logging
import re

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from portal.request_id import RequestIdLogFilter
from portal.request_id import current as request_id_var
from portal.web.errors import install_error_handlers
from portal.web.middleware import BodySizeLimitMiddleware, RequestContextMiddleware

LIMIT = 1024
GENERATED_ID = re.compile(r"^[0-9a-f]{32}$")


def build_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    log = logging.getLogger("tests.middleware.app")

    @app.post("/echo")
    async def echo(request: Request):
        body = await request.body()
        return {"size": len(body), "request_id": request_id_var.get()}

    @app.get("/whoami")
    def whoami():
        log.warning("inside the handler")
        return {"request_id": request_id_var.get()}

    app.add_middleware(BodySizeLimitMiddleware, max_bytes=LIMIT)
    app.add_middleware(RequestContextMiddleware)
    return app


@pytest.fixture(scope="module")
def client():
    with TestClient(build_app(), raise_server_exceptions=False) as c:
        yield c


TOO_LARGE = {"error": {"code": "payload_too_large", "message": f"The request body is larger than {LIMIT} bytes."}}


def test_a_body_at_the_limit_reaches_the_app_whole(client):
    r = client.post("/echo", content=b"x" * LIMIT, headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()["size"]) == (200, LIMIT)


def test_a_declared_body_over_the_limit_is_413(client):
    r = client.post("/echo", content=b"x" * (LIMIT + 1), headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (413, TOO_LARGE)
    assert GENERATED_ID.fullmatch(r.headers["x-request-id"])


def test_a_streamed_body_over_the_limit_is_413(client):
    def chunks():
        for _ in range(5):
            yield b"x" * 300

    r = client.post("/echo", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.request.headers.get("content-length") is None  # really sent chunked
    assert (r.status_code, r.json()) == (413, TOO_LARGE)


def test_a_streamed_body_under_the_limit_is_replayed_whole(client):
    def chunks():
        for _ in range(3):
            yield b"x" * 300

    r = client.post("/echo", content=chunks(), headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()["size"]) == (200, 900)


def test_a_content_length_that_is_not_a_number_is_400():
    sent, called = run_asgi(BodySizeLimitMiddleware(recording_app(), max_bytes=LIMIT),
                            [(b"content-length", b"abc")], [b"{}"])
    assert called == []
    assert sent[0]["status"] == 400
    assert json.loads(sent[1]["body"]) == {"error": {"code": "bad_request", "message": "Content-Length is not a number."}}


def test_the_app_never_sees_a_streamed_body_over_the_limit():
    app = recording_app()
    sent, called = run_asgi(BodySizeLimitMiddleware(app, max_bytes=10), [], [b"12345", b"67890", b"X"])
    assert called == []
    assert sent[0]["status"] == 413


def test_a_streamed_body_is_replayed_to_the_app_in_one_piece():
    app = recording_app()
    sent, called = run_asgi(BodySizeLimitMiddleware(app, max_bytes=10), [], [b"12345", b"67890"])
    assert called == [b"1234567890"]
    assert sent[0]["status"] == 204


def test_get_requests_pass_untouched():
    app = recording_app()
    sent, called = run_asgi(BodySizeLimitMiddleware(app, max_bytes=1), [(b"content-length", b"99")], [b""],
                            method="GET")
    assert sent[0]["status"] == 204


def test_every_response_gets_a_generated_request_id(client):
    first = client.get("/whoami")
    second = client.get("/whoami")
    assert GENERATED_ID.fullmatch(first.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    assert first.json() == {"request_id": first.headers["x-request-id"]}
    assert GENERATED_ID.fullmatch(client.get("/nowhere").headers["x-request-id"])  # on errors too


@pytest.mark.parametrize("incoming", ["abc12345", "req-2024.05.01_0001", "A" * 64])
def test_a_well_formed_incoming_request_id_is_echoed(client, incoming):
    r = client.get("/whoami", headers={"X-Request-ID": incoming})
    assert r.headers["x-request-id"] == incoming
    assert r.json() == {"request_id": incoming}


@pytest.mark.parametrize("incoming", ["short", "A" * 65, "has space in it", "id<script>alert(1)</script>",
                                      "abc12345;drop", ""])
def test_a_malformed_incoming_request_id_is_replaced(client, incoming):
    r = client.get("/whoami", headers={"X-Request-ID": incoming})
    assert r.headers["x-request-id"] != incoming
    assert GENERATED_ID.fullmatch(r.headers["x-request-id"])


def test_the_request_id_is_on_log_records_during_the_request(client, caplog):
    handler_filter = RequestIdLogFilter()
    caplog.handler.addFilter(handler_filter)
    try:
        with caplog.at_level(logging.WARNING, logger="tests.middleware.app"):
            r = client.get("/whoami", headers={"X-Request-ID": "trace-me-0001"})
    finally:
        caplog.handler.removeFilter(handler_filter)
    records = [rec for rec in caplog.records if rec.name == "tests.middleware.app"]
    assert [rec.request_id for rec in records] == ["trace-me-0001"]
    assert r.headers["x-request-id"] == "trace-me-0001"
    assert request_id_var.get() == "-"  # reset after the request


def test_the_access_log_line_leaves_out_the_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="portal.access"):
        client.get("/whoami?token=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
    lines = [rec.getMessage() for rec in caplog.records if rec.name == "portal.access"]
    assert len(lines) == 1
    assert lines[0].startswith("GET /whoami 200 ")
    assert "token" not in lines[0]


# --- direct ASGI helpers ------------------------------------------------------------------------

def recording_app():
    called: list[bytes] = []

    async def app(scope, receive, send):
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        called.append(body)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    app.called = called
    return app


def run_asgi(middleware, headers, chunks, method="POST"):
    messages = [{"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)]
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": "/", "headers": headers}
    asyncio.run(middleware(scope, receive, send))
    return sent, middleware.app.called


# -- HEAD answers what GET answers, without the body; no cache keeps an answer by default --------

def build_head_app() -> FastAPI:
    from portal.web.middleware import HeadAsGetMiddleware, is_head_request

    app = FastAPI()
    install_error_handlers(app)

    seen = app.state.seen = []

    @app.get("/page")
    def page(request: Request):
        seen.append(is_head_request(request.scope))
        return {"text": "x" * 100}

    @app.get("/cached")
    def cached():
        from fastapi.responses import JSONResponse
        return JSONResponse({"ok": True}, headers={"Cache-Control": "max-age=60"})

    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(RequestContextMiddleware)
    return app


def test_head_answers_the_headers_of_get_without_a_body():
    app = build_head_app()
    with TestClient(app) as c:
        full, head = c.get("/page"), c.head("/page")
    assert head.status_code == full.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == full.headers["content-length"]
    assert app.state.seen == [False, True]


def test_the_handler_knows_a_head_from_a_get():
    from portal.web.middleware import HEAD_REQUEST, is_head_request

    assert is_head_request({HEAD_REQUEST: True}) and not is_head_request({})


def test_every_answer_tells_caches_not_to_keep_it_unless_its_handler_says_otherwise():
    with TestClient(build_head_app()) as c:
        assert c.get("/page").headers["cache-control"] == "no-store"
        assert c.get("/nothing-here").headers["cache-control"] == "no-store"
        assert c.get("/cached").headers["cache-control"] == "max-age=60"


def test_a_head_request_tells_the_outer_layers_which_route_answered():
    from portal.web.middleware import HeadAsGetMiddleware

    seen = {}

    async def inner(scope, receive, send):
        scope["route"] = "the /page route"

    async def outer_view():
        scope = {"type": "http", "method": "HEAD", "path": "/page"}
        await HeadAsGetMiddleware(inner)(scope, None, None)
        seen.update(scope)

    asyncio.run(outer_view())
    assert seen["route"] == "the /page route" and seen["method"] == "HEAD"


def test_a_5xx_answer_is_logged_as_one_json_line_with_the_request_id(caplog):
    from fastapi.responses import JSONResponse

    app = FastAPI()
    app.get("/busy/{thing}")(lambda thing: JSONResponse({"error": {"code": "service_busy"}}, status_code=503))
    app.get("/fine")(lambda: {})
    app.add_middleware(RequestContextMiddleware)
    with TestClient(app) as c, caplog.at_level(logging.ERROR, logger="portal.errors"):
        c.get("/busy/abc", headers={"X-Request-ID": "support-case-0503"})
        c.get("/fine")
    [record] = [rec for rec in caplog.records if rec.name == "portal.errors"]
    assert json.loads(record.getMessage()) == {"event": "server_error", "request_id": "support-case-0503",
                                               "method": "GET", "route": "/busy/{thing}", "status": 503}


def test_secrets_in_an_error_text_are_masked():
    from portal.web.middleware import mask_secrets

    text = "connect to postgresql://portal:hunter2@db/portal failed; password=hunter2 token=abc&x=1 for ada@example.com"
    masked = mask_secrets(text)
    assert "hunter2" not in masked and "abc" not in masked and "ada@example.com" not in masked
    assert "postgresql://portal:***@db/portal" in masked and "password=***" in masked


@pytest.mark.parametrize("hosts", [[], [b"a.example", b"b.example"]])
def test_an_http_1_1_request_without_exactly_one_host_is_400(hosts):
    """h11 refused these itself; httptools passes them on, so the portal refuses them (RFC 9112, 3.2)."""
    sent = []

    async def app(scope, receive, send):  # never reached
        raise AssertionError("the request reached the app")

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "http_version": "1.1", "method": "GET", "path": "/x",
             "headers": [(b"host", h) for h in hosts]}
    asyncio.run(RequestContextMiddleware(app)(scope, receive, send))
    assert sent[0]["status"] == 400
    assert json.loads(sent[1]["body"]) == {"error": {"code": "bad_request", "message": "Send exactly one Host header."}}
    assert GENERATED_ID.fullmatch(dict(sent[0]["headers"])[b"x-request-id"].decode())
