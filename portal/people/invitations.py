"""Invitations: how people arrive at the portal.

A studio admin invites an agency's admins and producers; an agency's admin invites producers and
guests of their own agency; to anyone else inviting does not exist. The email carries a 256-bit
key of which only the SHA-256 is kept; it works once, for `PORTAL_INVITATION_TTL_DAYS` days.

An address that already has an account gets exactly the answer a new address gets (no
enumeration) and never a second account: the invitation is recorded, never acceptable, and the
person is told by email that they already have an account. A suppressed address, in contrast, is
refused to the inviter with the reason: the inviter is staff of the organisation, not a stranger
probing addresses, and needs to know why the person will never get the email.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from psycopg import Connection

from portal.accounts import sessions, users
from portal.accounts.leaving import Departure
from portal.accounts.users import Role, User
from portal.audit import log as audit
from portal.auth import rate_limit
from portal.config import Settings
from portal.email import outbox, suppressions
from portal.security import hash_token, looks_like_token, new_token, redact_email

STUDIO_NAME = "Northlight Studio"

# the one definition of an invitation that can still be accepted (i: invitations)
LIVE = ("i.accepted_at IS NULL AND i.withdrawn_at IS NULL AND i.expires_at > now()"
        " AND i.existing_user_id IS NULL")

_ROLE_PHRASES = {Role.ADMIN: "an admin", Role.PRODUCER: "a producer", Role.GUEST: "a guest"}


class Verdict(str, Enum):
    ALLOWED = "allowed"
    NOT_FOUND = "not_found"          # the inviter may not invite into this organisation at all
    ROLE_NOT_ALLOWED = "role_not_allowed"


def may_invite(inviter: User, tenant_id: int, tenant_kind: str, role: Role) -> Verdict:
    """The rule of who invites whom: a studio admin an agency's admins and producers, an agency's
    admin the producers and guests of their own agency, nobody else anybody."""
    if inviter.role is not Role.ADMIN or not inviter.is_active:
        return Verdict.NOT_FOUND
    if inviter.tenant_kind == "studio":
        if tenant_kind != "agency":
            return Verdict.NOT_FOUND
        return Verdict.ALLOWED if role in (Role.ADMIN, Role.PRODUCER) else Verdict.ROLE_NOT_ALLOWED
    if tenant_id != inviter.tenant_id:
        return Verdict.NOT_FOUND
    return Verdict.ALLOWED if role in (Role.PRODUCER, Role.GUEST) else Verdict.ROLE_NOT_ALLOWED


def allowed_roles(inviter: User) -> tuple[Role, ...]:
    return (Role.ADMIN, Role.PRODUCER) if inviter.tenant_kind == "studio" else (Role.PRODUCER, Role.GUEST)


@dataclass(frozen=True)
class Invitation:
    id: int
    email: str
    role: Role
    organisation_id: int
    organisation: str
    invited_by: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class RateLimited:
    retry_after_seconds: int


@dataclass(frozen=True)
class Suppressed:
    reason: str


@dataclass(frozen=True)
class Refused:
    verdict: Verdict


@dataclass(frozen=True)
class Accepted:
    user: User
    session_id: str


_SELECT = """
    SELECT i.id, i.email, i.role, i.tenant_id, t.name AS organisation, inviter.name AS invited_by,
           i.created_at, i.expires_at
      FROM invitations i
      JOIN tenants t ON t.id = i.tenant_id
      JOIN users inviter ON inviter.id = i.invited_by
