"""The sign-in driver: what a person does with the portal's magic links, as functions."""
from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from support.harness import clock

from support.evidence import attachments
from support.harness.expect import answered
from support.harness.http import Exchange, PortalClient

LINK_REQUESTS = "/auth/sign-in-links"
SESSION_COOKIE = "portal_session"


class _Form(HTMLParser):
    """The first form of a page: where it posts and the fields it sends."""

    def __init__(self):
        super().__init__()
        self.action: str | None = None
        self.method = "get"
        self.fields: dict[str, str] = {}
        self._state = "before"  # before -> inside -> after the first form

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self._state == "before":
            self._state = "inside"
            self.action, self.method = attrs.get("action", ""), (attrs.get("method") or "get").lower()
        elif tag == "input" and self._state == "inside" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self._state == "inside":
            self._state = "after"


def confirmation_form(page: Exchange) -> _Form | None:
    form = _Form()
    form.feed(page.response_body)
    return form if form.action is not None else None


def ask_for_link(world, actor, next_path: str | None = None, client: PortalClient | None = None,
                 email: str | None = None) -> Exchange:
    body = {"email": email or actor.email}
    if next_path is not None:
        body["next"] = next_path
    return (client or actor.client).post(LINK_REQUESTS, json=body)


def receive_link(world, actor) -> str:
    """Wait for the next sign-in email to the actor (one not looked at yet) and return its link."""
    import time

    began = time.perf_counter()
    emails = world.run.resend.wait_for_email_to(actor.email, count=actor.emails_seen + 1)
    world.run.add_time("waiting_s", time.perf_counter() - began)
    email = emails[actor.emails_seen]
    actor.emails_seen += 1
    link = next((l for l in email.links if "/auth/magic-link" in l), None)
    if link is None:
        raise AssertionError(f"the email to {actor.name} ({email.subject!r}) holds no sign-in link: {email.links}")
    world.remember_secret(token_of(link))
    attachments.attach_email(world, email)
    actor.sign_in_links.append(link)
    return link


def token_of(link: str) -> str:
    return (parse_qs(urlsplit(link).query).get("token") or [""])[0]


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def open_link(client: PortalClient, link: str) -> Exchange:
    return client.get(path_of(link))


def confirm(client: PortalClient, page: Exchange) -> Exchange:
    """Submit the confirmation form the page shows, as the browser would."""
    form = confirmation_form(page)
    if form is None or form.method != "post":
        raise AssertionError(f"the page offers no confirmation form: {page.summary()}")
    return client.post(form.action, data=form.fields)


def confirm_token(client: PortalClient, token: str) -> Exchange:
    return client.post("/auth/magic-link", data={"token": token})


def follow_link(client: PortalClient, link: str) -> Exchange:
    """Open the link and confirm, like a person: the answer that ends the attempt."""
    page = open_link(client, link)
    if page.status != 200:
        return page
    return confirm(client, page)


def sign_in(world, actor, next_path: str | None = None) -> Exchange:
    """The whole real flow: ask, receive the email, follow the link."""
    answered(world, ask_for_link(world, actor, next_path), 202, meaning="the link request to be accepted")
    link = receive_link(world, actor)
    outcome = answered(world, follow_link(actor.client, link), 303, meaning=f"{actor.name} to be signed in")
    remember_session(world, actor.client)
    return outcome


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


def move_links_back(world, actor, minutes: float) -> None:
    moved = clock.move_back(world, "sign_in_links", ("issued_at", "expires_at"), minutes, "user_id = %s", (actor.user_id,))
    assert moved, f"{actor.name} has no sign-in link to move back in time"


def move_sessions_back(world, actor, hours: float) -> None:
    moved = clock.move_back(world, "sessions", ("created_at", "expires_at"), hours * 60, "user_id = %s", (actor.user_id,))
    assert moved, f"{actor.name} has no session to move back in time"


REFUSAL_HEADING = "This sign-in link can't be used"


def forged_link(world) -> str:
    """A well-formed link with a random key the portal never issued."""
    import secrets

    token = secrets.token_urlsafe(32)
    world.remember_secret(token)
    return f"{world.run.base_url}/auth/magic-link?token={token}"


def expect_refusal(world, exchange: Exchange) -> Exchange:
    answered(world, exchange, 400, meaning="the sign-in link refusal")
    if REFUSAL_HEADING not in exchange.response_body.replace("&#39;", "'"):
        raise AssertionError(f"expected the refusal page, but {exchange.summary(world.secrets)}")
    if session_cookie_header(exchange):
        raise AssertionError(f"a refused sign-in set a session cookie: {exchange.summary(world.secrets)}")
    return exchange


