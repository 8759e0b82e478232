"""The share-link driver: what owners and guests do with share links, as functions.

Owners use the portal's API with a signed-in session. A guest is just a browser: no account, no
session, only the link (and, for a protected link, the password they were given).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from support.drivers import audit
from support.drivers.pages import GuestPage, first_form, page_of
from support.drivers.projects import Cut
from support.evidence import attachments
from support.harness import clock
from support.harness.concurrency import all_at_once
from support.harness.expect import answered, same_answer
from support.harness.http import Exchange, PortalClient

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
REFUSAL_HEADING = "This link is not available"
PASSWORD_HEADING = "This cut is protected by a password"


@dataclass
class Link:
    """A share link as the person who shared it received it."""
    url: str
    id: int | None
    cut: Cut
    created: dict  # what the portal answered when it made the link
    password: str | None = None

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def token(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def share_links_of(cut_id: int | str) -> str:
    return f"/assets/{cut_id}/share-links"


def hours_of(duration: timedelta) -> int:
    return int(duration.total_seconds() // 3600)


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


# -- owners -------------------------------------------------------------------------------------

def attempt_share(client: PortalClient, cut_id: int | str, **body) -> Exchange:
    return client.post(share_links_of(cut_id), json=body)


def link_from(world, answer: Exchange, cut: Cut) -> Link:
    created = answer.json()
    link = Link(url=created["url"], id=created["id"], cut=cut, created=created)
    world.remember_secret(link.token)
    return link


def password_of(length: int) -> str:
    """A fresh password of exactly `length` characters."""
    return secrets.token_urlsafe(length)[:length]


def share(world, actor, cut: Cut, **body) -> Link:
    """Share the cut (expecting success) and keep the link as the scenario's current one."""
    answer = answered(world, attempt_share(actor.client, cut.id, **body), 201, meaning=f"{actor.name}'s new share link")
    link = link_from(world, answer, cut)
    if body.get("password"):
        link.password = body["password"]
        world.remember_secret(link.password)
    world.sharing.links.append(link)
    world.sharing.link = link
    return link


def the_link(world) -> Link:
    return world.sharing.link


def list_links(client: PortalClient, cut_id: int | str) -> Exchange:
    return client.get(share_links_of(cut_id))


def links_seen_by(world, actor, cut: Cut) -> list[dict]:
    answer = answered(world, list_links(actor.client, cut.id), 200, meaning=f"the links {actor.name} sees")
    return answer.json()["links"]


def as_seen_by(world, actor, link: Link) -> dict:
    listed = {item["id"]: item for item in links_seen_by(world, actor, link.cut)}
    if link.id not in listed:
        raise AssertionError(f"{actor.name} does not see the link {link.id} among the cut's links: {sorted(listed)}")
    return listed[link.id]


def attempt_revoke(client: PortalClient, link: Link) -> Exchange:
    return client.post(f"{share_links_of(link.cut.id)}/{link.id}/revoke")


def attempt_rotate(client: PortalClient, link: Link) -> Exchange:
    return client.post(f"{share_links_of(link.cut.id)}/{link.id}/rotate")


def revoke(world, actor, link: Link) -> None:
    answered(world, attempt_revoke(actor.client, link), 200, meaning=f"{actor.name} to revoke the link")


def rotate(world, actor, link: Link) -> Link:
    """Rotate (expecting success); the new link becomes the scenario's current one."""
    answer = answered(world, attempt_rotate(actor.client, link), 201, meaning=f"{actor.name} to rotate the link")
    new = link_from(world, answer, link.cut)
    new.password = link.password
    world.sharing.old_link, world.sharing.link = link, new
    return new


# -- guests -------------------------------------------------------------------------------------

def browser(world, who) -> PortalClient:
    """The guest's browser: one per person and scenario, never signed in."""
    browsers = world.sharing.browsers
    if who.name not in browsers:
        browsers[who.name] = world.client(f"{who.name}'s browser", Accept=BROWSER_ACCEPT)
    return browsers[who.name]


def open_link(client: PortalClient, link: Link) -> Exchange:
    return client.get(link.path)


