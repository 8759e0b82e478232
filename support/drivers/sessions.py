"""The sessions driver: being signed in, who the portal thinks you are, signing out, and the
session cookie a browser holds."""
from __future__ import annotations

from support.data import factories
from support.harness import clock
from support.harness.http import Exchange, PortalClient

SESSION_COOKIE = "portal_session"


def session_id_in(client: PortalClient) -> str | None:
    """The browser's session cookie (the newest, should an attacker have planted another)."""
    values = [c.value for c in client.cookies.jar if c.name == SESSION_COOKIE]
    return values[-1] if values else None


def plant_session_id(client: PortalClient, value: str) -> None:
    host = client.http.base_url.host
    client.cookies.set(SESSION_COOKIE, value, domain=host, path="/")


def remember_session(world, client: PortalClient) -> str | None:
    value = session_id_in(client)
    if value:
        world.remember_secret(value)
    return value


def profile(client: PortalClient) -> Exchange:
    return client.get("/me")


def sign_out(client: PortalClient) -> Exchange:
    return client.post("/auth/sign-out")


def session_cookie_header(exchange: Exchange) -> str | None:
    for name, value in exchange.response_headers:
        if name.lower() == "set-cookie" and value.startswith(f"{SESSION_COOKIE}="):
            return value
    return None


def cookie_attributes(set_cookie: str) -> dict[str, str]:
    attributes = {}
    for part in set_cookie.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        attributes[key.lower()] = value
    return attributes


def move_sessions_back(world, actor, hours: float) -> None:
    moved = clock.move_back(world, "sessions", ("created_at", "expires_at"), hours * 60, "user_id = %s", (actor.user_id,))
    assert moved, f"{actor.name} has no session to move back in time"


def ensure_signed_in(world, who):
    """The actor, with an account and a signed-in browser (the session arranged directly, once, and
    written with the account when that is new)."""
    actor = world.actor(who)
    if session_id_in(actor.client) is not None:
        return world.account(who)
    session_id = factories.new_session_id()
    world.remember_secret(session_id)
    world.account(who, session_id=session_id)
    plant_session_id(actor.client, session_id)
    return actor


def arranged_session(world, actor) -> str:
    """A session created directly in the database (fast; for scenarios not about signing in)."""
    session_id = factories.create_session(world.db, actor.user_id)
    world.remember_secret(session_id)
    return session_id


def stored_session_hashes(world, actor) -> list[str]:
    rows = world.db.execute("SELECT id_hash FROM sessions WHERE user_id = %s", (actor.user_id,)).fetchall()
    return [r["id_hash"] for r in rows]
