"""Each email's timeline (the portal's own steps and every report Resend sent about it) and the
queries admins use to follow emails: one email, a recipient's history, the dead letters.
"""
from __future__ import annotations

from psycopg import Connection
from psycopg.types.json import Jsonb

# the portal's own entries in a timeline (Resend's reports carry their event type, `email.*`)
QUEUED = "queued"
ATTEMPT_FAILED = "attempt_failed"
ACCEPTED = "accepted"
DEAD_LETTERED = "dead_lettered"
WITHHELD = "suppressed"           # not sent: the address is suppressed
SENT_AGAIN = "resend_requested"   # an admin sent a dead letter again
HELD = "held"                     # refused as every email would be: held with the outbox (holds.py)


def record(conn: Connection, email_id: int, event_type: str, detail: str | None = None,
           payload: dict | None = None) -> None:
    conn.execute(
        "INSERT INTO email_events (email_id, source, type, occurred_at, detail, payload)"
        " VALUES (%s, 'portal', %s, now(), %s, %s)",
        (email_id, event_type, detail, Jsonb(payload or {})),
    )


EMAIL_COLUMNS = (
    "id, public_id, template, recipient, subject, status, status_at, attempts, resends, scrubbed,"
    " created_at, sent_at, last_attempt_at, next_attempt_at, last_error, provider_id"
)


def find(conn: Connection, public_id: str, *, lock: bool = False) -> dict | None:
    """The email with this public id (a well-formed UUID: the caller checks)."""
    return conn.execute(
        f"SELECT {EMAIL_COLUMNS} FROM emails WHERE public_id = %s::uuid" + (" FOR UPDATE" if lock else ""),
        (public_id,),
    ).fetchone()


def entries(conn: Connection, email: dict) -> list[dict]:
    """The email's timeline in the order things happened (a report: when its event happened)."""
    rows = conn.execute(
        "SELECT occurred_at, received_at, source, type, effect, detail FROM email_events"
        " WHERE email_id = %s ORDER BY occurred_at, id",
        (email["id"],),
    ).fetchall()
    queued = {"occurred_at": email["created_at"], "received_at": None, "source": "portal", "type": QUEUED,
              "effect": None, "detail": f"template {email['template']}"}
    return [queued, *rows]


def listing(conn: Connection, recipient: str | None, status: str | None, limit: int) -> list[dict]:
    """Newest first; by recipient (any letter case) and/or status."""
    conditions, params = [], []
    if recipient:
        conditions.append("lower(recipient) = lower(%s)")
        params.append(recipient.strip())
    if status:
        conditions.append("status = %s")
        params.append(status)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return conn.execute(
        f"SELECT {EMAIL_COLUMNS} FROM emails{where} ORDER BY created_at DESC, id DESC LIMIT %s",
        (*params, limit),
    ).fetchall()
