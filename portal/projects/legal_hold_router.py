"""Legal hold on a project, for studio admins: read, place (with a reason) and lift it.

Anyone else gets 404, as for a project that does not exist.
"""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from portal.accounts.users import User
from portal.web.deps import Database, Id, database, not_found, require_member
from portal.web.errors import documented
from portal.web.routing import PortalRoute

from . import legal_hold

router = APIRouter(route_class=PortalRoute, tags=["projects"])
studio_admin = require_member("admin", studio_only=True)
NO_PROJECT = {404: "No such project (or you are not a studio admin), or it has no legal hold to read or lift"}


class LegalHoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str = Field(min_length=1, max_length=500, description="Why, e.g. the dispute or inquiry it concerns")


class LegalHoldOut(BaseModel):
    project_id: int
    since: datetime
    reason: str


@router.get("/projects/{project_id}/legal-hold", response_model=LegalHoldOut,
            summary="Studio admins: the project's legal hold", responses=documented(NO_PROJECT))
def read_hold(project_id: Id, admin: User = Depends(studio_admin), db: Database = Depends(database)):
    with db.transaction() as conn:
        hold = legal_hold.current(conn, admin, project_id)
        if not hold:
            raise not_found()
        return LegalHoldOut(**vars(hold))


@router.put("/projects/{project_id}/legal-hold", response_model=LegalHoldOut,
            summary="Studio admins: put the project under legal hold (its audit entries are kept however old)",
            responses=documented({**NO_PROJECT, 422: "The reason is missing or too long"}))
def place_hold(project_id: Id, body: LegalHoldIn, admin: User = Depends(studio_admin),
               db: Database = Depends(database)):
    with db.transaction() as conn:
        hold = legal_hold.place(conn, admin, project_id, body.reason)
        if hold is None:
            raise not_found()
        return LegalHoldOut(**vars(hold))


@router.delete("/projects/{project_id}/legal-hold", status_code=204,
               summary="Studio admins: lift the project's legal hold", responses=documented(NO_PROJECT))
def lift_hold(project_id: Id, admin: User = Depends(studio_admin), db: Database = Depends(database)) -> Response:
    with db.transaction() as conn:
        if not legal_hold.lift(conn, admin, project_id):
            raise not_found()
    return Response(status_code=204)
