"""The portal's OpenAPI document, made exact in one place, and served as each caller may see it.

FastAPI describes each route's successful answer and the answers its decorator declares. Everything
the portal's shared layers add to every route is added here, from what each route depends on, so
that a new route is documented correctly without repeating it:

- the error body every failure carries (`{"error": {"code", "message", "fields"?}}`, never FastAPI's
  `{"detail": [...]}`), for each status the shared layers can answer:
  400 (malformed JSON, missing body, unreadable Content-Length), 401 (routes that need a session),
  404 (routes gated to some roles: anyone else gets 404), 413 (any method with a body), 415 (a body
  sent in another format), 422 (inputs that can be invalid), 500 (always), 503 with Retry-After
  (routes that use the database);
- the headers every answer carries (`X-Request-ID` and the security headers), `Location` on every
  redirect, `Retry-After` on 429 and 503;
- the session cookie as a security scheme, on the routes that read it.

A route declares what only it can answer with `responses=` (e.g. `html_page(...)`, `redirect(...)`,
`errors.documented(...)`): a declared status wins over the generic one.

Served at /openapi.json by `router` below: the studio's administration (`/admin/...`) only for
studio admins. To anyone else those addresses answer 404 as if they did not exist, and the document
does not list them either.
"""
from __future__ import annotations

import copy
import json
import re
import threading
from typing import Any, Callable, Iterator

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.openapi.utils import get_openapi
from fastapi import routing
from fastapi.routing import APIRoute
from portal.web.routing import PortalRoute

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
SECURITY_SCHEME = "session"

# what the shared layers answer, and why (used when the route does not describe the status itself)
GENERIC_ERRORS = {
    400: "The request could not be read: malformed JSON, a missing body, or an unreadable Content-Length",
    401: "Not signed in, or the session has ended",
    404: "Nothing is here, or not for you: the same answer for a missing thing and for one you may not see",
    413: "The request body is larger than the portal accepts (PORTAL_MAX_BODY_BYTES)",
    415: "The request body is not JSON (send Content-Type: application/json)",
    422: "Some fields are missing or invalid: `fields` names each one",
    500: "Something went wrong on the portal's side; quote the X-Request-ID header when you report it",
    503: "The portal is busy; try again after the seconds in Retry-After",
    429: "Over the API's request budget (PORTAL_API_RATE_LIMIT a minute); try again after Retry-After",
}

GENERIC_NAMES = {400: "BadRequest", 401: "NotSignedIn", 404: "NotFound", 413: "PayloadTooLarge",
                 415: "UnsupportedMediaType", 422: "ValidationFailed", 500: "InternalError", 503: "ServiceBusy",
                 429: "RateLimited"}

# on every answer, whatever layer writes it (portal.web.middleware.RequestContextMiddleware)
EVERY_ANSWER_HEADERS: dict[str, dict] = {
    "X-Request-ID": {"description": "The request's id: the incoming one when well formed, else a new one; "
                                    "it is on every log line about the request",
                     "required": True, "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{8,64}$"}},
    "X-Content-Type-Options": {"description": "Always `nosniff`", "required": True,
                               "schema": {"type": "string", "enum": ["nosniff"]}},
    "Referrer-Policy": {"description": "Always `no-referrer`: addresses carry secrets", "required": True,
                        "schema": {"type": "string", "enum": ["no-referrer"]}},
    "X-Frame-Options": {"description": "Always `DENY`", "required": True, "schema": {"type": "string", "enum": ["DENY"]}},
    "Content-Security-Policy": {"description": "What a browser may load for this answer", "required": True,
                                "schema": {"type": "string"}},
}
RETRY_AFTER = {"description": "Seconds to wait before trying again", "required": True,
               "schema": {"type": "string", "pattern": "^[0-9]+$"}}
LOCATION = {"description": "Where to go next", "required": True, "schema": {"type": "string"}}
SET_COOKIE = {"description": "The cookie this answer sets (HttpOnly, SameSite=Lax; Secure over HTTPS)",
              "schema": {"type": "string"}}
HTML = {"text/html": {"schema": {"type": "string"}}}


def html_page(description: str, headers: dict[str, dict] | None = None) -> dict:
    """A `responses=` entry: an HTML page for a browser."""
    return {"description": description, "content": copy.deepcopy(HTML), **({"headers": headers} if headers else {})}


def redirect(description: str, headers: dict[str, dict] | None = None) -> dict:
    """A `responses=` entry: a redirect (its Location is added here for every 3xx)."""
    return {"description": description, **({"headers": headers} if headers else {})}