def load_thumbnail(client: PortalClient, link: Link) -> Exchange:
    """What the page's player asks for before playing: the cut's poster image."""
    return client.get(f"{link.path}/thumbnail", headers={"Accept": "image/*"})


def start_video(client: PortalClient, link: Link) -> Exchange:
    """What the page's player asks for: where to stream the cut from."""
    return client.get(f"{link.path}/playback", headers={"Accept": "*/*"})


def download(client: PortalClient, link: Link) -> Exchange:
    return client.get(f"{link.path}/download")


def post_password(client: PortalClient, link: Link, password: str, headers: dict[str, str]) -> Exchange:
    """The password form posted straight to the portal, with what the browser says about its origin."""
    return client.post(f"{link.path}/unlock", data={"password": password}, headers=headers)


def attempt_password(client: PortalClient, link: Link, password: str) -> Exchange:
    """Open the link and, if its page asks for a password, type it in and submit, as a person
    does; the answer is the page the browser ends up showing (the link's page itself when it
    asks for no password, e.g. because the link is no longer available)."""
    page = open_link(client, link)
    form = first_form(page)
    if form is None or form.method != "post":
        return page
    answer = client.post(form.action, data={**form.fields, "password": password})
    if answer.status == 303:
        return client.get(answer.header("location"))
    return answer


ACCESS_COOKIE = "share_access"  # what a browser that entered a link's password keeps


def access_kept(client: PortalClient) -> list[tuple[str, float]]:
    """(path, seconds left) of each access cookie the browser keeps after entering a password."""
    import time

    return [(c.path, c.expires - time.time()) for c in client.cookies.jar
            if c.name == ACCESS_COOKIE and c.expires is not None]


def _owner(world, link: Link):
    return world.actor(link.created["created_by"])


def _revoked(world, link: Link) -> Link:
    revoke(world, _owner(world, link), link)
    return link


def _expired(world, link: Link) -> Link:
    move_link_back(world, link, 8 * 24 * 60)  # past the default 7 days
    return link


def _replaced_by_rotation(world, link: Link) -> Link:
    rotate(world, _owner(world, link), link)
    return link


def _of_deleted_cut(world, link: Link) -> Link:
    from support.drivers.projects import delete_cut

    delete_cut(world, _owner(world, link), link.cut)
    return link


DEAD_LINKS = {
    "a revoked link": _revoked,
    "an expired link": _expired,
    "a link replaced by rotation": _replaced_by_rotation,
    "a link to a deleted cut": _of_deleted_cut,
    "a link whose key was cut short": lambda world, link: mangled(link),
}


def hold_dead_link(world, kind: str) -> Link:
    """The guest's link (the scenario's current one) comes to an end as `kind` says; she still
    holds it: it is both the scenario's link and its old link."""
    dead = DEAD_LINKS[kind](world, the_link(world))
    world.sharing.link = world.sharing.old_link = dead
    return dead


def view(world, guest, link: Link) -> Exchange:
    """The guest opens the link and sees the cut (expected)."""
    return answered(world, open_link(browser(world, guest), link), 200, meaning=f"{guest.name} to see the cut")


def wrong_passwords(world, who, count: int) -> None:
    """`who` tries `count` wrong passwords on the scenario's link, each refused."""
    client = browser(world, who)
    for i in range(count):
        answered(world, attempt_password(client, the_link(world), f"guess-number-{i}"), 401,
                 meaning="a wrong password to be refused")


def forged_link(world, cut: Cut) -> Link:
    """A well-formed link with a key the portal never issued."""
    token = secrets.token_urlsafe(32)
    world.remember_secret(token)
    return Link(url=f"{world.base_url}/s/{token}", id=None, cut=cut, created={})


def mangled(link: Link) -> Link:
    return Link(url=link.url[:-5], id=link.id, cut=link.cut, created=link.created)  # cut short, as some mail clients do


