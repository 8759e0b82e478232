"""Share links, the guest's side: opening a link, entering its password, playing, downloading.

Every request a guest makes carries the link's key and is judged afresh against the database:
a revoked or expired link is refused at the very next request, whatever the guest opened
before. Unknown, malformed, expired and revoked keys are indistinguishable here: each gives
None, and the routes give the one refusal.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from psycopg import Connection

from portal.auth.rate_limit import Decision
from portal.projects.service import ASSET_COLUMNS, NOT_DELETED, Asset
from portal.security import hash_token, keyed_fingerprint, looks_like_token, new_token

from . import media, policy
from .links import LIVE
from .passwords import verify_password

MAX_USER_AGENT = 512


@dataclass(frozen=True)
class OpenLink:
    """A live link, and the asset it shows."""
    id: int
    permission: policy.Permission
    password_hash: str | None
    expires_at: datetime
    now_epoch: float  # the database clock, for the expiry of media addresses
    asset: Asset

    @property
    def password_protected(self) -> bool:
        return self.password_hash is not None


_LINK_COLUMNS = ("link_id", "permission", "password_hash", "expires_at", "now_epoch")


def live_link(conn: Connection, token: str | None) -> OpenLink | None:
    """The link behind `token` when it is live and its asset still exists; else None.

    The link's row is locked FOR SHARE until the request's transaction ends: a revocation waits
    for the guest requests already under way, and a request that comes after it finds the link
    revoked (PostgreSQL re-checks the condition on the revoked row). A view is never logged after
    the revocation that should have stopped it.
    """
    if not looks_like_token(token):
        return None
    row = conn.execute(
        "SELECT l.id AS link_id, l.permission, l.password_hash, l.expires_at,"
        f"      extract(epoch FROM now())::float8 AS now_epoch, {ASSET_COLUMNS}"
        "  FROM share_links l JOIN assets a ON a.id = l.asset_id JOIN projects p ON p.id = a.project_id"
        f" WHERE l.token_hash = %s AND {LIVE} AND {NOT_DELETED}"
        " FOR SHARE OF l",
        (hash_token(token),),
    ).fetchone()
    if row is None:
        return None
    asset = Asset(**{k: v for k, v in row.items() if k not in _LINK_COLUMNS})
    return OpenLink(id=row["link_id"], permission=policy.Permission(row["permission"]),
                    password_hash=row["password_hash"], expires_at=row["expires_at"], now_epoch=row["now_epoch"],
                    asset=asset)


def record_view(conn: Connection, link: OpenLink, secret: str, client_address: str, user_agent: str,
                viewed: bool = True) -> None:
    """Append a view to the link's view log, unless the page was not `viewed` (only its headers read)."""
    if not viewed:
        return
    conn.execute(
        "INSERT INTO share_link_views (share_link_id, client_hash, user_agent) VALUES (%s, %s, %s)",
        (link.id, keyed_fingerprint(secret, client_address), (user_agent or "")[:MAX_USER_AGENT]),
    )


# -- passwords --------------------------------------------------------------------------------

def is_unlocked(conn: Connection, link: OpenLink, grant: str | None) -> bool:
    """Has this browser entered the link's password (or does the link have none)?"""
    if not link.password_protected:
        return True
    if not looks_like_token(grant):
        return False
    row = conn.execute(
        "SELECT 1 FROM share_link_unlocks WHERE grant_hash = %s AND share_link_id = %s AND expires_at > now()",
        (hash_token(grant), link.id),
    ).fetchone()
    return row is not None


class Attempt(str, Enum):
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class Unlocked:
    grant: str  # the cookie value; the database keeps its hash


def unlock(conn: Connection, link: OpenLink, password: str, secret: str,
           client_address: str) -> Unlocked | tuple[Attempt, Decision]:
    """Check a password attempt. A wrong one is recorded; while the link is locked (5 wrong
    within 15 minutes) no attempt is checked, not even the right password."""
    # one attempt at a time per link, so that racing guesses cannot slip past the count
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"share-link-password:{link.id}",))
    ages = [r["age"] for r in conn.execute(
        "SELECT extract(epoch FROM now() - failed_at)::float8 AS age FROM share_link_password_failures"
        " WHERE share_link_id = %s AND failed_at > now() - make_interval(secs => %s)",
        (link.id, policy.LOCKOUT_WINDOW_SECONDS),
    ).fetchall()]
    decision = policy.password_attempt_allowed(ages)
    if not decision.allowed:
        return Attempt.LOCKED, decision
    if link.password_hash is None or not verify_password(link.password_hash, password):
        conn.execute("INSERT INTO share_link_password_failures (share_link_id, client_hash) VALUES (%s, %s)",
                     (link.id, keyed_fingerprint(secret, client_address)))
        return Attempt.WRONG, decision
    grant = new_token()
    conn.execute(
        "INSERT INTO share_link_unlocks (share_link_id, grant_hash, expires_at)"
        " VALUES (%s, %s, LEAST(%s, now() + make_interval(hours => %s)))",
        (link.id, hash_token(grant), link.expires_at, policy.UNLOCK_HOURS),
    )
    return Unlocked(grant)


# -- media ------------------------------------------------------------------------------------

def playback_url(link: OpenLink, media_url: str, secret: str, ttl_seconds: int) -> str:
    path = media.playback_path(link.asset.playback_id)
    return media.signed_url(media_url, secret, path, int(link.now_epoch) + ttl_seconds)


def download_url(link: OpenLink, media_url: str, secret: str, ttl_seconds: int) -> str:
    path = media.file_path(link.asset.storage_key)
    return media.signed_url(media_url, secret, path, int(link.now_epoch) + ttl_seconds)