def error(description: str, headers: dict[str, dict] | None = None) -> dict:
    """A `responses=` entry: an error with the portal's error body."""
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}},
            **({"headers": headers} if headers else {})}


def install(app: FastAPI) -> None:
    """Serve the exact document at /openapi.json (built once: at start-up, see `prepare`, or on first
    use, whichever comes first; two threads asking at once build it once)."""
    building = threading.Lock()

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            with building:
                if app.openapi_schema is None:
                    app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.state.openapi_served = {}


def served(app: FastAPI, admin: bool) -> bytes:
    """The document as served at /openapi.json, to a studio admin or to anyone else: the JSON bytes
    a JSONResponse would write, made once each. Serialising the whole document at each request cost
    more than the rest of the request together."""
    cache: dict[bool, bytes] = app.state.openapi_served
    if admin not in cache:
        document = app.openapi()
        view = document if admin else public_view(document)
        cache[admin] = json.dumps(view, ensure_ascii=False, allow_nan=False, indent=None,
                                  separators=(",", ":")).encode("utf-8")
    return cache[admin]


def prepare(app: FastAPI) -> None:
    """Build the document and both served forms now (at start-up), not at the first request."""
    served(app, admin=True)
    served(app, admin=False)


def build(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(title=app.title, version=app.version, openapi_version=app.openapi_version,
                           description=app.description, routes=app.routes)
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    if "ErrorOut" not in schemas:
        from portal.web.errors import ErrorOut

        shape = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(shape.pop("$defs", {}))
        schemas["ErrorOut"] = shape
    cookie_name = app.state.settings.session_cookie_name if hasattr(app.state, "settings") else "portal_session"
    components.setdefault("securitySchemes", {})[SECURITY_SCHEME] = {
        "type": "apiKey", "in": "cookie", "name": cookie_name,
        "description": "The session cookie a confirmed sign-in link sets (HttpOnly, SameSite=Lax)"}
    components["responses"] = {}
    for status, name in GENERIC_NAMES.items():
        answer = {"description": GENERIC_ERRORS[status]}
        _complete_answer(status, answer, generic=True)
        components["responses"][name] = answer
    components["headers"] = {**copy.deepcopy(EVERY_ANSWER_HEADERS), "Retry-After": RETRY_AFTER, "Location": LOCATION}
    # an upload's size is bounded by a setting: the document says this portal's bound
    from portal.config import Settings

    upload = schemas.get("AssetIn", {}).get("properties", {}).get("size_bytes")
    if upload is not None:
        settings = getattr(app.state, "settings", None)
        upload["maximum"] = settings.max_upload_bytes if settings is not None else Settings.max_upload_bytes
    _integer_bounds(document)
    for route in _api_routes(app):
        if not route.include_in_schema:
            continue
        for method in route.methods:
            operation = document["paths"].get(route.path_format, {}).get(method.lower())
            if operation is not None:
                complete(operation, route, method)
    return document


def _integer_bounds(node) -> None:
    """FastAPI's OpenAPI model holds bounds as floats: 720 becomes 720.0, and the largest bigint
    (2**63 - 1) rounds up to 2**63, one more than the portal accepts. Integer bounds are whole again."""
    if isinstance(node, list):
        for item in node:
            _integer_bounds(item)
    elif isinstance(node, dict):
        if node.get("type") == "integer":
            for bound in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                if isinstance(node.get(bound), float) and node[bound].is_integer():
                    node[bound] = min(int(node[bound]), 2**63 - 1)  # ids are PostgreSQL bigints
        for value in node.values():
            _integer_bounds(value)


def _api_routes(app: FastAPI) -> Iterator[APIRoute]:
    """Every route of the app, also inside included routers (which recent FastAPI keeps as such)."""
    contexts = getattr(routing, "iter_route_contexts", None)
    for route in (contexts(app.routes) if contexts else app.routes):
        if isinstance(getattr(route, "original_route", route), APIRoute):
            yield route


def _calls(dependant) -> Iterator[Callable]:
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            yield dependency.call
        yield from _calls(dependency)


def _can_be_invalid(parameter: dict) -> bool:
    schema = {k: v for k, v in parameter.get("schema", {}).items() if k not in ("title", "description", "default")}
    if parameter.get("in") == "path":
        return schema != {"type": "string"}
    return parameter.get("required", False) or schema not in ({"type": "string"},
                                                               {"anyOf": [{"type": "string"}, {"type": "null"}]})


def complete(operation: dict, route: APIRoute, method: str) -> None:
    """Add to one operation what the shared layers answer, the headers of every answer, and the
    session cookie scheme."""
    from portal.web import deps

    calls = list(_calls(route.dependant))
    names = {getattr(c, "__qualname__", "") for c in calls}
    signed_in = deps.current_user in calls
    gated = any(name.startswith("require_member.") for name in names)
    uses_database = deps.database in calls
    responses: dict[str, dict] = operation.setdefault("responses", {})
    declared = {str(status) for status in route.responses}  # what the route itself says
    if "422" not in declared:
        responses.pop("422", None)  # FastAPI's guess; decided below from what can really be invalid
    wanted: set[int] = {500}
    has_body = "requestBody" in operation
    for media in operation.get("requestBody", {}).get("content", {}).values():
        if "$ref" in media.get("schema", {}) and len(media["schema"]) > 1:
            del media["schema"]["$ref"]  # the route's own schema (openapi_extra) replaces FastAPI's
    if method not in ("GET", "HEAD", "OPTIONS"):
        wanted |= {400, 413}  # the body-size layer reads every body first
    if has_body and getattr(route, "body_field", None) is not None:  # a body FastAPI reads (not one read raw)
        wanted |= {400, 422}
        if "application/json" in operation["requestBody"].get("content", {}):
            wanted.add(415)
    if any(_can_be_invalid(p) for p in operation.get("parameters", [])):
        wanted.add(422)
    if signed_in:
        wanted.add(401)
    if gated:
        wanted.add(404)
    if uses_database:
        wanted.add(503)
    from portal.web import budget

    if budget.counted(route.path_format):  # the API's request budget (portal/web/budget.py)
        wanted.add(429)
    if signed_in or gated:  # the session cookie, or any other scheme the route reads (e.g. an API key)
        schemes = operation.get("security", [])
        operation["security"] = [{SECURITY_SCHEME: []}] + [s for s in schemes if s != {SECURITY_SCHEME: []}]
    elif operation.get("security") and {} not in operation["security"]:
        # a route anyone may call that also reads an API key when one is sent (e.g. accepting an
        # invitation): the key is optional, which OpenAPI says with the empty requirement
        operation["security"].append({})
    if deps.expected_version in calls:
        # optional to FastAPI, so that its absence is the portal's 428, not a 422; required all the same
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "header" and parameter["name"].lower() == "if-match":
                parameter["required"] = True
                parameter["schema"] = {"type": "string", "pattern": deps.ETAG_PATTERN,
                                       "description": 'An ETag the portal issued, e.g. "3"'}
    for status, answer in responses.items():
        _complete_answer(int(status), answer, generic=False)
    for status in sorted(wanted):
        if str(status) not in declared:
            responses[str(status)] = {"$ref": f"#/components/responses/{GENERIC_NAMES[status]}"}


def _complete_answer(status: int, answer: dict, generic: bool) -> None:
    content = answer.get("content")
    if status >= 400:
        if not content or content.get("application/json", {}).get("schema") in ({}, None) \
                or content.get("application/json", {}).get("schema") == {"$ref": "#/components/schemas/HTTPValidationError"}:
            if not (content and "text/html" in content):
                answer["content"] = {"application/json": {"schema": ERROR_REF}}
    if status in (204, 304) or 300 <= status < 400:
        answer.pop("content", None)
    headers = answer.setdefault("headers", {})
    names = list(EVERY_ANSWER_HEADERS)
    if 300 <= status < 400:
        names.append("Location")
    if status == 429 or (status == 503 and generic):  # a route's own 503 (e.g. /readyz) says its headers
        names.append("Retry-After")
    for name in names:
        headers.setdefault(name, {"$ref": f"#/components/headers/{name}"})


# -- what request fields accept, said in their schema -------------------------------------------
# Fields of models with `str_strip_whitespace` are checked after surrounding whitespace is removed
# (the Unicode White_Space characters pydantic strips), so their schema describes the raw string:
# optional surrounding whitespace around a core of the allowed length and characters.
WHITESPACE = "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
# what portal/text.py refuses in names and titles: C0 and C1 controls, bidirectional controls, line
# and paragraph separators; descriptions may also hold line breaks and tabs
_REORDERING = "\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\u2028\\u2029"
CONTROL_CHARACTERS = "\\x00-\\x1f\\x7f-\\x9f" + _REORDERING
CONTROL_CHARACTERS_BUT_LINE_BREAKS_AND_TABS = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f" + _REORDERING


def stripped_text_pattern(forbidden: str, min_length: int, max_length: int) -> str:
    """A pattern for a whitespace-stripped text of min..max characters, none of them `forbidden`."""
    edge, inner = f"[^{forbidden}{WHITESPACE}]", f"[^{forbidden}]"
    core = f"{edge}(?:{inner}{{0,{max_length - 2}}}{edge})?"
    if min_length == 0:
        core = f"(?:{core})?"
    return f"^[{WHITESPACE}]*{core}[{WHITESPACE}]*$"


def _pattern_instead_of_lengths(pattern: str):
    """`json_schema_extra` saying a field by `pattern` alone: the raw string need not keep the
    lengths its stripped value is checked against."""
    def extra(schema: dict) -> None:
        schema.pop("minLength", None)
        schema.pop("maxLength", None)
        schema["pattern"] = pattern
    return extra


def stripped_text(forbidden: str, min_length: int, max_length: int):
    """`json_schema_extra` for such a field: the pattern instead of lengths the raw string need not keep."""
    return _pattern_instead_of_lengths(stripped_text_pattern(forbidden, min_length, max_length))


def any_case_of(values) -> str:
    """A pattern for one of `values` in any letter case, with optional surrounding whitespace (as a
    field of a `str_strip_whitespace` model compared case-insensitively reads it)."""
    def any_case(value: str) -> str:
        return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in value)
    return f"^[{WHITESPACE}]*(?:{'|'.join(any_case(v) for v in values)})[{WHITESPACE}]*$"


