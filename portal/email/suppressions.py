"""The suppression list: addresses that get no email of any kind from the portal.

An address is suppressed at once by a hard bounce, a complaint or Resend's own suppression,
and after three soft bounces within 30 days. A studio admin can lift a suppression; the entry
stays as history and the lifting is audited.
"""
from __future__ import annotations

from psycopg import Connection

from portal.accounts.users import User
from portal.audit import log as audit
from portal.security import fingerprint, redact_email

SOFT_BOUNCE_LIMIT = 3
SOFT_BOUNCE_WINDOW_DAYS = 30

REASONS = ("hard_bounce", "complaint", "soft_bounces", "provider")


def normalized(address: str) -> str:
    return address.strip().lower()


def standing_reason(conn: Connection, address: str) -> str | None:
    """Why `address` is suppressed right now, or None when mail may go to it."""
    row = conn.execute(
        "SELECT reason FROM suppressions WHERE address = %s AND lifted_at IS NULL", (normalized(address),)
    ).fetchone()
    return row["reason"] if row else None


def _lock(conn: Connection, address: str) -> None:
    # reports about one address are judged one at a time, so that concurrent soft bounces all count
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"suppression:{address}",))


def suppress(conn: Connection, address: str, reason: str, event_id: int) -> bool:
    """Suppress `address` because of the report `event_id`; False when it already was."""
    row = conn.execute(
        "INSERT INTO suppressions (address, reason, caused_by_event_id) VALUES (%s, %s, %s)"
        " ON CONFLICT (address) WHERE lifted_at IS NULL DO NOTHING RETURNING id",
        (normalized(address), reason, event_id),
    ).fetchone()
    return row is not None


def soft_bounces(conn: Connection, address: str) -> int:
    """Soft bounces of `address` within the window, counting only those received after the
    address's suppression was last lifted (lifting starts the count afresh)."""
    return conn.execute(
        "SELECT count(*) AS n FROM email_events e"
        " WHERE e.bounce = 'soft' AND e.addresses @> ARRAY[%(f)s]::text[]"
        "   AND e.occurred_at > now() - make_interval(days => %(days)s)"
        "   AND e.received_at > coalesce((SELECT max(lifted_at) FROM suppressions WHERE address = %(a)s),"
        "                                '-infinity'::timestamptz)",
        {"a": normalized(address), "f": fingerprint(normalized(address)), "days": SOFT_BOUNCE_WINDOW_DAYS},
    ).fetchone()["n"]


def apply_report(conn: Connection, event_id: int, addresses: list[str], reason: str | None, soft_bounce: bool) -> bool:
    """The address-level effect of one report (already recorded as `event_id`); True if it
    suppressed an address."""
    suppressed = False
    for address in addresses:
        _lock(conn, address)
        if reason is not None:
            suppressed |= suppress(conn, address, reason, event_id)
        elif soft_bounce and soft_bounces(conn, address) >= SOFT_BOUNCE_LIMIT:
            suppressed |= suppress(conn, address, "soft_bounces", event_id)
    return suppressed


_LIST = """
SELECT s.id, s.address, s.reason, s.created_at, s.lifted_at,
       e.type AS event_type, e.occurred_at AS event_occurred_at, e.svix_id, e.bounce, e.detail,
       m.public_id AS email_public_id
  FROM suppressions s
  JOIN email_events e ON e.id = s.caused_by_event_id
  LEFT JOIN emails m ON m.id = e.email_id
"""


def standing(conn: Connection, limit: int = 500) -> list[dict]:
    return conn.execute(_LIST + " WHERE s.lifted_at IS NULL ORDER BY s.created_at DESC, s.id DESC LIMIT %s",
                        (limit,)).fetchall()


def lift(conn: Connection, suppression_id: int, admin: User) -> dict | None:
    """Lift a standing suppression; None when there is no such standing suppression."""
    row = conn.execute(
        "UPDATE suppressions SET lifted_at = now(), lifted_by_user_id = %s"
        " WHERE id = %s AND lifted_at IS NULL RETURNING id, address, reason",
        (admin.id, suppression_id),
    ).fetchone()
    if row is None:
        return None
    audit.record(conn, "email.suppression_lifted", "succeeded", actor_label=redact_email(admin.email),
                 actor_user_id=admin.id, tenant_id=admin.tenant_id, reason=row["reason"],
                 details={"address": redact_email(row["address"]), "suppression_id": row["id"]})
    return conn.execute(_LIST + " WHERE s.id = %s", (row["id"],)).fetchone()
