"""Request-scoped dependencies shared by every router."""
from __future__ import annotations

import re
from contextlib import contextmanager
from importlib import resources
from typing import Annotated, Iterator

from fastapi import Depends, Header, Path, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.templating import Jinja2Templates
from psycopg import Connection
from starlette.concurrency import run_in_threadpool

from dataclasses import dataclass

from portal.accounts import sessions
from portal.accounts.users import User
from portal.auth import api_rate
from portal.config import Settings
from portal.people import api_keys
from portal.security import hash_token, keyed_fingerprint
from portal.web.errors import ApiError

templates = Jinja2Templates(directory=str(resources.files("portal") / "web" / "templates"))


# Dependencies that only read the request or the app's state are `async def`: FastAPI runs a plain
# `def` dependency on a worker thread, a hop there and back for nothing (measured: each hop costs
# more than the database work of a simple read when other threads hold the interpreter lock).


async def settings(request: Request) -> Settings:
    return request.app.state.settings


class Database:
    """The request's way into PostgreSQL: `with db.transaction() as conn:` inside the handler.

    A connection is taken and given back within one call of the handler, on one thread. A
    dependency with `yield` would take it in one threadpool call and give it back in another; under
    load every threadpool thread can then be waiting for a connection that only a thread could
    give back, and the portal stalls (found by the 100-confirmations scenario).
    """

    def __init__(self, pool):
        self.pool = pool

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.pool.connection(timeout=POOL_WAIT_SECONDS) as conn:
            with conn.transaction():
                yield conn


# how long a request waits for a free database connection before answering 503
POOL_WAIT_SECONDS = 10.0


async def database(request: Request) -> Database:
    return request.app.state.database


def session_cookie(request: Request) -> str | None:
    return request.cookies.get(request.app.state.settings.session_cookie_name)


def set_session_cookie(response: Response, request: Request, settings: Settings, session_id: str) -> None:
    """The session cookie, as every way in sets it (a sign-in link, an accepted invitation): kept by
    the browser for the session's lifetime, sent to the whole portal, out of page scripts' reach,
    not sent with other sites' posts, and over https only where the portal is served over https."""
    response.set_cookie(settings.session_cookie_name, session_id, max_age=settings.session_lifetime_hours * 3600,
                        path="/", httponly=True, samesite="lax", secure=is_https(request))


API_RATE_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Caller:
    """Who is calling the JSON API: a person (through an API key or a session) or nobody, and the
    budget the request counts against. `bad_key`: an Authorization header that names no live key."""
    user: User | None
    bucket: str
    bad_key: bool = False


def invalid_api_key() -> ApiError:
    return ApiError(401, "invalid_api_key", "The API key is missing, malformed, unknown or no longer valid.",
                    headers={"WWW-Authenticate": 'Bearer realm="portal", error="invalid_token"'})


def _identify(conn: Connection, request: Request) -> Caller:
    """An `Authorization` header must carry a live key (`Bearer <key>`), whatever else the request
    carries; without one, the session cookie; without a live session, the client's network."""
    authorization = request.headers.get("authorization")
    network = f"network:{keyed_fingerprint(request.app.state.settings.secret_key, client_address(request))[:32]}"
    if authorization is not None:
        scheme, _, key = authorization.strip().partition(" ")
        holder = api_keys.resolve(conn, key.strip()) if scheme.lower() == "bearer" else None
        if holder is None:
            return Caller(None, network, bad_key=True)
        return Caller(holder.user, f"key:{holder.key_id}")
    cookie = session_cookie(request)
    user = sessions.resolve(conn, cookie)
    if user is not None:
        return Caller(user, f"session:{hash_token(cookie)[:32]}")
    return Caller(None, network)


# documents the bearer scheme in the OpenAPI document, on every route of the JSON API; the budget
# middleware (portal/web/budget.py) reads the header itself, so that another scheme is refused
bearer = HTTPBearer(auto_error=False, scheme_name="apiKey", bearerFormat="nl_live_...",
                    description="An API key (`nl_live_` + 43 characters + a 6-character checksum), made at "
                                "POST /me/api-keys; the request is made as the key's maker. Without it, the session cookie.")


