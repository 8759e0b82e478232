"""The JSON API's budget, for every request to it: the caller is identified (an API key, a session,
or an anonymous network) and the request counted before anything else answers, so that an address
that exists and one that does not are counted, and answered, alike.

Not counted: the health probes, Resend's webhooks (the provider retries, and must not lose reports
to a budget), the guests' pages and the sign-in pages (they keep limits of their own), the home page
and the API's own documentation; and /metrics, the monitoring system's (anyone else finds a plain 404
there without touching the database).
"""
from __future__ import annotations

from psycopg_pool import PoolTimeout
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from portal.db import DatabaseBusy

from .deps import identify_and_count
from .middleware import _send_json
from .errors import error_body

NOT_COUNTED_PATHS = frozenset({"/", "/health", "/readyz", "/auth/magic-link", "/openapi.json", "/docs", "/redoc",
                               "/docs/oauth2-redirect", "/metrics"})
NOT_COUNTED_PREFIXES = ("/s/", "/webhooks/")


def counted(path: str) -> bool:
    return path not in NOT_COUNTED_PATHS and not path.startswith(NOT_COUNTED_PREFIXES)


def _headers(values: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode(), value.encode()) for name, value in values.items()]


class ApiBudgetMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not counted(scope["path"]):
            return await self.app(scope, receive, send)
        try:
            caller, window = await run_in_threadpool(identify_and_count, Request(scope))
        except (PoolTimeout, DatabaseBusy):
            return await _send_json(send, 503, error_body("service_busy", "The portal is busy. Try again in a moment."),
                                    [(b"retry-after", b"1")])
        state = scope.setdefault("state", {})
        state["caller"], state["rate_limit_headers"] = caller, window.headers()
        if not window.allowed:
            limit = window.limit
            return await _send_json(send, 429, error_body(
                "rate_limited", f"Too many requests: {limit} a minute. Try again after {window.reset_seconds} s."),
                _headers(window.headers()))
        if caller.bad_key:
            return await _send_json(send, 401, error_body(
                "invalid_api_key", "The API key is missing, malformed, unknown or no longer valid."),
                [(b"www-authenticate", b'Bearer realm="portal", error="invalid_token"')])
        return await self.app(scope, receive, send)
