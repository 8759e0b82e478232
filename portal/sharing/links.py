"""Share links, the owner's side: create, list, rotate and revoke them; and the expiry sweep.

A link's key is shown once, when the link is made; the portal keeps only its SHA-256. A link
dies by revocation (also by rotation or by deleting its asset) or by reaching its expiry, and
stays dead: nothing here, and a trigger in the database besides, ever brings one back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from psycopg import Connection

from portal.accounts.users import User
from portal.audit import log as audit
from portal.projects.removal import Removal
from portal.security import hash_token, new_token, redact_email

from .policy import Permission

# the one definition of a link that still opens (l: share_links)
LIVE = "l.revoked_at IS NULL AND l.expired_at IS NULL AND l.expires_at > now()"

_SELECT = f"""
SELECT l.id, l.asset_id, l.permission, l.password_hash IS NOT NULL AS password_protected,
       CASE WHEN l.revoked_at IS NOT NULL THEN 'revoked'
            WHEN NOT ({LIVE}) THEN 'expired'
            ELSE 'live' END AS status,
       l.created_at, c.name AS created_by, l.expires_at, l.expired_at,
       l.revoked_at, r.name AS revoked_by, l.rotated_from,
       (SELECT count(*) FROM share_link_views v WHERE v.share_link_id = l.id) AS view_count,
       (SELECT max(v.viewed_at) FROM share_link_views v WHERE v.share_link_id = l.id) AS last_viewed_at
  FROM share_links l
  JOIN users c ON c.id = l.created_by
  LEFT JOIN users r ON r.id = l.revoked_by
"""


@dataclass(frozen=True)
class ShareLink:
    id: int
    asset_id: int
    permission: str
    password_protected: bool
    status: str  # live | revoked | expired
    created_at: datetime
    created_by: str
    expires_at: datetime
    expired_at: datetime | None
    revoked_at: datetime | None
    revoked_by: str | None
    rotated_from: int | None
    view_count: int
    last_viewed_at: datetime | None


@dataclass(frozen=True)
class Issued:
    """A link just made, with its key: the only moment the key exists outside the guest's hands."""
    link: ShareLink
    token: str


class RotationRefused(str, Enum):
    NOT_LIVE = "not_live"  # revoked or expired: rotating it would bring a dead link back


def _audit(conn: Connection, user: User, action: str, link_id: int, asset_id: int, reason: str | None = None,
           **details) -> None:
    audit.record(conn, action, "succeeded", actor_label=redact_email(user.email), actor_user_id=user.id,
                 tenant_id=user.tenant_id, reason=reason,
                 details={"share_link_id": link_id, "asset_id": asset_id, **details})


def get(conn: Connection, asset_id: int, link_id: int) -> ShareLink | None:
    row = conn.execute(_SELECT + " WHERE l.id = %s AND l.asset_id = %s", (link_id, asset_id)).fetchone()
    return ShareLink(**row) if row else None


def list_for_asset(conn: Connection, asset_id: int) -> list[ShareLink]:
    rows = conn.execute(_SELECT + " WHERE l.asset_id = %s ORDER BY l.id DESC", (asset_id,)).fetchall()
    return [ShareLink(**r) for r in rows]


def _insert(conn: Connection, asset_id: int, user: User, permission: str, password_hash: str | None,
            expires_at_sql: str, params: tuple, rotated_from: int | None = None) -> tuple[int, str]:
    token = new_token()
    row = conn.execute(
        "INSERT INTO share_links (asset_id, token_hash, permission, password_hash, created_by, expires_at, rotated_from)"
        f" VALUES (%s, %s, %s, %s, %s, {expires_at_sql}, %s) RETURNING id",
        (asset_id, hash_token(token), permission, password_hash, user.id, *params, rotated_from),
    ).fetchone()
    return row["id"], token


def create(conn: Connection, user: User, asset_id: int, *, expires_in_hours: int, permission: Permission,
           password_hash: str | None) -> Issued:
    link_id, token = _insert(conn, asset_id, user, permission.value, password_hash,
                             "now() + make_interval(hours => %s)", (expires_in_hours,))
    _audit(conn, user, "share_link.created", link_id, asset_id, permission=permission.value,
           expires_in_hours=expires_in_hours, password_protected=password_hash is not None)
    return Issued(get(conn, asset_id, link_id), token)


