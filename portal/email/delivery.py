"""Delivering the outbox: one email at a time, under a row lock, with retries on a schedule.

Every attempt, its outcome and any withheld delivery are written to the email's timeline."""
from __future__ import annotations

import logging

from psycopg_pool import ConnectionPool

from . import holds, reports, suppressions, timeline
from .outbox import scrub_secrets
from .resend import ResendSender, SendResult

log = logging.getLogger(__name__)

# minutes to wait before each retry; after the last one the email is dead-lettered
RETRY_SCHEDULE_MINUTES = (1, 2, 4, 8, 16)
MAX_ATTEMPTS = len(RETRY_SCHEDULE_MINUTES) + 1


def retry_delay_seconds(attempts_made: int, retry_after_seconds: int | None = None) -> int | None:
    """Seconds until the next attempt after `attempts_made` failed attempts, or None to give up.

    The provider's Retry-After wins when it asks for longer than the schedule.
    """
    if attempts_made >= MAX_ATTEMPTS:
        return None
    scheduled = RETRY_SCHEDULE_MINUTES[max(attempts_made, 1) - 1] * 60
    return max(scheduled, retry_after_seconds or 0)


def deliver_due(pool: ConnectionPool, sender: ResendSender, limit: int = 50) -> int:
    """Deliver up to `limit` due emails; return how many were attempted.

    The row stays locked (FOR UPDATE SKIP LOCKED) for the duration of the provider call, so two
    workers never pick the same email, and a worker that dies mid-call releases it for a retry
    that the idempotency key keeps from sending twice.
    """
    attempted = 0
    while attempted < limit:
        with pool.connection() as conn, conn.transaction():
            email = conn.execute(
                "SELECT id, public_id, template, recipient, subject, html_body, text_body, attempts, resends"
                "  FROM emails WHERE status = 'queued' AND next_attempt_at <= now()"
                f" AND NOT {holds.HELD}"  # Resend refuses every email alike for now: none is tried
                " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED"
            ).fetchone()
            if email is None:  # none due, or the outbox is held
                return attempted
            # checked before every attempt: the address may have been suppressed while the email waited
            reason = suppressions.standing_reason(conn, email["recipient"])
            if reason is not None:
                _withhold(conn, email, reason)
            else:
                result = sender.send(email)
                _record(conn, email, result)
        attempted += 1
    return attempted


def _scrubbed(email: dict) -> tuple[str, str, bool]:
    html, text = scrub_secrets(email["html_body"]), scrub_secrets(email["text_body"])
    return html, text, html != email["html_body"] or text != email["text_body"]


def _withhold(conn, email: dict, reason: str) -> None:
    html, text, scrubbed = _scrubbed(email)
    conn.execute(
        "UPDATE emails SET status = 'suppressed', status_at = now(), html_body = %s, text_body = %s,"
        " scrubbed = scrubbed OR %s WHERE id = %s",
        (html, text, scrubbed, email["id"]),
    )
    timeline.record(conn, email["id"], timeline.WITHHELD, f"not sent: the address is suppressed ({reason})")


