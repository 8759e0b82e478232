"""Email administration for studio admins: each email's status and timeline, a recipient's
history, the dead letters (and sending one again), the suppression list (and lifting an entry),
and whether the outbox is held because Resend refuses every email alike (holds.py).

Everyone else gets 404, as for any admin-only resource (portal.web.deps.require_member).
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Query
from psycopg import Connection
from pydantic import BaseModel

from portal.accounts.users import User
from portal.web.deps import Database, Id, database, not_found, require_member
from portal.web.errors import ApiError
from portal.web.routing import PortalRoute

from . import holds, outbox, suppressions, timeline

router = APIRouter(route_class=PortalRoute, prefix="/admin", tags=["email administration"])

studio_admin = require_member("admin", studio_only=True)
# no NUL and no other control character: PostgreSQL cannot compare text holding a NUL
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"


EmailStatus = Literal["queued", "sent", "delivery_delayed", "soft_bounced", "delivered", "bounced",
                      "complained", "failed", "suppressed", "dead"]


class TimelineEntry(BaseModel):
    at: datetime                    # when it happened (for a report: the provider's event time)
    received_at: datetime | None    # when the portal received a report
    source: Literal["portal", "resend"]
    event: str
    effect: str | None              # for a report: applied, superseded, acknowledged, ignored, unmatched
    detail: str | None


class EmailOut(BaseModel):
    id: str
    template: str
    recipient: str
    subject: str
    status: EmailStatus
    attempts: int
    resends: int
    created_at: datetime
    sent_at: datetime | None
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    last_error: str | None
    provider_id: str | None
    can_be_sent_again: bool


class EmailDetail(EmailOut):
    timeline: list[TimelineEntry]


class EmailList(BaseModel):
    emails: list[EmailOut]


class Cause(BaseModel):
    event: str
    occurred_at: datetime
    report_id: str | None       # the report's svix-id, as Resend's webhook log shows it
    bounce: str | None
    detail: str | None
    email_id: str | None


class SuppressionOut(BaseModel):
    id: int
    address: str
    reason: Literal["hard_bounce", "complaint", "soft_bounces", "provider"]
    suppressed_at: datetime
    lifted_at: datetime | None
    caused_by: Cause


class SuppressionList(BaseModel):
    suppressions: list[SuppressionOut]


class HoldOut(BaseModel):
    kind: Literal["quota", "refused"]  # Resend's sending quota is used up | it refuses the portal's settings
    reason: str                        # Resend's error name, e.g. daily_quota_exceeded, invalid_api_key
    detail: str                        # Resend's answer as received
    since: datetime
    held_until: datetime               # then one email is tried: accepted, delivery resumes
    refusals: int                      # answers that opened or extended the hold
    last_refused_at: datetime


class DeliveryState(BaseModel):
    state: Literal["sending", "held"]
    hold: HoldOut | None
    emails_waiting: int                # queued emails, held or due later


def _email(row: dict) -> dict:
    return {
        "id": str(row["public_id"]),
        **{k: row[k] for k in ("template", "recipient", "subject", "status", "attempts", "resends", "created_at",
                                "sent_at", "last_attempt_at", "last_error", "provider_id")},
        "next_attempt_at": row["next_attempt_at"] if row["status"] == "queued" else None,
        "can_be_sent_again": row["status"] == "dead" and not row["scrubbed"],
    }


def _detail(conn: Connection, row: dict) -> EmailDetail:
    entries = [TimelineEntry(at=e["occurred_at"], received_at=e["received_at"], source=e["source"], event=e["type"],
                             effect=e["effect"], detail=e["detail"]) for e in timeline.entries(conn, row)]
    return EmailDetail(**_email(row), timeline=entries)


def _suppression(row: dict) -> SuppressionOut:
    return SuppressionOut(
        id=row["id"], address=row["address"], reason=row["reason"], suppressed_at=row["created_at"],
        lifted_at=row["lifted_at"],
        caused_by=Cause(event=row["event_type"], occurred_at=row["event_occurred_at"], report_id=row["svix_id"],
                        bounce=row["bounce"], detail=row["detail"],
                        email_id=str(row["email_public_id"]) if row["email_public_id"] else None),
    )


@router.get("/emails", response_model=EmailList, summary="Emails, newest first: a recipient's history, the dead letters")
def list_emails(recipient: str | None = Query(None, max_length=254, pattern=NO_CONTROL_CHARACTERS,
                                             description="Every email to this address"),
                status: EmailStatus | None = Query(None, description="Only emails in this status, e.g. dead"),
                limit: int = Query(50, ge=1, le=200),
                admin: User = Depends(studio_admin), db: Database = Depends(database)) -> EmailList:
    with db.transaction() as conn:
        return EmailList(emails=[EmailOut(**_email(r)) for r in timeline.listing(conn, recipient, status, limit)])


@router.get("/emails/{email_id}", response_model=EmailDetail, summary="One email: its status and timeline")
def read_email(email_id: str, admin: User = Depends(studio_admin), db: Database = Depends(database)) -> EmailDetail:
    with db.transaction() as conn:
        row = timeline.find(conn, email_id) if _looks_like_uuid(email_id) else None
        if row is None:
            raise not_found()
        return _detail(conn, row)


@router.post("/emails/{email_id}/resend", response_model=EmailDetail, status_code=202,
             summary="Send a dead letter again",
             responses={409: {"description": "Not a dead letter, or it held a one-time link that is gone"}})
def send_again(email_id: str, admin: User = Depends(studio_admin), db: Database = Depends(database)) -> EmailDetail:
    with db.transaction() as conn:
        if not _looks_like_uuid(email_id):
            raise not_found()
        try:
            row = outbox.send_again(conn, email_id, admin)
        except outbox.NotResendable as exc:
            raise ApiError(409, "not_resendable", exc.message) from None
        if row is None:
            raise not_found()
        return _detail(conn, row)


@router.get("/email-delivery", response_model=DeliveryState,
            summary="Whether the outbox is sending, or held because Resend refuses every email alike (quota, settings)")
def delivery_state(admin: User = Depends(studio_admin), db: Database = Depends(database)) -> DeliveryState:
    with db.transaction() as conn:
        row = holds.open_hold(conn)
        hold = None if row is None else HoldOut(
            kind=row["kind"], reason=row["reason"], detail=row["detail"], since=row["started_at"],
            held_until=row["held_until"], refusals=row["refusals"], last_refused_at=row["last_refused_at"])
        return DeliveryState(state="held" if hold else "sending", hold=hold, emails_waiting=holds.waiting(conn))


@router.get("/suppressions", response_model=SuppressionList,
            summary="Addresses that get no email, with the reason and the report behind each")
def list_suppressions(admin: User = Depends(studio_admin), db: Database = Depends(database)) -> SuppressionList:
    with db.transaction() as conn:
        return SuppressionList(suppressions=[_suppression(r) for r in suppressions.standing(conn)])


@router.post("/suppressions/{suppression_id}/lift", response_model=SuppressionOut,
             summary="Lift a suppression: the address gets email again (audited)")
def lift_suppression(suppression_id: Id, admin: User = Depends(studio_admin), db: Database = Depends(database)) -> SuppressionOut:
    with db.transaction() as conn:
        row = suppressions.lift(conn, suppression_id, admin)
        if row is None:
            raise not_found()
        return _suppression(row)


# an email's public id exactly as the portal writes it; uuid.UUID would also take `urn:uuid:...`,
# braces and other spellings that PostgreSQL refuses
_CANONICAL_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


def _looks_like_uuid(value: str) -> bool:
    return _CANONICAL_UUID.fullmatch(value) is not None
