"""Recording what Resend reports about the portal's emails, once per report, and acting on it.

A report is matched to its email by the id Resend gave the email when it accepted it
(`data.email_id` = `emails.provider_id`). Reports about one email are handled one at a time
(an advisory lock on that id, taken by the delivery worker too), so that:
- two reports arriving together cannot both judge the same old status;
- a report that arrives before the worker has committed the id Resend returned (Resend can be
  that fast) is recorded as unmatched and adopted by the worker, which takes the same lock.
"""
from __future__ import annotations

import json

from psycopg import Connection
from psycopg.types.json import Jsonb

from portal.security import fingerprint, mask_addresses

from . import suppressions
from .events import REGISTRY, Effect, Report, judge
from .outbox import scrub_secrets


def lock_provider_email(conn: Connection, provider_email_id: str) -> None:
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"resend-email:{provider_email_id}",))


def record(conn: Connection, svix_id: str, report: Report) -> Effect | None:
    """Record the report and apply its effect; None when a report with this svix-id was already
    recorded (a redelivery), which then has no effect at all."""
    email = None
    if report.email_id is not None:
        lock_provider_email(conn, report.email_id)
        email = conn.execute(
            "SELECT id, status, status_at FROM emails WHERE provider_id = %s FOR UPDATE", (report.email_id,)
        ).fetchone()
    verdict = judge(report.kind, report.reported_status, report.occurred_at,
                    email["status"] if email else None, email["status_at"] if email else None)
    # a clicked link may be a sign-in link: its key is kept nowhere, not even in a report; and a
    # report is kept long after its effect, so it keeps people's addresses masked (the soft-bounce
    # count finds them by fingerprint)
    payload = json.loads(mask_addresses(scrub_secrets(json.dumps(report.payload))))
    row = conn.execute(
        "INSERT INTO email_events (email_id, source, type, occurred_at, svix_id, provider_email_id, addresses,"
        " bounce, effect, detail, payload) VALUES (%s, 'resend', %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (svix_id) DO NOTHING RETURNING id",
        (email["id"] if email else None, report.type, report.occurred_at, svix_id, report.email_id,
         [fingerprint(a) for a in report.addresses], report.bounce, verdict.effect.value,
         mask_addresses(report.detail) if report.detail else None, Jsonb(payload)),
    ).fetchone()
    if row is None:
        return None
    if verdict.new_status is not None:
        conn.execute("UPDATE emails SET status = %s, status_at = %s WHERE id = %s",
                     (verdict.new_status, report.occurred_at, email["id"]))
    if report.kind is not None and (report.suppression is not None or report.bounce == "soft"):
        suppressions.apply_report(conn, row["id"], report.addresses, report.suppression, report.bounce == "soft")
    return verdict.effect


def adopt_early_reports(conn: Connection, email_id: int, provider_email_id: str) -> None:
    """Apply the reports that arrived before the outbox knew Resend's id for this email.

    Called by the worker with the lock of `provider_email_id` held, after writing the id.
    Their address-level effects (suppressions, soft bounces) were applied when they arrived.
    """
    early = conn.execute(
        "SELECT id, type, occurred_at, bounce FROM email_events"
        " WHERE provider_email_id = %s AND email_id IS NULL ORDER BY occurred_at, id",
        (provider_email_id,),
    ).fetchall()
    for event in early:
        email = conn.execute("SELECT status, status_at FROM emails WHERE id = %s", (email_id,)).fetchone()
        kind = REGISTRY.get(event["type"])
        status = "soft_bounced" if event["bounce"] == "soft" else kind.status if kind else None
        verdict = judge(kind, status, event["occurred_at"], email["status"], email["status_at"])
        conn.execute("UPDATE email_events SET email_id = %s, effect = %s WHERE id = %s",
                     (email_id, verdict.effect.value, event["id"]))
        if verdict.new_status is not None:
            conn.execute("UPDATE emails SET status = %s, status_at = %s WHERE id = %s",
                         (verdict.new_status, event["occurred_at"], email_id))
