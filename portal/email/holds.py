"""Holding the outbox while Resend refuses every email alike.

A quota used up (429 daily_quota_exceeded / monthly_quota_exceeded) or a configuration Resend
refuses (401/403: a missing, invalid or send-only API key, an unverified domain; 422
invalid_from_address) says nothing about the email that met it: every other email would be
refused the same way. Spending each email's retry schedule on it would dead-letter the day's
mail (and a dead sign-in email can never be sent again). Instead the portal:

- holds the whole outbox: nothing is sent until the hold's end, and no email's attempts are spent;
- then tries one email: accepted, the hold ends and the outbox flows again; refused again, the
  hold is extended by the same length;
- tells studio admins once: the hold itself (GET /admin/email-delivery, one row per episode however
  many emails it stops), one audit entry and one warning in the log when it opens;
- shows it in readiness (`email_provider`: `quota_exceeded` or `refused`).
"""
from __future__ import annotations

import logging
from datetime import datetime

from psycopg import Connection

from portal.audit import log as audit

log = logging.getLogger(__name__)

# how long a hold lasts before one email is tried again. A quota answer carries no documented
# retry-after (Resend: "wait until 24 hours have passed", or upgrade the plan): an hourly probe
# costs one call and notices a reset or an upgrade within the hour. A refused configuration is
# fixed by a person, so the portal looks again sooner.
HOLD_MINUTES = {"quota": 60, "refused": 15}

HOLD_COLUMNS = "id, kind, reason, detail, started_at, held_until, refusals, last_refused_at, ended_at"


def open_hold(conn: Connection) -> dict | None:
    """The hold in force (even when its end has passed and no email has been tried since)."""
    return conn.execute(f"SELECT {HOLD_COLUMNS} FROM email_holds WHERE ended_at IS NULL").fetchone()


# the outbox is held right now: a hold is open and its end has not come. A condition, so that the
# statement that picks the next email to send asks it in the same round trip (delivery.deliver_due)
HELD = "EXISTS (SELECT 1 FROM email_holds WHERE ended_at IS NULL AND held_until > now())"


def hold(conn: Connection, kind: str, reason: str, detail: str, retry_after_seconds: int | None) -> datetime:
    """Open a hold, or extend the open one; return until when nothing is sent.

    The provider's Retry-After, when it gives one, wins when it asks for longer."""
    seconds = max(HOLD_MINUTES[kind] * 60, retry_after_seconds or 0)
    row = conn.execute(
        "INSERT INTO email_holds (kind, reason, detail, held_until) VALUES (%s, %s, %s, now() + make_interval(secs => %s))"
        " ON CONFLICT ((true)) WHERE ended_at IS NULL DO UPDATE SET kind = EXCLUDED.kind, reason = EXCLUDED.reason,"
        " detail = EXCLUDED.detail, held_until = EXCLUDED.held_until, refusals = email_holds.refusals + 1,"
        " last_refused_at = now()"
        " RETURNING held_until, refusals",
        (kind, reason, detail[:500], seconds),
    ).fetchone()
    if row["refusals"] == 1:  # told once, when the hold opens
        log.warning("email delivery held until %s: Resend answered %s", row["held_until"].isoformat(), detail)
        audit.record(conn, "email.delivery_held", "succeeded", actor_label="portal",
                     details={"kind": kind, "reason": reason, "held_until": row["held_until"].isoformat()})
    return row["held_until"]


def release(conn: Connection) -> None:
    """Resend accepted an email: the open hold, if any, ends."""
    row = conn.execute(
        "UPDATE email_holds SET ended_at = now() WHERE ended_at IS NULL RETURNING kind, reason"
    ).fetchone()
    if row is not None:
        log.info("email delivery resumed: Resend accepts email again (held for %s)", row["reason"])
        audit.record(conn, "email.delivery_resumed", "succeeded", actor_label="portal",
                     details={"kind": row["kind"], "reason": row["reason"]})


def waiting(conn: Connection) -> int:
    return conn.execute("SELECT count(*) AS n FROM emails WHERE status = 'queued'").fetchone()["n"]
