"""Magic-link sign-in: asking for a link, issuing it, and trading it for a session.

The request handler does the same work for every address (rate limits, then a queued job), so
neither its answer nor its timing tells whether an account exists. The job decides, out of
band, whether anyone gets an email.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from psycopg import Connection

from portal.accounts import sessions, users
from portal.accounts.leaving import Departure
from portal.audit import log as audit
from portal.config import Settings
from portal.email import outbox
from portal.jobs import queue
from portal.security import fingerprint, hash_token, looks_like_token, new_token, redact_email

from . import rate_limit
from .redirects import safe_next_path

ISSUE_JOB = "issue_sign_in_link"

# the one definition of a link that still signs someone in (l: sign_in_links, u: its user)
_LIVE_LINK = ("l.used_at IS NULL AND l.superseded_at IS NULL AND l.expires_at > now()"
              " AND u.status = 'active'")


class Refusal(str, Enum):
    """Why a link was refused: for the audit log only, never for the person holding the link."""
    MALFORMED = "malformed"
    UNKNOWN = "unknown"
    USED = "used"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class SignedIn:
    user: users.User
    session_id: str
    next_path: str


def request_link(conn: Connection, settings: Settings, email: str, next_path: str | None,
                 client_address: str) -> rate_limit.Decision:
    normalized = email.strip().lower()
    decision = rate_limit.check_and_record(
        conn,
        [
            rate_limit.Limit(f"sign-in-link:address:{fingerprint(normalized)}", settings.rate_limit_per_address),
            rate_limit.Limit(f"sign-in-link:client:{fingerprint(client_address)}", settings.rate_limit_per_client),
        ],
        settings.rate_limit_window_minutes * 60,
    )
    if not decision.allowed:
        audit.record(conn, "sign_in.link_requested", "rate_limited", actor_label=redact_email(normalized))
        return decision
    # the accepting instance's settings travel with the job, so any worker issues the same link
    queue.enqueue(conn, ISSUE_JOB, {"email": normalized, "next": safe_next_path(next_path),
                                    "ttl_minutes": settings.sign_in_link_ttl_minutes,
                                    "public_url": settings.public_url})
    return decision


def issue_link_job(settings: Settings):
    """The job that issues a link, bound to the portal's settings."""

    def run(conn: Connection, payload: dict) -> None:
        email = payload["email"]
        user = users.find_by_email(conn, email, lock=True)  # one issuer per user at a time
        label = redact_email(email)
        if user is None:
            audit.record(conn, "sign_in.link_requested", "ignored", actor_label=label, reason="unknown_address")
            return
        if not user.is_active:
            audit.record(conn, "sign_in.link_requested", "ignored", actor_label=label, actor_user_id=user.id,
                         tenant_id=user.tenant_id, reason="suspended")
            return
        conn.execute(  # a new link retires every earlier unused one
            "UPDATE sign_in_links SET superseded_at = now()"
            " WHERE user_id = %s AND used_at IS NULL AND superseded_at IS NULL",
            (user.id,),
        )
        token = new_token()
        ttl = int(payload.get("ttl_minutes") or settings.sign_in_link_ttl_minutes)
        public_url = payload.get("public_url") or settings.public_url
        conn.execute(
            "INSERT INTO sign_in_links (user_id, token_hash, next_path, expires_at)"
            " VALUES (%s, %s, %s, now() + make_interval(mins => %s))",
            (user.id, hash_token(token), safe_next_path(payload.get("next")), ttl),
        )
        outbox.enqueue(conn, "sign_in_link", user.email, {
            "name": user.name,
            "studio_name": "Northlight Studio",
            "link": f"{public_url}/auth/magic-link?token={token}",
            "ttl_minutes": ttl,
        })
        audit.record(conn, "sign_in.link_requested", "issued", actor_label=label, actor_user_id=user.id,
                     tenant_id=user.tenant_id)

    return run


def _why_refused(conn: Connection, token_hash: str) -> tuple[Refusal, dict | None]:
    row = conn.execute(
        "SELECT l.user_id, l.used_at IS NOT NULL AS used, l.superseded_at IS NOT NULL AS superseded,"
        "       l.expires_at <= now() AS expired, u.status, u.email, u.tenant_id"
        "  FROM sign_in_links l JOIN users u ON u.id = l.user_id WHERE l.token_hash = %s",
        (token_hash,),
    ).fetchone()
    if row is None:
        return Refusal.UNKNOWN, None
    for flag, reason in (("used", Refusal.USED), ("superseded", Refusal.SUPERSEDED), ("expired", Refusal.EXPIRED)):
        if row[flag]:
            return reason, row
    if row["status"] != users.Status.ACTIVE.value:
        return Refusal.SUSPENDED, row
    return Refusal.UNKNOWN, row  # became invalid between the attempt and this look-up


def check_link(conn: Connection, token: str | None) -> Refusal | None:
    """Would this link sign someone in right now? Consumes nothing (mail scanners open links).

    A refusal is audited like a refused confirmation: someone tried a link that does not work.
    """
    if looks_like_token(token):
        row = conn.execute(
            "SELECT 1 FROM sign_in_links l JOIN users u ON u.id = l.user_id"
            f" WHERE l.token_hash = %s AND {_LIVE_LINK}",
            (hash_token(token),),
        ).fetchone()
        if row:
            return None
    return _refuse(conn, token, stage="opened")


def _refuse(conn: Connection, token: str | None, stage: str) -> Refusal:
    if not looks_like_token(token):
        reason, link = Refusal.MALFORMED, None
    else:
        reason, link = _why_refused(conn, hash_token(token))
    audit.record(
        conn, "sign_in", "refused",
        actor_label=redact_email(link["email"]) if link else "anonymous",
        actor_user_id=link["user_id"] if link else None,
        tenant_id=link["tenant_id"] if link else None,
        reason=reason.value,
        details={"stage": stage},
    )
    return reason


def confirm_link(conn: Connection, settings: Settings, token: str | None,
                 previous_session: str | None) -> SignedIn | Refusal:
    """Consume the link and start a session, atomically: of two racing confirmations exactly one wins."""
    if not looks_like_token(token):
        return _refuse(conn, token, stage="confirmed")
    token_hash = hash_token(token)
    # one conditional UPDATE: of two racing confirmations, the second finds used_at set
    row = conn.execute(
        "UPDATE sign_in_links l SET used_at = now() FROM users u"
        f" WHERE l.token_hash = %s AND u.id = l.user_id AND {_LIVE_LINK}"
        " RETURNING l.user_id, l.next_path",
        (token_hash,),
    ).fetchone()
    if row is None:
        return _refuse(conn, token, stage="confirmed")
    user = users.get(conn, row["user_id"])
    sessions.end(conn, previous_session)  # whatever session this browser had, it is over now
    session_id = sessions.start(conn, user.id, settings.session_lifetime_hours)
    audit.record(conn, "sign_in", "succeeded", actor_label=redact_email(user.email), actor_user_id=user.id,
                 tenant_id=user.tenant_id)
    return SignedIn(user=user, session_id=session_id, next_path=safe_next_path(row["next_path"]))


def retire_links_of(conn: Connection, departure: Departure) -> None:
    """A departure step: the person's unused sign-in links die now (reinstating revives none)."""
    conn.execute(
        "UPDATE sign_in_links SET superseded_at = now()"
        " WHERE user_id = %s AND used_at IS NULL AND superseded_at IS NULL",
        (departure.user_id,),
    )