def expect_rate_limited(world, exchange: Exchange) -> Exchange:
    answered(world, exchange, 429, meaning="to be asked to wait")
    retry_after = exchange.header("retry-after")
    if not (retry_after and retry_after.isdigit() and int(retry_after) > 0):
        raise AssertionError(f"a rate-limited answer must say how long to wait (Retry-After), but "
                             f"{exchange.summary(world.secrets)}")
    return exchange


def key_bits(token: str) -> int:
    """Bits of randomness a URL-safe base64 key carries; 0 for anything that is not one."""
    import base64
    import binascii
    import re

    if not re.fullmatch(r"[A-Za-z0-9_-]+", token or ""):
        return 0
    try:
        decoded = base64.b64decode(token.replace("-", "+").replace("_", "/") + "=" * (-len(token) % 4), validate=True)
    except (ValueError, binascii.Error):
        return 0
    return len(decoded) * 8


def stored_link_hashes(world) -> list[str]:
    return [r["token_hash"] for r in world.db.execute("SELECT token_hash FROM sign_in_links").fetchall()]


def places_holding(world, secret: str) -> list[str]:
    """Every column, of every table of the portal in any schema, whose value as text contains
    `secret` (as it is, or hex encoded as a bytea column would show it)."""
    from psycopg import sql

    columns = world.db.execute(
        "SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c"
        " JOIN information_schema.tables t USING (table_schema, table_name)"
        " WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')"
    ).fetchall()
    found = []
    for column in columns:
        query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {t} WHERE {c}::text LIKE %s OR {c}::text LIKE %s) AS hit").format(
            t=sql.Identifier(column["table_schema"], column["table_name"]), c=sql.Identifier(column["column_name"]))
        if world.db.execute(query, (f"%{secret}%", f"%{secret.encode().hex()}%")).fetchone()["hit"]:
            found.append(f"{column['table_schema']}.{column['table_name']}.{column['column_name']}")
    return found


def move_link_requests_back(world, minutes: float) -> None:
    """Every link request this scenario made now lies `minutes` in the past.

    Scoped by time to this scenario: in local mode each run (and each parallel worker) has a
    database of its own; the rate-limit scenarios need the fakes, so they never run live.
    """
    moved = clock.move_back(world, "rate_limit_hits", ("hit_at",), minutes, "hit_at >= %s", (world.started_at,))
    assert moved, "no link request of this scenario was found to move back in time"


def ensure_signed_in(world, who):
    """The actor, with an account and a signed-in browser (the session arranged directly, once)."""
    actor = world.account(who)
    if session_id_in(actor.client) is None:
        plant_session_id(actor.client, arranged_session(world, actor))
    return actor


def arranged_session(world, actor) -> str:
    """A session created directly in the database (fast; for scenarios not about signing in)."""
    from support.data import factories

    session_id = factories.create_session(world.db, actor.user_id)
    world.remember_secret(session_id)
    return session_id


def use_portal_configured(context, **settings) -> None:
    """From now on the scenario talks to a portal instance of its own with these settings
    (same code, same database; the run's worker delivers its email)."""
    from behave import use_fixture

    from support.fixtures import portal_instance

    instance = use_fixture(portal_instance, context, **settings)
    context.world.switch_portal(instance.url)


def stored_session_hashes(world, actor) -> list[str]:
    rows = world.db.execute("SELECT id_hash FROM sessions WHERE user_id = %s", (actor.user_id,)).fetchall()
    return [r["id_hash"] for r in rows]


def all_at_once(calls: list) -> list:
    """Run every call on a thread of its own, released together by a barrier; results in order."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    start = Barrier(len(calls))

    def run(call):
        start.wait(timeout=30)  # every caller ready, then all go at once
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@dataclass
class LinkHolder:
    email: str
    token: str
    client: PortalClient


def crowd_with_links(world, count: int) -> list[LinkHolder]:
    """`count` account holders (Brightside producers), each with a fresh sign-in link of their own.

    Each asks from a network of their own, as people do, so the per-network limit is not in play.
    """
    from support.data import factories
    from support.data.personas import persona

    theo = persona("Theo")
    tenant_id = world.tenant(theo.organisation)
    crowd = []
    for i in range(count):
        email = f"producer{i}.{world.suffix}@{theo.organisation.email_domain}"
        factories.create_user(world.db, tenant_id, theo, email, status="active")
        client = world.client(f"Producer {i + 1}")
        answered(world, ask_for_link(world, None, client=client, email=email), 202)
        crowd.append(LinkHolder(email, "", client))
    for holder in crowd:
        email = world.run.resend.wait_for_email_to(holder.email)[0]
        link = next(l for l in email.links if "/auth/magic-link" in l)
        holder.token = token_of(link)
        world.remember_secret(holder.token)
    return crowd