"""


def _invitation(row: dict) -> Invitation:
    return Invitation(id=row["id"], email=row["email"], role=Role(row["role"]), organisation_id=row["tenant_id"],
                      organisation=row["organisation"], invited_by=row["invited_by"],
                      created_at=row["created_at"], expires_at=row["expires_at"])


def invite(conn: Connection, settings: Settings, inviter: User, email: str, role: Role,
           tenant_id: int) -> Invitation | Refused | RateLimited | Suppressed:
    tenant = conn.execute("SELECT id, name, kind FROM tenants WHERE id = %s", (tenant_id,)).fetchone()
    if tenant is None:
        return Refused(Verdict.NOT_FOUND)
    verdict = may_invite(inviter, tenant["id"], tenant["kind"], role)
    if verdict is not Verdict.ALLOWED:
        return Refused(verdict)
    decision = rate_limit.check_and_record(
        conn, [rate_limit.Limit(f"invitations:inviter:{inviter.id}", settings.invitations_per_hour)], 3600)
    address = email.strip()
    label = redact_email(address)
    if not decision.allowed:
        audit.record(conn, "invitation.sent", "rate_limited", actor_label=redact_email(inviter.email),
                     actor_user_id=inviter.id, tenant_id=tenant_id, details={"invitee": label})
        return RateLimited(decision.retry_after_seconds)
    reason = suppressions.standing_reason(conn, address)
    if reason is not None:
        audit.record(conn, "invitation.sent", "refused", actor_label=redact_email(inviter.email),
                     actor_user_id=inviter.id, tenant_id=tenant_id, reason="address_suppressed",
                     details={"invitee": label, "suppression": reason})
        return Suppressed(reason)
    # one invitation at a time per address and organisation: concurrent invitations queue here
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                 (f"invitation:{tenant_id}:{address.lower()}",))
    conn.execute(
        "UPDATE invitations SET withdrawn_at = now(), withdrawn_reason = 'invited_again'"
        " WHERE tenant_id = %s AND lower(email) = lower(%s) AND accepted_at IS NULL AND withdrawn_at IS NULL",
        (tenant_id, address),
    )
    existing = users.find_by_email(conn, address)
    token = new_token()
    row = conn.execute(
        "INSERT INTO invitations (token_hash, tenant_id, email, role, invited_by, expires_at, existing_user_id)"
        " VALUES (%s, %s, %s, %s, %s, now() + make_interval(days => %s), %s) RETURNING id, created_at, expires_at",
        (hash_token(token), tenant_id, address, role.value, inviter.id, settings.invitation_ttl_days,
         existing.id if existing else None),
    ).fetchone()
    common = {"inviter": inviter.name, "inviter_organisation": inviter.tenant_name, "organisation": tenant["name"],
              "studio_name": STUDIO_NAME}
    if existing is None:
        outbox.enqueue(conn, "invitation", address, {
            **common, "role_phrase": _ROLE_PHRASES[role], "ttl_days": settings.invitation_ttl_days,
            "link": f"{settings.public_url}/invitations/accept?token={token}"})
    else:  # the key goes nowhere: this invitation can never be accepted
        outbox.enqueue(conn, "invitation_existing_account", existing.email, {
            **common, "name": existing.name, "same_organisation": existing.tenant_id == tenant_id,
            "own_organisation": existing.tenant_name})
    audit.record(conn, "invitation.sent", "succeeded", actor_label=redact_email(inviter.email), actor_user_id=inviter.id,
                 tenant_id=tenant_id, details={"invitation_id": row["id"], "invitee": label, "role": role.value,
                                               "existing_account": existing is not None})
    # what _SELECT would read back, known already: no further round trip
    return _invitation({"id": row["id"], "email": address, "role": role.value, "tenant_id": tenant_id,
                        "organisation": tenant["name"], "invited_by": inviter.name,
                        "created_at": row["created_at"], "expires_at": row["expires_at"]})


def pending(conn: Connection, inviter: User) -> list[Invitation]:
    """The inviter's own invitations still waiting to be accepted, newest first."""
    rows = conn.execute(
        _SELECT + " WHERE i.invited_by = %s AND i.accepted_at IS NULL AND i.withdrawn_at IS NULL"
                  " AND i.expires_at > now() ORDER BY i.created_at DESC, i.id DESC",
        (inviter.id,),
    ).fetchall()
    return [_invitation(r) for r in rows]


def withdraw(conn: Connection, inviter: User, invitation_id: int) -> bool:
    """Withdraw one of the inviter's pending invitations; False when there is none such."""
    row = conn.execute(
        "UPDATE invitations SET withdrawn_at = now(), withdrawn_reason = 'withdrawn'"
        " WHERE id = %s AND invited_by = %s AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > now()"
        " RETURNING tenant_id, email",
        (invitation_id, inviter.id),
    ).fetchone()
    if row is None:
        return False
    audit.record(conn, "invitation.withdrawn", "succeeded", actor_label=redact_email(inviter.email),
                 actor_user_id=inviter.id, tenant_id=row["tenant_id"],
                 details={"invitation_id": invitation_id, "invitee": redact_email(row["email"])})
    return True