def one_of_any_case(values):
    """`json_schema_extra` for a text field that must be one of `values`, letter case aside."""
    return _pattern_instead_of_lengths(any_case_of(values))


def not_null(schema: dict) -> None:
    """`json_schema_extra` for an optional field that may be left out but not sent as null."""
    branches = [b for b in schema.pop("anyOf", []) if b != {"type": "null"}]
    if len(branches) == 1:
        schema.update(branches[0])
    elif branches:
        schema["anyOf"] = branches
    schema.pop("default", None)


def whole_number(value):
    """A BeforeValidator for strict integer fields: JSON's 3.0 is the number 3 (JSON Schema's
    `integer` says so too); strings and booleans stay refused by the strict check."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


def text_only(value):
    """A BeforeValidator for dates and times: JSON carries them as ISO 8601 text, as the schema says
    (`format: date` / `date-time`); a number, or a text that is only a number, is not read as a Unix
    timestamp."""
    from pydantic_core import PydanticCustomError

    import re

    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9.eE+-]+\s*", value)
                                           and not re.fullmatch(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*", value)):
        raise PydanticCustomError("date_as_text", "Send dates and times as text, e.g. 2026-12-03 or 2026-12-03T17:00:00+11:00")
    return value


# -- served as each caller may see it (issue 10 part 1) ----------------------------------------
router = APIRouter(route_class=PortalRoute, include_in_schema=False)
ADMIN_PREFIX = "/admin"


def _refs(value, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                found.add(item.rsplit("/", 1)[-1])
            else:
                _refs(item, found)
    elif isinstance(value, list):
        for item in value:
            _refs(item, found)


def public_view(document: dict) -> dict:
    """`document` without the administration's operations, nor the schemas only they use."""
    paths = {path: item for path, item in document.get("paths", {}).items()
             if path != ADMIN_PREFIX and not path.startswith(ADMIN_PREFIX + "/")}
    schemas = document.get("components", {}).get("schemas", {})
    used: set[str] = set()
    _refs(paths, used)
    pending = list(used)
    while pending:  # schemas used by the schemas in use
        found: set[str] = set()
        _refs(schemas.get(pending.pop(), {}), found)
        pending += sorted(found - used)
        used |= found
    view = {**document, "paths": paths}
    if "components" in document:
        view["components"] = {**document["components"],
                              "schemas": {name: schema for name, schema in schemas.items() if name in used}}
    return view


def is_studio_admin(user) -> bool:
    return user is not None and user.role.value == "admin" and user.tenant_kind == "studio"


async def _database(request: Request):
    from portal.web.deps import database  # imported where used, as the rest of this module does

    return await database(request)


@router.get("/openapi.json")
def openapi_document(request: Request, db=Depends(_database)) -> Response:
    from portal.accounts import sessions
    from portal.web.deps import session_cookie

    with db.transaction() as conn:
        user = sessions.resolve(conn, session_cookie(request))
    return Response(served(request.app, is_studio_admin(user)), media_type="application/json")
