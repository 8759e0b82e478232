"""The email outbox: emails are rendered and written in the caller's transaction, then a
worker delivers them. Nothing is sent from a request handler.
"""
from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from psycopg import Connection

from portal.accounts.users import User
from portal.audit import log as audit
from portal.jobs.queue import WAKE_CHANNEL
from portal.security import redact_email

from . import suppressions, timeline


# links carry one-time secrets; once an email is delivered (or given up on) the stored copy
# keeps the link's shape but not its secret. Reports spell links as trackers and HTML do: the
# separator and the `=` may be percent-encoded (`%3Ftoken%3D`, `%26token%3D`) or HTML-escaped (`&amp;`)
_SECRET_IN_LINK = re.compile(r"((?:[?&]|%3F|%26|&amp;)token(?:=|%3D))[A-Za-z0-9_-]{20,}", re.IGNORECASE)


def scrub_secrets(body: str) -> str:
    return _SECRET_IN_LINK.sub(r"\1[redacted]", body)


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("portal.email", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


def render(template: str, context: dict) -> tuple[str, str, str]:
    env = _templates()
    subject = env.get_template(f"{template}.subject.txt").render(context).strip()
    html = env.get_template(f"{template}.html").render(context)
    text = env.get_template(f"{template}.txt").render(context)
    return subject, html, text


def enqueue(conn: Connection, template: str, recipient: str, context: dict) -> int:
    """Write an email to the outbox in the caller's transaction.

    To a suppressed address it is written as `suppressed`, without its secrets, and never sent
    (the worker checks again before each attempt: an address can be suppressed while an email
    waits).
    """
    subject, html, text = render(template, context)
    reason = suppressions.standing_reason(conn, recipient)
    if reason is not None:
        row = conn.execute(
            "INSERT INTO emails (template, recipient, subject, html_body, text_body, status, status_at, scrubbed)"
            " VALUES (%s, %s, %s, %s, %s, 'suppressed', now(), %s) RETURNING id",
            (template, recipient, subject, scrub_secrets(html), scrub_secrets(text),
             scrub_secrets(html) != html or scrub_secrets(text) != text),
        ).fetchone()
        timeline.record(conn, row["id"], timeline.WITHHELD, f"not sent: the address is suppressed ({reason})")
        return row["id"]
    row = conn.execute(  # the workers woken in the same statement; listeners hear it when the transaction commits
        "WITH email AS (INSERT INTO emails (template, recipient, subject, html_body, text_body)"
        " VALUES (%s, %s, %s, %s, %s) RETURNING id) SELECT id, pg_notify(%s, '') FROM email",
        (template, recipient, subject, html, text, WAKE_CHANNEL),
    ).fetchone()
    return row["id"]


class NotResendable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def send_again(conn: Connection, public_id: str, admin: User) -> dict | None:
    """Put a dead letter back in the outbox for a new round of attempts; None if no such email.

    The new round gets a new idempotency key (`resends` is part of it): the admin asks for a
    new delivery, and an answer Resend may have kept for the old key must not stand in for it.
    An email whose one-time link was scrubbed cannot be sent again: the link is gone (and long
    expired); the person asks for a new one.
    """
    email = timeline.find(conn, public_id, lock=True)
    if email is None:
        return None
    if email["status"] != "dead":
        raise NotResendable("Only a dead letter can be sent again; this email is "
                            f"{email['status'].replace('_', ' ')}.")
    if email["scrubbed"]:
        raise NotResendable("This email held a one-time sign-in link, which the portal no longer keeps. "
                            "Ask the person to request a new link.")
    conn.execute(
        "UPDATE emails SET status = 'queued', status_at = now(), attempts = 0, resends = resends + 1,"
        " next_attempt_at = now(), last_error = NULL, last_error_kind = NULL WHERE id = %s",
        (email["id"],),
    )
    label = redact_email(admin.email)
    timeline.record(conn, email["id"], timeline.SENT_AGAIN, f"sent again by {label}")
    audit.record(conn, "email.sent_again", "succeeded", actor_label=label, actor_user_id=admin.id,
                 tenant_id=admin.tenant_id, details={"email": str(email["public_id"]),
                                                     "recipient": redact_email(email["recipient"])})
    conn.execute(f"NOTIFY {WAKE_CHANNEL}")
    return timeline.find(conn, public_id)
