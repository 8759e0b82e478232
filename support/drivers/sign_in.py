"""The sign-in driver: what a person does with the portal's magic links, as functions."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from support.drivers.pages import first_form
from support.drivers.sessions import remember_session, session_cookie_header
from support.evidence import attachments
from support.harness import clock
from support.harness.expect import answered
from support.harness.http import Exchange, PortalClient

LINK_REQUESTS = "/auth/sign-in-links"
def attempt_link_request(world, actor, next_path: str | None = None, client: PortalClient | None = None,
                 email: str | None = None) -> Exchange:
    body = {"email": email or actor.email}
    if next_path is not None:
        body["next"] = next_path
    return (client or actor.client).post(LINK_REQUESTS, json=body)


def request_link(world, actor, next_path: str | None = None, client: PortalClient | None = None,
                 email: str | None = None) -> Exchange:
    """Ask for a sign-in link, expecting the portal to accept the request."""
    return answered(world, attempt_link_request(world, actor, next_path, client, email), 202,
                    meaning="the link request to be accepted")


def asked_for_links(world, who, count: int) -> None:
    """`who` has asked for `count` links, each accepted; the emails they brought count as seen."""
    actor = world.actor(who)
    if actor.persona.has_account:
        world.account(who)
    for _ in range(count):
        request_link(world, actor)
    world.wait_until_portal_idle()
    actor.emails_seen = len(world.run.resend.emails_to(actor.email))


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


def new_link(world, actor, next_path: str | None = None) -> str:
    """Ask for a link and receive it, expecting both to work; it becomes the scenario's link."""
    request_link(world, actor, next_path)
    world.sign_in.link = receive_link(world, actor)
    return world.sign_in.link


def token_of(link: str) -> str:
    return (parse_qs(urlsplit(link).query).get("token") or [""])[0]


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def open_link(client: PortalClient, link: str) -> Exchange:
    return client.get(path_of(link))


def confirm(client: PortalClient, page: Exchange) -> Exchange:
    """Submit the confirmation form the page shows, as the browser would."""
    form = first_form(page)
    if form is None or form.method != "post":
        raise AssertionError(f"the page offers no confirmation form: {page.summary()}")
    return client.post(form.action, data=form.fields)


def confirm_token(client: PortalClient, token: str, headers: dict[str, str] | None = None) -> Exchange:
    return client.post("/auth/magic-link", data={"token": token}, headers=headers)


def follow_link(client: PortalClient, link: str) -> Exchange:
    """Open the link and confirm, like a person: the answer that ends the attempt."""
    page = open_link(client, link)
    if page.status != 200:
        return page
    return confirm(client, page)


def sign_in(world, actor, next_path: str | None = None) -> Exchange:
    """The whole real flow: ask, receive the email, follow the link."""
    request_link(world, actor, next_path)
    link = receive_link(world, actor)
    world.sign_in.link = link
    outcome = answered(world, follow_link(actor.client, link), 303, meaning=f"{actor.name} to be signed in")
    remember_session(world, actor.client)
    return outcome


def move_links_back(world, actor, minutes: float) -> None:
    moved = clock.move_back(world, "sign_in_links", ("issued_at", "expires_at"), minutes, "user_id = %s", (actor.user_id,))
    assert moved, f"{actor.name} has no sign-in link to move back in time"


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


def stored_link_hashes(world) -> list[str]:
    return [r["token_hash"] for r in world.db.execute("SELECT token_hash FROM sign_in_links").fetchall()]


def move_link_requests_back(world, minutes: float) -> None:
    """Every link request this scenario made now lies `minutes` in the past.

    Scoped by time to this scenario: in local mode each run (and each parallel worker) has a
    database of its own; the rate-limit scenarios need the fakes, so they never run live.
    """
    moved = clock.move_back(world, "rate_limit_hits", ("hit_at",), minutes, "hit_at >= %s", (world.started_at,))
    assert moved, "no link request of this scenario was found to move back in time"


def move_first_link_request_back(world, minutes: float) -> None:
    """The first link request this scenario made (its hit in every limit it counts for) now lies
    `minutes` in the past; the later ones stay where they are."""
    moved = clock.move_back(
        world, "rate_limit_hits", ("hit_at",), minutes,
        "id IN (SELECT DISTINCT ON (bucket) id FROM rate_limit_hits WHERE hit_at >= %s ORDER BY bucket, hit_at, id)",
        (world.started_at,))
    assert moved, "no link request of this scenario was found to move back in time"


def expect_asked_to_wait_at_most(world, exchange: Exchange, seconds: int) -> None:
    """Refused as rate-limited, told to wait no longer than `seconds` (the oldest counted request
    leaves the hour then), not the whole hour."""
    expect_rate_limited(world, exchange)
    retry_after = int(exchange.header("retry-after"))
    if retry_after > seconds:
        raise AssertionError(f"asked to wait {retry_after} s; the first request leaves the hour within {seconds} s")


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
    emails = [f"producer{i}.{world.suffix}@{theo.organisation.email_domain}" for i in range(count)]
    factories.create_users(world.db, tenant_id, theo, emails, status="active")
    crowd = []
    for i, email in enumerate(emails):
        client = world.client(f"Producer {i + 1}")
        request_link(world, None, client=client, email=email)
        crowd.append(LinkHolder(email, "", client))
    for holder in crowd:
        email = world.run.resend.wait_for_email_to(holder.email)[0]
        link = next(l for l in email.links if "/auth/magic-link" in l)
        holder.token = token_of(link)
        world.remember_secret(holder.token)
    return crowd


# -- the links a person may hold (Given ... holds <kind>), each made the way it comes about ------

def _used(world, who) -> str:
    link = new_link(world, world.account(who))
    phone = world.client(f"{who.name}'s phone")  # used elsewhere, so this browser holds no session
    answered(world, follow_link(phone, link), 303, meaning=f"{who.name} to be signed in")
    return link


def _expired(world, who) -> str:
    link = new_link(world, world.account(who))
    move_links_back(world, world.actor(who), 16)
    return link


def _superseded(world, who) -> str:
    earlier = new_link(world, world.account(who))
    new_link(world, world.actor(who))
    return earlier


def _of_suspended_account(world, who) -> str:
    link = new_link(world, world.account(who))
    world.account(who, status="suspended")
    return link


HELD_LINKS = {
    "a link he has already used": _used,
    "a link that expired": _expired,
    "a link superseded by a newer one": _superseded,
    "a link with a key the portal never issued": lambda world, who: forged_link(world),
    "a link with a mangled key": lambda world, who: new_link(world, world.account(who))[:-5],  # cut short, as some mail clients do
    "a link with no key at all": lambda world, who: new_link(world, world.account(who)).split("?")[0],
    "a link whose key has characters no key holds":  # "!*$": outside the key alphabet
        lambda world, who: new_link(world, world.account(who))[:-3] + "%21%2A%24",
    "a link of an account since suspended": _of_suspended_account,
}


def hold(world, who, kind: str) -> str:
    """`who` holds a sign-in link of this kind; it becomes the scenario's link."""
    world.sign_in.link = HELD_LINKS[kind](world, who)
    return world.sign_in.link


def newest_link(world, actor) -> str:
    """Once the portal has sent everything asked for, the link in the newest sign-in email to the actor."""
    world.wait_until_portal_idle()
    emails = world.run.resend.emails_to(actor.email)
    actor.emails_seen = max(0, len(emails) - 1)
    return receive_link(world, actor)
