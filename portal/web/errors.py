"""One error shape for every failure: {"error": {"code", "message", "fields"?}}.

Codes are stable and documented in the README; messages are for people. No error body ever
echoes a secret, a stack trace or a connection string.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from psycopg_pool import PoolTimeout

from portal.db import DatabaseBusy
from portal.web.origin import CrossSiteForm, refusal_page
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

log = logging.getLogger("portal.errors")


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.headers = headers or {}


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: dict[str, str] | None = None


class ErrorOut(BaseModel):
    """The body of every error answer."""
    error: ErrorDetail


def documented(statuses: dict[int, str], headers: dict[int, dict] | None = None) -> dict:
    """`responses=` for a route: each status with its description and the error body's schema
    (and, for some, the headers it carries)."""
    return {status: {"model": ErrorOut, "description": text, **({"headers": headers[status]}
                                                                if headers and status in headers else {})}
            for status, text in statuses.items()}


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def error_response(status: int, code: str, message: str, fields=None, headers=None) -> JSONResponse:
    return JSONResponse(error_body(code, message, fields), status_code=status, headers=headers)


_HTTP_CODES = {
    400: ("bad_request", "The request could not be understood."),
    401: ("not_signed_in", "Sign in to continue."),
    403: ("forbidden", "You are not allowed to do this."),
    404: ("not_found", "Nothing is here."),
    405: ("method_not_allowed", "This address does not accept that method."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Send the request body as JSON (Content-Type: application/json)."),
}


def _field_name(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "body"


def _describe(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "This field is required."
    if kind == "extra_forbidden":
        return "This field is not allowed."
    message = str(error.get("msg", "Invalid value."))
    return message[0].upper() + message[1:] + ("" if message.endswith(".") else ".")


def validation_failure(exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, "malformed_json", "The request body is not valid JSON.")
    body_level = [e for e in errors if tuple(e.get("loc", ())) == ("body",)]
    if body_level:
        kind = body_level[0].get("type")
        if kind == "missing":
            return error_response(400, "missing_body", "The request needs a JSON body.")
        return error_response(422, "validation_failed", "The request body must be a JSON object.")
    fields: dict[str, str] = {}
    for e in errors:
        fields.setdefault(_field_name(tuple(e.get("loc", ()))), _describe(e))
    return error_response(422, "validation_failed", "Some fields are missing or invalid.", fields)


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(app, scope) -> list[str]:
    """Every method some route of `app` accepts at this request's path (Starlette's 405 names only
    the first route's), HEAD wherever GET is (portal.web.middleware.HeadAsGetMiddleware). Asked of
    the routes themselves, one method at a time, so included routers answer like any route."""
    methods = [m for m in _METHODS
               if any(route.matches({**scope, "type": "http", "method": m})[0] is Match.FULL
                      for route in app.router.routes)]
    if "GET" in methods:
        methods.insert(1, "HEAD")
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        content_type = request.headers.get("content-type", "")
        sent_a_body = request.headers.get("content-length", "0") not in ("", "0")
        if sent_a_body and not content_type.split(";")[0].strip().lower().endswith("json"):
            code, message = _HTTP_CODES[415]
            return error_response(415, code, message)
        return validation_failure(exc)

    @app.exception_handler(CrossSiteForm)
    async def _cross_site_form(request: Request, exc: CrossSiteForm):
        return refusal_page(request)

    @app.exception_handler(PoolTimeout)
    @app.exception_handler(DatabaseBusy)
    async def _busy(request: Request, exc: Exception):
        log.warning("busy (%s) for %s %s", type(exc).__name__, request.method, request.url.path)
        return error_response(503, "service_busy", "The portal is busy. Try again in a moment.",
                              headers={"Retry-After": "1"})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code, message = _HTTP_CODES.get(exc.status_code, ("http_error", "The request failed."))
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request.app, request.scope))
        return error_response(exc.status_code, code, message, headers=headers or None)
    # unhandled exceptions: RequestContextMiddleware (portal.web.middleware) answers them, so that
    # the 500 and its log line carry the request id