def _record(conn, email: dict, result: SendResult) -> None:
    attempts = email["attempts"] + 1
    html, text, scrubbed = _scrubbed(email)
    if result.ok:
        holds.release(conn)  # Resend takes email again: a hold in force ends
        # the lock webhook reports about this email take: one that came before this commit is adopted below
        reports.lock_provider_email(conn, result.provider_id)
        conn.execute(
            "UPDATE emails SET status = 'sent', status_at = now(), attempts = %s, provider_id = %s, sent_at = now(),"
            " last_attempt_at = now(), last_error = NULL, last_error_kind = NULL,"
            " html_body = %s, text_body = %s, scrubbed = scrubbed OR %s WHERE id = %s",
            (attempts, result.provider_id, html, text, scrubbed, email["id"]),
        )
        timeline.record(conn, email["id"], timeline.ACCEPTED, f"attempt {attempts}: accepted by Resend",
                        {"attempt": attempts, "provider_id": result.provider_id})
        reports.adopt_early_reports(conn, email["id"], result.provider_id)
        return
    if result.holds_outbox:
        _hold(conn, email, result)
        return
    delay = retry_delay_seconds(attempts, result.retry_after_seconds) if result.retryable else None
    if delay is None:
        log.warning("email %s dead-lettered after %s attempt(s): %s", email["id"], attempts, result.error)
        conn.execute(
            "UPDATE emails SET status = 'dead', status_at = now(), attempts = %s, last_attempt_at = now(),"
            " last_error = %s, last_error_kind = %s, html_body = %s, text_body = %s, scrubbed = scrubbed OR %s"
            " WHERE id = %s",
            (attempts, result.error, result.error_kind, html, text, scrubbed, email["id"]),
        )
        timeline.record(conn, email["id"], timeline.DEAD_LETTERED,
                        f"attempt {attempts}: {result.error}; "
                        + ("not retried" if not result.retryable else "no attempts left"),
                        {"attempt": attempts, "error_kind": result.error_kind})
        return
    log.info("email %s attempt %s failed (%s); retrying in %ss", email["id"], attempts, result.error, delay)
    conn.execute(
        "UPDATE emails SET attempts = %s, last_attempt_at = now(), last_error = %s, last_error_kind = %s,"
        " next_attempt_at = now() + make_interval(secs => %s) WHERE id = %s",
        (attempts, result.error, result.error_kind, delay, email["id"]),
    )
    timeline.record(conn, email["id"], timeline.ATTEMPT_FAILED,
                    f"attempt {attempts}: {result.error}; next attempt in {_duration(delay)}",
                    {"attempt": attempts, "error_kind": result.error_kind, "retry_in_seconds": delay})


def _hold(conn, email: dict, result: SendResult) -> None:
    """Resend refused this email as it would refuse any: hold the outbox. The email keeps its
    place and its attempts (the refusal is not its fault) and is tried when the hold ends."""
    until = holds.hold(conn, result.error_kind, result.error_name or result.error_kind, result.error or "",
                       result.retry_after_seconds)
    log.warning("email %s held until %s: %s", email["id"], until.isoformat(), result.error)
    conn.execute(
        "UPDATE emails SET last_attempt_at = now(), last_error = %s, last_error_kind = %s, next_attempt_at = %s"
        " WHERE id = %s",
        (result.error, result.error_kind, until, email["id"]),
    )
    why = "Resend's sending quota is used up" if result.error_kind == "quota" else \
        "Resend refuses the portal's email settings"
    timeline.record(conn, email["id"], timeline.HELD,
                    f"{result.error}; held with the whole outbox: {why}; tried again at {until:%Y-%m-%d %H:%M} UTC",
                    {"error_kind": result.error_kind, "held_until": until.isoformat()})


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes and not rest:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} seconds"


def readiness(pool: ConnectionPool, settings) -> str:
    """The email provider's state for the readiness registry (see `provider_state`)."""
    return provider_state(pool, settings.email_configured, timeout=settings.readiness_timeout_seconds)


def provider_state(pool: ConnectionPool, configured: bool, timeout: float | None = None) -> str:
    """`not_configured`, `quota_exceeded` or `refused` (the outbox is held: portal/email/holds.py),
    `unreachable` (the latest attempt could not reach it) or `up`.

    Readiness is judged from real delivery attempts rather than by calling the provider on
    every probe, which would spend its rate limit on health checks.
    """
    if not configured:
        return "not_configured"
    with pool.connection(timeout=timeout) as conn:
        held = holds.open_hold(conn)
        if held is not None:
            return "quota_exceeded" if held["kind"] == "quota" else "refused"
        row = conn.execute(
            "SELECT last_error_kind FROM emails WHERE last_attempt_at IS NOT NULL"
            " ORDER BY last_attempt_at DESC LIMIT 1"
        ).fetchone()
    if row and row["last_error_kind"] in ("network", "unavailable"):
        return "unreachable"
    return "up"
