"""Request-scoped dependencies shared by every router."""
from __future__ import annotations

import re
from contextlib import contextmanager
from importlib import resources
from typing import Annotated, Iterator

from fastapi import Depends, Header, Path, Request, Response
from fastapi.templating import Jinja2Templates
from psycopg import Connection

from portal.accounts import sessions
from portal.accounts.users import User
from portal.config import Settings
from portal.web.errors import ApiError

templates = Jinja2Templates(directory=str(resources.files("portal") / "web" / "templates"))


def settings(request: Request) -> Settings:
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


def database(request: Request) -> Database:
    return request.app.state.database


def session_cookie(request: Request) -> str | None:
    return request.cookies.get(request.app.state.settings.session_cookie_name)


def current_user(request: Request, db: Database = Depends(database)) -> User:
    with db.transaction() as conn:
        user = sessions.resolve(conn, session_cookie(request))
    if user is None:
        raise ApiError(401, "not_signed_in", "Sign in to continue.")
    return user


def not_found() -> ApiError:
    return ApiError(404, "not_found", "Nothing is here.")


def _admitted(user: User | None, allowed: frozenset[str], studio_only: bool) -> User:
    if user is None or user.role.value not in allowed or (studio_only and user.tenant_kind != "studio"):
        raise not_found()
    return user


def require_member(*roles: str, studio_only: bool = False):
    """A dependency: the signed-in user, when their role is one of `roles`. Anyone else, signed
    in or not, gets 404, not 401 or 403: to an outsider a gated address looks like one that does
    not exist. `studio_only`: the user must also belong to the studio, not to an agency."""
    allowed = frozenset(roles)

    def dependency(request: Request, db: Database = Depends(database)) -> User:
        with db.transaction() as conn:
            user = sessions.resolve(conn, session_cookie(request))
        return _admitted(user, allowed, studio_only)

    return dependency


MAX_ID = 2**63 - 1  # ids are PostgreSQL bigints: anything larger is malformed, not merely unknown
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="A positive whole number")]


# an entity tag as the portal issues them: the version, strong, in quotes
ETAG_PATTERN = r'^"([1-9][0-9]{0,9})"$'
_ETAG = re.compile(ETAG_PATTERN)


def expected_version(if_match: str | None = Header(
        default=None, alias="If-Match",
        description='The ETag of the version you read, e.g. "3"; required for every change')) -> int:
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
