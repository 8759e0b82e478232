"""ASGI middleware: a request id on every response and log line, and a cap on body size."""
from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid

from portal import metrics
from portal.request_id import current as request_id_var
from portal.security import mask_addresses, mask_path

from .errors import error_body

access_log = logging.getLogger("portal.access")
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


async def _send_json(send, status: int, body: dict, headers: list[tuple[bytes, bytes]] | None = None):
    payload = json.dumps(body).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
        + (headers or []),
    })
    await send({"type": "http.response.body", "body": payload})


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    # sign-in links carry secrets in their URL: never leak it to another site
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"),
    # answers carry people's data, sessions and keys: no cache keeps one unless its handler says so
    (b"cache-control", b"no-store"),
]
error_log = logging.getLogger("portal.errors")


def _logged_path(scope) -> str:
    """The route's template (`/s/{key}`) when a route matched, else the path with key-like parts
    masked: a path may carry a key (a share link's), and a log lasts."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    return template if template else mask_path(scope.get("path", ""))


_SECRET_IN_TEXT = re.compile(r"(?i)(://[^:/@\s]+:)[^@\s]+(@)|((?:password|secret|token|key)=)[^\s&;,]+")


def mask_secrets(text: str) -> str:
    """A connection string's password, `password=...`-like values and email addresses masked."""
    return mask_addresses(_SECRET_IN_TEXT.sub(lambda m: f"{m[1]}***{m[2]}" if m[1] else f"{m[3]}***", text))


def error_line(request_id: str, scope, status: int, exc: BaseException | None = None) -> str:
    """One JSON object on one line for an error (an unhandled exception, or any 5xx answer): what an
    operator's log search keys on, the request id first among them. No secrets: masked."""
    entry = {"event": "unhandled_error" if exc is not None else "server_error", "request_id": request_id,
             "method": scope.get("method"), "route": _logged_path(scope), "status": status}
    if exc is not None:
        entry["error"] = type(exc).__name__
        entry["traceback"] = mask_secrets("".join(traceback.format_exception(exc)))
    return json.dumps(entry)


class RequestContextMiddleware:
    """The outermost layer of the portal:

    - gives each request an id (or keeps a well-formed incoming X-Request-ID), puts it on every
      log record and returns it as a header;
    - adds the security headers to every response;
    - turns an unhandled exception into the standard 500 error, logged with the request id and
      with the id in the answer (Starlette's own handler runs outside all middleware, so its
      500s would carry neither);
    - logs one access line, without the query string, where tokens would travel, and with the
      route's template rather than the path, which may hold a key.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_headers = scope.get("headers") or []
        incoming = dict(request_headers).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        state = {"status": 500, "started": False}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                state["status"], state["started"] = message["status"], True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                headers.append((b"x-request-id", request_id.encode()))
                # the JSON API's budget (portal/web/budget.py), on every answer it counted
                rate = (scope.get("state") or {}).get("rate_limit_headers") or {}
                headers += [(n.lower().encode(), v.encode()) for n, v in rate.items()
                            if n.lower().encode() not in present]
                message["headers"] = headers
            await send(message)

        try:
            if scope.get("http_version") == "1.1" and sum(name == b"host" for name, _ in request_headers) != 1:
                # RFC 9112, 3.2: no Host, or more than one, is a 400 (h11 refused these itself; httptools does not)
                await _send_json(send_with_headers, 400, error_body("bad_request", "Send exactly one Host header."))
            else:
                await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # noqa: BLE001 - the safety net: log it, answer 500, never leak details
            state["logged"] = True
            error_log.error(error_line(request_id, scope, 500, exc))
            if not state["started"]:
                await _send_json(send_with_headers, 500, error_body(
                    "internal_error",
                    "Something went wrong on our side. Quote the X-Request-ID header when you report it."))
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            route = scope.get("route")
            if state["started"] and state["status"] >= 500 and not state.get("logged"):
                error_log.error(error_line(request_id, scope, state["status"]))
            access_log.info(
                "%s %s %s %.1fms",
                scope.get("method"),
                _logged_path(scope),
                state["status"],
                elapsed_ms,
                extra={"route": getattr(route, "path", None), "elapsed_ms": elapsed_ms, "started": started},
            )
            metrics.observe_request(scope.get("method", ""), getattr(route, "path", None), state["status"], elapsed_ms / 1000)
            request_id_var.reset(token)


class HeadAsGetMiddleware:
    """HEAD on any address answers what GET would, headers and all (Content-Length included),
    without the body (RFC 9110, 9.3.2). FastAPI routes list GET only, so without this HEAD is 405."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            return await self.app(scope, receive, send)

        async def send_without_body(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        as_get = {**scope, "method": "GET", HEAD_REQUEST: True}
        try:
            await self.app(as_get, receive, send_without_body)
        finally:
            if "route" in as_get:  # so that the access line names the route's template, as for a GET
                scope["route"] = as_get["route"]


HEAD_REQUEST = "portal.head_request"


def is_head_request(scope) -> bool:
    """Is this GET really a HEAD (HeadAsGetMiddleware)? Then it must have no effect, e.g. log no view."""
    return bool(scope.get(HEAD_REQUEST))


class BodySizeLimitMiddleware:
    """Refuses bodies over the limit with 413 before any handler reads them.

    Bodies here are small JSON or form documents, so reading the whole body (up to the
    limit) and replaying it to the app is both simple and safe.
    """

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        too_large = error_body("payload_too_large", f"The request body is larger than {self.max_bytes} bytes.")
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                if int(declared) > self.max_bytes:
                    return await _send_json(send, 413, too_large)
            except ValueError:
                return await _send_json(send, 400, error_body("bad_request", "Content-Length is not a number."))
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return await _send_json(send, 413, too_large)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

