"""Invitations: send, list, withdraw; look one up by its key; accept it."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from portal import text
from portal.accounts.users import Role, User
from portal.config import Settings
from portal.web.deps import Database, Id, database, not_found, require_member, session_cookie, set_session_cookie, settings
from portal.web.errors import ApiError, documented
from portal.web.openapi import CONTROL_CHARACTERS, stripped_text
from portal.web.routing import PortalRoute

from . import invitations

router = APIRouter(route_class=PortalRoute, tags=["people"])

admin = require_member("admin")
# who may invite is the rule of `invitations.may_invite`, in one place; anyone signed in reaches it
member = require_member("admin", "producer", "guest")

_EMAIL_PATTERN = r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$"
UNAVAILABLE = ApiError(404, "invitation_unavailable",
                       "This invitation cannot be used. Ask the person who invited you for a new one.")


class InvitationIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str = Field(max_length=254, pattern=_EMAIL_PATTERN, description="The address to invite")
    role: Role = Field(description="admin or producer (studio admins); producer or guest (an agency's admins)")
    organisation_id: int | None = Field(default=None, ge=1, le=2**63 - 1,
                                        description="The organisation to join; an agency's admin may leave it out")


class OrganisationRef(BaseModel):
    id: int
    name: str


class InvitationOut(BaseModel):
    id: int
    email: str
    role: str
    organisation: OrganisationRef
    invited_by: str
    status: str
    created_at: datetime
    expires_at: datetime


class InvitationList(BaseModel):
    invitations: list[InvitationOut]


def _out(invitation: invitations.Invitation) -> InvitationOut:
    return InvitationOut(id=invitation.id, email=invitation.email, role=invitation.role.value,
                         organisation=OrganisationRef(id=invitation.organisation_id, name=invitation.organisation),
                         invited_by=invitation.invited_by, status="pending", created_at=invitation.created_at,
                         expires_at=invitation.expires_at)


_SEND = documented({
    404: "Not an admin, or an organisation the admin may not invite into (or none such)",
    409: "address_suppressed: the portal sends this address no email; the reason is given",
    422: "validation_failed: a malformed address, or a role this admin may not invite",
    429: "rate_limited: this admin has sent too many invitations in the last hour; see Retry-After",
}, headers={429: {"Retry-After": {"description": "Seconds until another invitation may be sent",
                                  "schema": {"type": "integer"}}}})


@router.post("/invitations", status_code=201, response_model=InvitationOut, responses=_SEND,
             summary="Invite someone to an organisation by email")
def send(body: InvitationIn, user: User = Depends(member), db: Database = Depends(database),
         cfg: Settings = Depends(settings)) -> InvitationOut:
    """The answer is the same whether or not the address already has an account."""
    with db.transaction() as conn:
        outcome = invitations.invite(conn, cfg, user, body.email, body.role, body.organisation_id or user.tenant_id)
    if isinstance(outcome, invitations.Refused):
        if outcome.verdict is invitations.Verdict.ROLE_NOT_ALLOWED:
            allowed = ", ".join(r.value for r in invitations.allowed_roles(user))
            raise ApiError(422, "validation_failed", "The request has invalid fields.",
                           fields={"role": f"You may invite: {allowed}."})
        raise not_found()
    if isinstance(outcome, invitations.RateLimited):
        raise ApiError(429, "rate_limited", "Too many invitations in the last hour. Try again later.",
                       headers={"Retry-After": str(outcome.retry_after_seconds)})
    if isinstance(outcome, invitations.Suppressed):
        raise ApiError(409, "address_suppressed",
                       f"The portal sends no email to this address ({outcome.reason.replace('_', ' ')}), "
                       "so the invitation would never arrive. A studio admin can lift the suppression.",
                       fields={"email": f"suppressed: {outcome.reason}"})
    return _out(outcome)


@router.get("/invitations", response_model=InvitationList, responses=documented({404: "Not an admin"}),
            summary="Your invitations still waiting to be accepted, newest first")
def list_pending(user: User = Depends(admin), db: Database = Depends(database)) -> InvitationList:
    with db.transaction() as conn:
        return InvitationList(invitations=[_out(i) for i in invitations.pending(conn, user)])


@router.delete("/invitations/{invitation_id:int}", status_code=204, response_class=Response,
               responses=documented({404: "No such pending invitation of yours"}),
               summary="Withdraw a pending invitation")
def withdraw(invitation_id: Id, user: User = Depends(admin), db: Database = Depends(database)) -> Response:
    with db.transaction() as conn:
        if not invitations.withdraw(conn, user, invitation_id):
            raise not_found()
    return Response(status_code=204)


class PreviewOut(BaseModel):
    email: str
    role: str
    organisation: str
    invited_by: str
    invited_by_organisation: str
    expires_at: datetime


_REFUSAL = documented({404: "invitation_unavailable: used, expired, withdrawn or unknown (one answer for all)"})


@router.get("/invitations/accept", response_model=PreviewOut, responses=_REFUSAL,
            summary="What an invitation's link shows: who invited whom to which organisation")
def preview(token: str | None = Query(default=None, max_length=256, description="The key from the invitation's link"), db: Database = Depends(database)) -> PreviewOut:
    """Consumes nothing: mail scanners open links before people do."""
    with db.transaction() as conn:  # a refusal is audited, so it is committed
        found = invitations.look_up(conn, token)
    if found is None:
        raise UNAVAILABLE
    return PreviewOut(email=found.email, role=found.role.value, organisation=found.organisation,
                      invited_by=found.invited_by, invited_by_organisation=found.invited_by_organisation,
                      expires_at=found.expires_at)


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    token: str = Field(max_length=256, description="The key from the invitation's link")
    name: str = Field(min_length=1, max_length=100, description="Your name, as others in the portal will see it",
                      json_schema_extra=stripped_text(CONTROL_CHARACTERS, 1, 100))

    @field_validator("name")
    @classmethod
    def _printable(cls, value: str) -> str:
        wrong = text.problem(value)  # others see the name: nothing that changes what they read
        if wrong:
            raise ValueError(wrong)
        return value


class AcceptedOut(BaseModel):
    name: str
    email: str
    role: str
    organisation: str


@router.post("/invitations/accept", status_code=201, response_model=AcceptedOut, responses=_REFUSAL,
             summary="Accept an invitation: the account is created and signed in")
def accept(body: AcceptIn, request: Request, db: Database = Depends(database), cfg: Settings = Depends(settings)):
    with db.transaction() as conn:  # committed before the browser gets its cookie
        accepted = invitations.accept(conn, cfg, body.token, body.name, session_cookie(request))
    if accepted is None:
        raise UNAVAILABLE
    user = accepted.user
    response = JSONResponse(AcceptedOut(name=user.name, email=user.email, role=user.role.value,
                                        organisation=user.tenant_name).model_dump(), status_code=201)
    set_session_cookie(response, request, cfg, accepted.session_id)
    return response