def expect_cut_shown(world, exchange: Exchange, title: str, version: int) -> GuestPage:
    answered(world, exchange, 200, meaning="the page showing the cut")
    page = page_of(exchange)
    if page.heading.strip() != title or not page.texts.get("version", "").startswith(f"Version {version}"):
        raise AssertionError(f"expected the cut {title!r}, version {version}, but the page shows "
                             f"{page.heading.strip()!r}, {page.texts.get('version')!r}")
    if not page.player:
        raise AssertionError(f"the page shows no player: {exchange.summary(world.secrets)}")
    return page


def expect_refused(world, exchange: Exchange) -> Exchange:
    answered(world, exchange, 404, meaning="the refusal of a link that is not available")
    if page_of(exchange).heading.strip() != REFUSAL_HEADING:
        raise AssertionError(f"expected the refusal page, but {exchange.summary(world.secrets)}")
    if exchange.header("location"):
        raise AssertionError(f"a refusal sent the guest on to {exchange.header('location')}")
    return exchange


def expect_password_asked(world, exchange: Exchange) -> GuestPage:
    page = page_of(exchange)
    if page.heading.strip() != PASSWORD_HEADING or not page.password_field:
        raise AssertionError(f"expected the password page, but {exchange.summary(world.secrets)}")
    return page


def expect_nothing_of_the_cut(world, exchange: Exchange, cut: Cut) -> None:
    leaked = [what for what, value in (("title", cut.title), ("playback id", cut.playback_id))
              if value and (value in exchange.response_body or value in (exchange.header("location") or ""))]
    if leaked or page_of(exchange).player:
        raise AssertionError(f"the answer shows the cut's {', '.join(leaked) or 'player'}: {exchange.summary(world.secrets)}")


GUEST_REQUESTS = {
    "opens the share link": open_link,
    "reloads the page": open_link,
    "starts the video": start_video,
    "loads the cut's thumbnail": load_thumbnail,
    "downloads the cut": download,
}


def guest_request(client: PortalClient, request: str, link: Link) -> Exchange:
    return GUEST_REQUESTS[request](client, link)


def expect_same_as_never_existed(world, exchange: Exchange, request: str, cut: Cut) -> None:
    """The answer matches what the same request gets with a key the portal never issued."""
    reference = guest_request(world.client("Reference browser", Accept=BROWSER_ACCEPT), request, forged_link(world, cut))
    expect_refused(world, reference)
    same_answer(world, reference, exchange)


# -- outsiders --------------------------------------------------------------------------------------

OUTSIDER_ATTEMPTS = {
    "see the cut's links": lambda client, link: list_links(client, link.cut.id),
    "add a link to the cut": lambda client, link: attempt_share(client, link.cut.id),
    "rotate the cut's link": attempt_rotate,
    "revoke the cut's link": attempt_revoke,
}
NEVER_ISSUED_ID = 2**62  # a well-formed id no cut or link of a test run ever has


def attempt(client: PortalClient, action: str, link: Link) -> Exchange:
    return OUTSIDER_ATTEMPTS[action](client, link)


def expect_as_if_no_cut(world, exchange: Exchange, client: PortalClient, action: str, link: Link) -> None:
    """Answered 404, exactly as the same request about a cut that never existed."""
    answered(world, exchange, 404, meaning="the answer for a cut that does not exist")
    ghost_cut = Cut(NEVER_ISSUED_ID, NEVER_ISSUED_ID, link.cut.title, 1, "", "")
    ghost = Link(url=link.url, id=NEVER_ISSUED_ID, cut=ghost_cut, created={})
    same_answer(world, attempt(client, action, ghost), exchange)


# -- records no interface shows -------------------------------------------------------------------

_VIEWS = """
SELECT v.viewed_at, v.client_hash, v.user_agent
  FROM share_link_views v JOIN share_links l ON l.id = v.share_link_id
 WHERE l.token_hash = encode(sha256(convert_to(%s, 'UTF8')), 'hex')
 ORDER BY v.id
"""


def view_log(world, link: Link) -> list[dict]:
    rows = world.db.execute(_VIEWS, (link.token,)).fetchall()
    attachments.attach_rows(world, f"View log of the link to {link.cut.title!r}", _VIEWS, rows)
    return rows


_PASSWORD = "SELECT id, password_hash FROM share_links WHERE id = %s"


