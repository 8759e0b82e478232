"""Projects and their assets, for studio admins and the admins and producers of the tenant that
owns them.

Everyone else (guests, other tenants, callers who are not signed in) gets 404, exactly as for a
project or asset that does not exist.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Response
from psycopg import Connection
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from portal.accounts.users import User
from portal.db import with_retries
from portal import text
from portal.web.deps import Database, database, Id, not_found, require_member
from portal.web.errors import ApiError, documented

from . import recovery, service

router = APIRouter(tags=["projects"])
member = require_member("admin", "producer")
NOT_FOUND = {404: {"description": "No such project or asset in your organisation"}}


def _printable(value: str) -> str:
    # guests see names and titles: no control character, and nothing that reorders what they read
    wrong = text.problem(value)
    if wrong:
        raise PydanticCustomError("control_character", wrong)
    return value


Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_printable)]


class ProjectIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Name


class ProjectChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Name | None = None
    recovery_point_hours: int | None = Field(
        default=None, ge=1, le=recovery.MAX_OBJECTIVE_HOURS, strict=True,
        description="How many hours of work the project may lose at most (its recovery point objective)")


class RecoveryPointOut(BaseModel):
    objective_hours: int
    status: Literal["covered", "at_risk", "no_backup_recorded"] = Field(
        description="`covered`: the newest backup is within the objective; `at_risk`: it is older; "
                    "`no_backup_recorded`: the portal has no backup on record")
    last_backup_at: datetime | None


class ProjectOut(BaseModel):
    id: int
    name: str
    organisation: str = Field(description="The organisation the project belongs to")
    recovery_point: RecoveryPointOut
    created_at: datetime


class ProjectList(BaseModel):
    projects: list[ProjectOut]


class AssetIn(BaseModel):
    """An asset the video service has processed: its playback id and the storage key of its file."""
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: Name
    version: int = Field(default=1, ge=1, le=10_000, strict=True)
    duration_seconds: Decimal | None = Field(default=None, gt=0, le=86_400, max_digits=9, decimal_places=3)
    status: Literal["preparing", "ready", "errored"] = "ready"
    playback_id: str = Field(pattern=r"^[A-Za-z0-9]{1,128}$")
    storage_key: str = Field(max_length=512, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")

    @field_validator("storage_key")
    @classmethod
    def _stays_inside_storage(cls, value: str) -> str:
        if ".." in value or "//" in value:
            raise PydanticCustomError("not_a_plain_path", "A storage key is a plain path: no '..' and no empty segments")
        return value


class AssetOut(BaseModel):
    """What owners see of an asset; where its file lies in storage stays inside the portal."""
    id: int
    project_id: int
    title: str
    version: int
    duration_seconds: float | None
    status: str
    playback_id: str
    created_at: datetime


class AssetList(BaseModel):
    assets: list[AssetOut]


def project_out(conn: Connection, project: service.Project) -> ProjectOut:
    point = recovery.coverage(project.recovery_point_hours, recovery.newest_backup(conn))
    return ProjectOut(id=project.id, name=project.name, organisation=project.organisation,
                      recovery_point=RecoveryPointOut(**vars(point)), created_at=project.created_at)


def _asset_out(asset: service.Asset) -> AssetOut:
    return AssetOut(**{k: v for k, v in vars(asset).items() if k in AssetOut.model_fields})


@router.post("/projects", status_code=201, response_model=ProjectOut, summary="Create a project")
def create_project(body: ProjectIn, user: User = Depends(member), db: Database = Depends(database)):
    with db.transaction() as conn:
        return project_out(conn, service.create_project(conn, user, body.name))


@router.get("/projects", response_model=ProjectList, summary="Your organisation's projects")
def list_projects(user: User = Depends(member), db: Database = Depends(database)):
    with db.transaction() as conn:
        return ProjectList(projects=[project_out(conn, p) for p in service.list_projects(conn, user)])


@router.get("/projects/{project_id}", response_model=ProjectOut, summary="A project", responses=NOT_FOUND)
def read_project(project_id: Id, user: User = Depends(member), db: Database = Depends(database)):
    with db.transaction() as conn:
        project = service.get_project(conn, user, project_id)
        if project is None:
            raise not_found()
        return project_out(conn, project)


@router.patch("/projects/{project_id}", response_model=ProjectOut, summary="Rename a project or set its recovery point objective",
              responses=documented({404: "No such project in your organisation", 422: "A field is invalid"}))
def change_project(project_id: Id, body: ProjectChangeIn, user: User = Depends(member), db: Database = Depends(database)):
    with db.transaction() as conn:
        project = service.rename_project(conn, user, project_id, name=body.name,
                                         recovery_point_hours=body.recovery_point_hours)
        if project is None:
            raise not_found()
        return project_out(conn, project)


@router.delete("/projects/{project_id}", status_code=204,
               summary="Delete a project with its milestones, tasks and assets; their share links are revoked",
               responses=documented({404: "No such project in your organisation",
                                     503: "The deletion kept meeting other changes (deadlocks); nothing was deleted"}))
def delete_project(project_id: Id, user: User = Depends(member), db: Database = Depends(database)) -> Response:
    def attempt() -> bool:
        with db.transaction() as conn:
            return service.delete_project(conn, user, project_id)

    if not with_retries(attempt):
        raise not_found()
    return Response(status_code=204)


@router.post("/projects/{project_id}/restoration", response_model=ProjectOut,
             summary="Studio admins: bring back a project deleted less than 30 days ago, with what was deleted with it",
             responses=documented({404: "No such project (or you are not a studio admin)",
                                   409: "The project is not deleted, or was deleted more than 30 days ago",
                                   503: "The restore kept meeting other changes (deadlocks); nothing was restored"}))
def restore_project(project_id: Id, user: User = Depends(member), db: Database = Depends(database)):
    def attempt() -> ProjectOut:
        with db.transaction() as conn:
            try:
                project = service.restore_project(conn, user, project_id)
            except service.RestoreRefused as refused:
                raise ApiError(409, refused.code, refused.message) from None
            if project is None:
                raise not_found()
            return project_out(conn, project)

    return with_retries(attempt)


@router.post("/projects/{project_id}/assets", status_code=201, response_model=AssetOut, summary="Add an asset",
             responses=NOT_FOUND)
def create_asset(project_id: Id, body: AssetIn, user: User = Depends(member), db: Database = Depends(database)):
    with db.transaction() as conn:
        asset = service.create_asset(conn, user, project_id, **body.model_dump())
        if asset is None:
            raise not_found()
        return _asset_out(asset)


@router.get("/projects/{project_id}/assets", response_model=AssetList, summary="A project's assets", responses=NOT_FOUND)
def list_assets(project_id: Id, user: User = Depends(member), db: Database = Depends(database)):
    with db.transaction() as conn:
        assets = service.list_assets(conn, user, project_id)
        if assets is None:
            raise not_found()
        return AssetList(assets=[_asset_out(a) for a in assets])


@router.get("/assets/{asset_id}", response_model=AssetOut, summary="An asset", responses=NOT_FOUND)
def read_asset(asset_id: Id, user: User = Depends(member), db: Database = Depends(database)):
    with db.transaction() as conn:
        asset = service.get_asset(conn, user, asset_id)
        if asset is None:
            raise not_found()
        return _asset_out(asset)


@router.delete("/assets/{asset_id}", status_code=204, responses=NOT_FOUND,
               summary="Delete an asset: hidden from everyone, kept for the audit, every share link to it revoked")
def delete_asset(asset_id: Id, user: User = Depends(member), db: Database = Depends(database)) -> Response:
    with db.transaction() as conn:
        if not service.delete_asset(conn, user, asset_id):
            raise not_found()
        return Response(status_code=204)
