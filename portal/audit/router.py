"""The audit log for admins: its entries, filtered and page by page, and the catalogue of kinds.

Studio admins read every organisation's entries; an agency admin reads the entries about their
own organisation only. Anyone else gets 404, as for an address that does not exist.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, BeforeValidator

from portal.accounts.users import User
from portal.config import Settings
from portal.web.deps import MAX_ID, Database, database, require_member, settings
from portal.web.errors import ApiError, documented
from portal.web.openapi import text_only
from portal.web.routing import PortalRoute

from . import kinds, query

router = APIRouter(route_class=PortalRoute, prefix="/audit", tags=["audit log"])
any_admin = require_member("admin")
NOT_FOUND = {404: "Nothing is here (you are not an admin)"}
PAGE_MAX = 200


class Actor(BaseModel):
    label: str                      # a masked address (t***@brightside.example), "portal" or "anonymous"
    person_id: int | None


class EntryOut(BaseModel):
    id: int
    at: datetime
    kind: str
    outcome: str
    actor: Actor
    organisation_id: int | None
    reason: str | None
    request_id: str | None
    details: dict[str, Any]


class EntryPage(BaseModel):
    entries: list[EntryOut]
    next_cursor: str | None         # give it as `cursor` for the next page; null on the last page


class KindOut(BaseModel):
    kind: str
    description: str
    names_person: bool


class KindList(BaseModel):
    kinds: list[KindOut]


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "validation_failed", "Some fields are missing or invalid.", {field: message})


def _aware(field: str, value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise _invalid(field, "Give a time with its offset from UTC, e.g. 2026-03-01T09:00:00Z.")
    return value


@router.get("/entries", response_model=EntryPage, summary="Audit entries, newest first, page by page",
            responses=documented({**NOT_FOUND, 422: "A filter or the cursor is not valid (`fields` names it)"}))
def list_entries(
    person: int | None = Query(None, ge=1, le=MAX_ID, description="Only what this person did (their id)"),
    kind: str | None = Query(None, max_length=100, description="Only entries of this kind (GET /audit/kinds)",
                             json_schema_extra={"enum": sorted(kinds.KINDS)}),
    subject: str | None = Query(None, max_length=300, description="Only entries about this, as <type>:<id>, "
                                "e.g. project:42 (types: " + ", ".join(sorted(query.SUBJECTS)) + ")"),
    since: Annotated[datetime, BeforeValidator(text_only)] | None = Query(None, alias="from", description="From this time on (inclusive), with its offset"),
    until: Annotated[datetime, BeforeValidator(text_only)] | None = Query(None, alias="to", description="Before this time (exclusive), with its offset"),
    cursor: str | None = Query(None, max_length=500, description="The `next_cursor` of the previous page"),
    limit: int = Query(50, ge=1, le=PAGE_MAX),
    admin: User = Depends(any_admin), db: Database = Depends(database), cfg: Settings = Depends(settings),
) -> EntryPage:
    if kind is not None and kind not in kinds.KINDS:
        raise _invalid("kind", "Not an audit kind; GET /audit/kinds lists them.")
    since, until = _aware("from", since), _aware("to", until)
    if since is not None and until is not None and since >= until:
        raise _invalid("to", "The end of the range must come after its start.")
    try:
        filters = query.Filters(person, kind, query.parse_subject(subject) if subject is not None else None,
                                since, until)
        after = query.read_cursor(cursor, cfg.secret_key) if cursor is not None else None
    except query.BadFilter as exc:
        raise _invalid(exc.field, exc.message) from None
    studio = admin.tenant_kind == "studio"
    with db.transaction() as conn:
        page = query.read(conn, filters, organisation_id=admin.tenant_id, everyone=studio, limit=limit,
                          after=after, secret=cfg.secret_key)
    return EntryPage(
        entries=[EntryOut(id=e.id, at=e.occurred_at, kind=e.kind, outcome=e.outcome,
                          actor=Actor(label=e.actor_label, person_id=e.actor_person_id),
                          organisation_id=e.organisation_id, reason=e.reason, request_id=e.request_id,
                          details=e.details) for e in page.entries],
        next_cursor=page.next_cursor,
    )


@router.get("/kinds", response_model=KindList, summary="Every kind of audit entry, what it means, whether it names a person",
            responses=documented(NOT_FOUND))
def list_kinds(admin: User = Depends(any_admin)) -> KindList:
    return KindList(kinds=[KindOut(kind=k.name, description=k.description, names_person=k.names_person)
                           for k in kinds.KINDS.values()])