async def api_caller(_: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
    """Declares the bearer scheme; the caller was identified and counted by the budget middleware."""


def identify_and_count(request: Request) -> tuple[Caller, api_rate.Window]:
    """Who is calling, and the request counted against their budget (`PORTAL_API_RATE_LIMIT` a
    minute). A bad key counts too, against its network. Runs on a worker thread. The count commits
    without waiting for the disk (see `api_rate.hit`)."""
    with request.app.state.database.transaction() as conn:
        caller = _identify(conn, request)
        window = api_rate.hit(conn, caller.bucket, request.app.state.settings.api_rate_limit, API_RATE_WINDOW_SECONDS)
    return caller, window


def _session_user(request: Request, db: Database) -> User | None:
    with db.transaction() as conn:
        return sessions.resolve(conn, session_cookie(request))


def _identified(request: Request, db: Database) -> Caller:
    with db.transaction() as conn:
        return _identify(conn, request)


async def _user(request: Request, db: Database, sessions_only: bool = False) -> User | None:
    """The caller the budget middleware identified (or identified now, where it counts nothing).
    The database is read on a worker thread, and only when the budget has not identified the caller."""
    if sessions_only:
        return await run_in_threadpool(_session_user, request, db)
    caller = request.scope.get("state", {}).get("caller")
    if caller is None:
        caller = await run_in_threadpool(_identified, request, db)
        if caller.bad_key:
            raise invalid_api_key()
    return caller.user


async def current_user(request: Request, db: Database = Depends(database)) -> User:
    user = await _user(request, db)
    if user is None:
        raise ApiError(401, "not_signed_in", "Sign in to continue.")
    return user


def not_found() -> ApiError:
    return ApiError(404, "not_found", "Nothing is here.")


def _admitted(user: User | None, allowed: frozenset[str], studio_only: bool) -> User:
    if user is None or user.role.value not in allowed or (studio_only and user.tenant_kind != "studio"):
        raise not_found()
    return user


def require_member(*roles: str, studio_only: bool = False, sessions_only: bool = False):
    """A dependency: the signed-in user (or the holder of an API key), when their role is one of
    `roles`. Anyone else, signed in or not, gets 404, not 401 or 403: to an outsider a gated address
    looks like one that does not exist. `studio_only`: the user must also belong to the studio, not
    to an agency. `sessions_only`: an API key does not count (managing keys takes a session)."""
    allowed = frozenset(roles)

    async def dependency(request: Request, db: Database = Depends(database)) -> User:
        return _admitted(await _user(request, db, sessions_only), allowed, studio_only)

    return dependency


MAX_ID = 2**63 - 1  # ids are PostgreSQL bigints: anything larger is malformed, not merely unknown
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="A positive whole number")]


# an entity tag as the portal issues them: the version, strong, in quotes
ETAG_PATTERN = r'^"([1-9][0-9]{0,9})"$'
_ETAG = re.compile(ETAG_PATTERN)


async def expected_version(if_match: str | None = Header(
        default=None, alias="If-Match",
        description='The ETag of the version you read, e.g. "3"; required for every change')) -> int:
    return version_of(if_match)


def version_of(if_match: str | None) -> int:
    """The version a change says it read. No If-Match (or `*`, which names no version) is 428;
    a tag the portal never issues matches no version: the change gets 412 with the current one."""
    if if_match is None or if_match.strip() in ("", "*"):
        raise ApiError(428, "precondition_required",
                       "Say which version you read: send If-Match with the ETag your last read returned.")
    match = _ETAG.match(if_match.strip())
    return int(match.group(1)) if match else 0


def tag_version(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


def stale(current_version: int, what: str) -> ApiError:
    return ApiError(412, "version_mismatch",
                    f"The {what} has changed since you read it (it is now at version {current_version}): "
                    "read it again and make your change to the current version.",
                    fields={"if_match": f'The current version is "{current_version}".'},
                    headers={"ETag": f'"{current_version}"'})


def client_address(request: Request) -> str:
    # uvicorn has already applied X-Forwarded-For from trusted proxies (PORTAL_TRUSTED_PROXIES)
    return request.client.host if request.client else "unknown"


def is_https(request: Request) -> bool:
    return request.url.scheme == "https" or request.app.state.settings.served_over_https