# A revocation first locks the link's row (waiting for the guest requests that hold it FOR SHARE,
# see guest.live_link), then stamps clock_timestamp(): the moment it takes effect, not now(), the
# start of its transaction. So no view is ever logged later than the revocation that stopped it.
# (An UPDATE alone would compute clock_timestamp() before waiting for those requests.)


def _lock(conn: Connection, where: str, params: tuple) -> None:
    conn.execute(f"SELECT 1 FROM share_links l WHERE {where} FOR UPDATE", params)


def revoke(conn: Connection, user: User, asset_id: int, link_id: int) -> ShareLink | None:
    """Revoke the link (at once: the next request with its key is refused). Revoking a revoked
    link changes nothing: the first revocation, and who made it, stay on record."""
    _lock(conn, "l.id = %s AND l.asset_id = %s", (link_id, asset_id))
    row = conn.execute(
        "UPDATE share_links SET revoked_at = clock_timestamp(), revoked_by = %s, revoked_reason = 'revoked'"
        " WHERE id = %s AND asset_id = %s AND revoked_at IS NULL RETURNING id",
        (user.id, link_id, asset_id),
    ).fetchone()
    if row:
        _audit(conn, user, "share_link.revoked", link_id, asset_id, reason="revoked")
    return get(conn, asset_id, link_id)


def rotate(conn: Connection, user: User, asset_id: int, link_id: int) -> Issued | RotationRefused | None:
    """A new key for a live link, in one step: the old link is revoked and a new one takes its
    place with the same permission, password and expiry. Of two racing rotations one wins; the
    other finds the link already revoked."""
    _lock(conn, "l.id = %s AND l.asset_id = %s", (link_id, asset_id))
    old = conn.execute(
        "UPDATE share_links l SET revoked_at = clock_timestamp(), revoked_by = %s, revoked_reason = 'rotated'"
        f" WHERE l.id = %s AND l.asset_id = %s AND {LIVE}"
        " RETURNING l.id, l.permission, l.password_hash, l.expires_at",
        (user.id, link_id, asset_id),
    ).fetchone()
    if old is None:
        return RotationRefused.NOT_LIVE if get(conn, asset_id, link_id) else None
    new_id, token = _insert(conn, asset_id, user, old["permission"], old["password_hash"], "%s",
                            (old["expires_at"],), rotated_from=link_id)
    _audit(conn, user, "share_link.revoked", link_id, asset_id, reason="rotated", replaced_by=new_id)
    _audit(conn, user, "share_link.rotated", new_id, asset_id, rotated_from=link_id)
    return Issued(get(conn, asset_id, new_id), token)


def revoke_all(conn: Connection, user: User, asset_ids: list[int], reason: str) -> list[int]:
    """Revoke every link to these assets that is not revoked yet; return their ids."""
    if not asset_ids:
        return []
    _lock(conn, "l.asset_id = ANY(%s) AND l.revoked_at IS NULL", (asset_ids,))
    rows = conn.execute(
        "UPDATE share_links SET revoked_at = clock_timestamp(), revoked_by = %s, revoked_reason = %s"
        " WHERE asset_id = ANY(%s) AND revoked_at IS NULL RETURNING id, asset_id",
        (user.id, reason, asset_ids),
    ).fetchall()
    for row in rows:
        _audit(conn, user, "share_link.revoked", row["id"], row["asset_id"], reason=reason)
    return sorted(r["id"] for r in rows)


def revoke_removed(conn: Connection, removal: Removal) -> dict:
    """A deleted cut's links die with it (registered with projects' removals in portal/app.py)."""
    return {"revoked_share_link_ids": revoke_all(conn, removal.by, removal.asset_ids, reason=removal.reason)}


def sweep_expired(conn: Connection) -> int:
    """The expiry sweep: mark links past their expiry as expired; return how many it marked.

    Bookkeeping only (the link already refuses guests from its expiry on, see LIVE), and
    idempotent: a second run finds nothing to mark.
    """
    cur = conn.execute(
        "UPDATE share_links SET expired_at = now()"
        " WHERE expired_at IS NULL AND revoked_at IS NULL AND expires_at <= now()"
    )
    return cur.rowcount