def withdraw_sent_by(conn: Connection, departure: Departure) -> None:
    """A departure step: the invitations a departing person sent die with their access."""
    rows = conn.execute(
        "UPDATE invitations SET withdrawn_at = now(), withdrawn_reason = 'inviter_departed'"
        " WHERE invited_by = %s AND accepted_at IS NULL AND withdrawn_at IS NULL RETURNING id, tenant_id",
        (departure.user_id,),
    ).fetchall()
    for row in rows:
        audit.record(conn, "invitation.withdrawn", "succeeded", actor_label="portal", actor_user_id=departure.by_user_id,
                     tenant_id=row["tenant_id"], reason=f"inviter_{departure.reason}",
                     details={"invitation_id": row["id"], "inviter_user_id": departure.user_id})


@dataclass(frozen=True)
class Preview:
    email: str
    role: Role
    organisation: str
    invited_by: str
    invited_by_organisation: str
    expires_at: datetime


def _why_refused(conn: Connection, key: str | None) -> str:
    if not looks_like_token(key):
        return "malformed"
    row = conn.execute(
        "SELECT accepted_at IS NOT NULL AS used, withdrawn_at IS NOT NULL AS withdrawn, expires_at <= now() AS expired,"
        "       existing_user_id IS NOT NULL AS existing FROM invitations WHERE token_hash = %s",
        (hash_token(key),),
    ).fetchone()
    if row is None:
        return "unknown"
    for flag, reason in (("used", "used"), ("withdrawn", "withdrawn"), ("expired", "expired"),
                         ("existing", "existing_account")):
        if row[flag]:
            return reason
    return "account_exists"


def _refuse(conn: Connection, key: str | None, stage: str) -> None:
    audit.record(conn, "invitation.accepted", "refused", actor_label="anonymous", reason=_why_refused(conn, key),
                 details={"stage": stage})


def look_up(conn: Connection, key: str | None) -> Preview | None:
    """Who invited whom to which organisation. Consumes nothing: mail scanners open links too."""
    if looks_like_token(key):
        row = conn.execute(
            "SELECT i.email, i.role, t.name AS organisation, inviter.name AS invited_by,"
            "       it.name AS invited_by_organisation, i.expires_at"
            "  FROM invitations i JOIN tenants t ON t.id = i.tenant_id"
            "  JOIN users inviter ON inviter.id = i.invited_by JOIN tenants it ON it.id = inviter.tenant_id"
            f" WHERE i.token_hash = %s AND {LIVE}",
            (hash_token(key),),
        ).fetchone()
        if row is not None:
            return Preview(email=row["email"], role=Role(row["role"]), organisation=row["organisation"],
                           invited_by=row["invited_by"], invited_by_organisation=row["invited_by_organisation"],
                           expires_at=row["expires_at"])
    _refuse(conn, key, "opened")
    return None


def accept(conn: Connection, settings: Settings, key: str | None, name: str,
           previous_session: str | None) -> Accepted | None:
    """Create the account, use the invitation up and start the first session, in one transaction.

    The invitation row is locked first: of racing acceptances the second waits, then finds it
    used and is refused, so there is exactly one account and one session.
    """
    if not looks_like_token(key):
        _refuse(conn, key, "accepted")
        return None
    row = conn.execute(
        f"SELECT i.id, i.tenant_id, i.email, i.role FROM invitations i WHERE i.token_hash = %s AND {LIVE}"
        " FOR UPDATE",
        (hash_token(key),),
    ).fetchone()
    if row is None:
        _refuse(conn, key, "accepted")
        return None
    created = conn.execute(
        "INSERT INTO users (tenant_id, email, name, role) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT ((lower(email))) DO NOTHING RETURNING id",
        (row["tenant_id"], row["email"], name, row["role"]),
    ).fetchone()
    if created is None:  # the address got an account meanwhile (another organisation's invitation)
        _refuse(conn, key, "accepted")
        return None
    conn.execute("UPDATE invitations SET accepted_at = now(), accepted_user_id = %s WHERE id = %s",
                 (created["id"], row["id"]))
    user = users.get(conn, created["id"])
    sessions.end(conn, previous_session)  # whatever session this browser had, it is over now
    session_id = sessions.start(conn, user.id, settings.session_lifetime_hours)
    label = redact_email(user.email)
    audit.record(conn, "invitation.accepted", "succeeded", actor_label=label, actor_user_id=user.id,
                 tenant_id=user.tenant_id, details={"invitation_id": row["id"]})
    audit.record(conn, "sign_in", "succeeded", actor_label=label, actor_user_id=user.id, tenant_id=user.tenant_id,
                 reason="first_sign_in", details={"via": "invitation"})
    return Accepted(user=user, session_id=session_id)
