"""Share links for the people who own the asset: create, list, rotate, revoke.

Only admins and producers of the asset's tenant get past the first line of each route; anyone
else, signed in or not, gets the 404 an asset that does not exist gets.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from psycopg import Connection
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from portal.accounts.users import User
from portal.config import Settings
from portal.projects import service as projects
from portal.web.deps import Database, database, Id, not_found, require_member, settings
from portal.web.errors import ApiError
from portal.web.openapi import whole_number
from portal.web.routing import PortalRoute

from . import links, policy
from .passwords import hash_password
from .policy import Permission

router = APIRouter(route_class=PortalRoute, prefix="/assets/{asset_id}/share-links", tags=["share links"])
owner = require_member("admin", "producer")
NOT_FOUND = {404: {"description": "No such asset or link, or not yours to manage"}}


class ShareLinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expires_in_hours: Annotated[int, BeforeValidator(whole_number)] = Field(
        default=policy.DEFAULT_EXPIRY_HOURS, strict=True,
        json_schema_extra={"minimum": policy.MIN_EXPIRY_HOURS, "maximum": policy.MAX_EXPIRY_HOURS},
        description=f"How long the link works: {policy.MIN_EXPIRY_HOURS} to {policy.MAX_EXPIRY_HOURS} hours (30 days)")
    permission: Permission = Field(default=Permission.VIEW, description="`view`, or `download` (view and download)")
    password: str | None = Field(default=None, min_length=policy.MIN_PASSWORD_LENGTH,
                                 max_length=policy.MAX_PASSWORD_LENGTH,
                                 description="Optional; guests must enter it before they see the asset")

    @field_validator("expires_in_hours")
    @classmethod
    def _in_range(cls, value: int) -> int:
        try:
            return policy.check_expiry_hours(value)
        except ValueError as exc:  # the message as it is, without pydantic's "Value error, " in front
            raise PydanticCustomError("out_of_range", str(exc)) from None


class ShareLinkOut(BaseModel):
    id: int
    asset_id: int
    permission: str
    password_protected: bool
    status: str = Field(description="`live`, `revoked` or `expired`")
    created_at: datetime
    created_by: str
    expires_at: datetime
    expired_at: datetime | None = Field(description="When the expiry sweep marked the link expired")
    revoked_at: datetime | None
    revoked_by: str | None
    rotated_from: int | None = Field(description="The link this one replaced by rotation")
    view_count: int
    last_viewed_at: datetime | None


class CreatedShareLinkOut(ShareLinkOut):
    url: str = Field(description="The full link. Shown this once: the portal keeps only a hash of its key")


class ShareLinkList(BaseModel):
    links: list[ShareLinkOut]


def _owned_asset(conn: Connection, user: User, asset_id: int) -> projects.Asset:
    asset = projects.get_asset(conn, user, asset_id, lock="share")
    if asset is None:
        raise not_found()
    return asset


def _created(issued: links.Issued, cfg: Settings, response: Response) -> CreatedShareLinkOut:
    response.headers["Cache-Control"] = "no-store"
    return CreatedShareLinkOut(**vars(issued.link), url=f"{cfg.public_url}/s/{issued.token}")


@router.post("", status_code=201, response_model=CreatedShareLinkOut, summary="Create a share link",
             responses={**NOT_FOUND, 409: {"description": "The cut is not ready: Mux has not finished processing it"}})
def create_link(asset_id: Id, body: ShareLinkIn, response: Response, user: User = Depends(owner),
                db: Database = Depends(database), cfg: Settings = Depends(settings)):
    with db.transaction() as conn:
        if _owned_asset(conn, user, asset_id).status != "ready":
            raise ApiError(409, "cut_not_ready",
                           "This cut cannot be shared yet: the video service has not finished processing it.")
        password_hash = hash_password(body.password, cfg) if body.password is not None else None
        issued = links.create(conn, user, asset_id, expires_in_hours=body.expires_in_hours,
                              permission=body.permission, password_hash=password_hash)
        return _created(issued, cfg, response)


@router.get("", response_model=ShareLinkList, summary="The asset's share links, newest first", responses=NOT_FOUND)
def list_links(asset_id: Id, user: User = Depends(owner), db: Database = Depends(database)):
    with db.transaction() as conn:
        _owned_asset(conn, user, asset_id)
        return ShareLinkList(links=[ShareLinkOut(**vars(link)) for link in links.list_for_asset(conn, asset_id)])


@router.post("/{link_id}/revoke", response_model=ShareLinkOut, summary="Revoke a share link, for good",
             responses=NOT_FOUND)
def revoke_link(asset_id: Id, link_id: Id, user: User = Depends(owner), db: Database = Depends(database)):
    with db.transaction() as conn:
        _owned_asset(conn, user, asset_id)
        link = links.revoke(conn, user, asset_id, link_id)
        if link is None:
            raise not_found()
        return ShareLinkOut(**vars(link))


@router.post("/{link_id}/rotate", status_code=201, response_model=CreatedShareLinkOut,
             summary="Replace a live link by a new one with a new key; the old link is revoked",
             responses={**NOT_FOUND, 409: {"description": "The link is revoked or expired"}})
def rotate_link(asset_id: Id, link_id: Id, response: Response, user: User = Depends(owner),
                db: Database = Depends(database), cfg: Settings = Depends(settings)):
    with db.transaction() as conn:
        _owned_asset(conn, user, asset_id)
        outcome = links.rotate(conn, user, asset_id, link_id)
        if outcome is None:
            raise not_found()
        if outcome is links.RotationRefused.NOT_LIVE:
            raise ApiError(409, "share_link_not_live",
                           "This link has been revoked or has expired, and that is final. Create a new link instead.")
        return _created(outcome, cfg, response)
