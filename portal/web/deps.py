"""Request-scoped dependencies shared by every router."""
from __future__ import annotations

from importlib import resources
from typing import Iterator

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from psycopg import Connection

from portal.accounts import sessions
from portal.accounts.users import User
from portal.config import Settings
from portal.web.errors import ApiError

templates = Jinja2Templates(directory=str(resources.files("portal") / "web" / "templates"))


def settings(request: Request) -> Settings:
    return request.app.state.settings


def db(request: Request) -> Iterator[Connection]:
    """One connection and one transaction per request: committed on success, rolled back on error."""
    with request.app.state.pool.connection() as conn:
        with conn.transaction():
            yield conn


def session_cookie(request: Request) -> str | None:
    return request.cookies.get(request.app.state.settings.session_cookie_name)


# committed before the response leaves: a client that acts on the answer sees its effects
DB = Depends(db, scope="function")


def current_user(request: Request, conn: Connection = DB) -> User:
    user = sessions.resolve(conn, session_cookie(request))
    if user is None:
        raise ApiError(401, "not_signed_in", "Sign in to continue.")
    return user


def require_roles(*roles: str):
    """A dependency: the signed-in user, when their role is one of `roles`.

    Anyone else gets 404, not 403: the portal does not confirm that an admin-only or another
    tenant's resource exists.
    """
    allowed = frozenset(roles)

    def dependency(user: User = Depends(current_user)) -> User:
        if user.role.value not in allowed:
            raise ApiError(404, "not_found", "Nothing is here.")
        return user

    return dependency


def client_address(request: Request) -> str:
    # uvicorn has already applied X-Forwarded-For from trusted proxies (PORTAL_TRUSTED_PROXIES)
    return request.client.host if request.client else "unknown"


def is_https(request: Request) -> bool:
    return request.url.scheme == "https" or request.app.state.settings.served_over_https