def stored_password_hash(world, link: Link) -> str | None:
    row = world.db.execute(_PASSWORD, (link.id,)).fetchone()
    shown = {"id": row["id"], "password_hash": row["password_hash"][:40] + "..."} if row and row["password_hash"] else row
    attachments.attach_rows(world, "The link's stored password", _PASSWORD, [shown] if shown else [])
    return row["password_hash"] if row else None


# an argon2id cost the suite's portal does not hash at (it hashes at the lowest, and production at
# 3 passes, 64 MiB, 4 lanes): a password kept before an operator changed the cost
EARLIER_HASH_COST = {"time_cost": 2, "memory_cost": 16, "parallelism": 2}


def keep_password_at_earlier_cost(world, link: Link) -> str:
    """Arrange: the link's password as the portal kept it at an earlier hashing cost; returns that hash."""
    from argon2 import PasswordHasher

    stored = PasswordHasher(**EARLIER_HASH_COST).hash(link.password)
    world.db.execute("UPDATE share_links SET password_hash = %s WHERE id = %s", (stored, link.id))
    return stored


def hash_cost(stored: str | None) -> str:
    """The algorithm and cost a stored password hash names (`$argon2id$v=19$m=16,t=2,p=2$`), without its salt and digest."""
    return "$".join((stored or "").split("$")[:4]) + "$" if stored else "nothing"


def stored_link_hashes(world, cut: Cut) -> list[str]:
    return [r["token_hash"] for r in world.db.execute(
        "SELECT token_hash FROM share_links WHERE asset_id = %s", (cut.id,)).fetchall()]


def links_created_since_start(world) -> int:
    return world.db.execute("SELECT count(*) AS n FROM share_links WHERE created_at >= %s",
                            (world.started_at,)).fetchone()["n"]


def revocations(world, actor, link: Link) -> list[dict]:
    """The audit log's revocation entries by `actor` for this link (attached to the report)."""
    return [e for e in audit.entries(world, "share_link.revoked", actor)
            if e["details"].get("share_link_id") == link.id]


# -- time -----------------------------------------------------------------------------------------

def move_link_back(world, link: Link, minutes: float) -> None:
    moved = clock.move_back(world, "share_links", ("created_at", "expires_at"), minutes, "id = %s", (link.id,))
    assert moved, f"no share link {link.id} to move back in time"


def move_first_view_back(world, link: Link, minutes: float) -> None:
    moved = clock.move_back(
        world, "share_link_views", ("viewed_at",), minutes,
        "id = (SELECT min(id) FROM share_link_views WHERE share_link_id = %s)", (link.id,))
    assert moved, f"the link {link.id} has no view to move back in time"


def move_password_failures_back(world, link: Link, minutes: float) -> None:
    moved = clock.move_back(world, "share_link_password_failures", ("failed_at",), minutes,
                            "share_link_id = %s", (link.id,))
    assert moved, f"the link {link.id} has no wrong password attempts to move back in time"


def crowd_opens_while_revoked(world, owner, link: Link, guests: int) -> tuple[list[Exchange], Exchange]:
    """`guests` browsers open the link at the moment the owner revokes it (all released together)."""

    browsers = [world.client(f"Guest {i + 1}") for i in range(guests)]
    calls = [lambda b=b: open_link(b, link) for b in browsers] + [lambda: attempt_revoke(owner.client, link)]
    *views, revocation = all_at_once(calls)
    answered(world, revocation, 200, meaning=f"{owner.name} to revoke the link")
    return views, revocation


_VIEWS_AFTER_REVOCATION = """
SELECT v.viewed_at, l.revoked_at
  FROM share_link_views v JOIN share_links l ON l.id = v.share_link_id
 WHERE l.id = %s AND (l.revoked_at IS NULL OR v.viewed_at > l.revoked_at)
"""


def views_after_revocation(world, link: Link) -> list[dict]:
    rows = world.db.execute(_VIEWS_AFTER_REVOCATION, (link.id,)).fetchall()
    attachments.attach_rows(world, "Views logged after the revocation", _VIEWS_AFTER_REVOCATION, rows)
    return rows
