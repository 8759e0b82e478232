"""Projects and their assets, for studio admins and the admins and producers of the tenant that
owns them.

Everyone else (guests, other tenants, callers who are not signed in) gets 404, exactly as for a
project or asset that does not exist.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Response
from psycopg import Connection
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from portal.accounts.users import User
from portal.db import with_retries
from portal import text
from portal.config import Settings
from portal.video import mux, uploads
from portal.web.deps import Database, database, Id, not_found, require_member, settings
from portal.web.errors import ApiError, documented
from portal.web.openapi import CONTROL_CHARACTERS, one_of_any_case, stripped_text, whole_number
from portal.web.routing import PortalRoute

from . import recovery, service

log = logging.getLogger(__name__)
router = APIRouter(route_class=PortalRoute, tags=["projects"])
member = require_member("admin", "producer")
NOT_FOUND = {404: {"description": "No such project or asset in your organisation"}}


def _printable(value: str) -> str:
    # guests see names and titles: no control character, and nothing that reorders what they read
    wrong = text.problem(value)
    if wrong:
        raise PydanticCustomError("control_character", wrong)
    return value


def _to_the_millisecond(seconds: float) -> Decimal:
    """Durations are kept to the millisecond (numeric(9, 3)); a positive one never rounds to 0."""
    return max(Decimal(repr(seconds)).quantize(Decimal("0.001")), Decimal("0.001"))


Name = Annotated[str, Field(min_length=1, max_length=200, json_schema_extra=stripped_text(CONTROL_CHARACTERS, 1, 200)),
                 AfterValidator(_printable)]


Residency = Literal["anywhere", "australia"]
RESIDENCY_DOC = ("Where the project's media is kept: `anywhere`, or `australia` (Mux's environment for Australian "
                 "data residency); fixed once the project has a cut")


class ProjectIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Name
    data_residency: Residency = Field(default="anywhere", description=RESIDENCY_DOC)


class ProjectChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Name | None = None
    recovery_point_hours: Annotated[int, Field(ge=1, le=recovery.MAX_OBJECTIVE_HOURS, strict=True),
                                    BeforeValidator(whole_number)] | None = Field(
        default=None,
        description="How many hours of work the project may lose at most (its recovery point objective)")
    data_residency: Residency | None = Field(default=None, description=RESIDENCY_DOC)


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
    data_residency: str = Field(description=RESIDENCY_DOC)
    created_at: datetime


class ProjectList(BaseModel):
    projects: list[ProjectOut]


class AssetIn(BaseModel):
    """A producer's request to upload a cut; the file itself goes from the browser to Mux."""
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: Name
    version: Annotated[int, BeforeValidator(whole_number)] = Field(default=1, ge=1, le=10_000, strict=True)
    file_name: Name
    size_bytes: Annotated[int, BeforeValidator(whole_number)] = Field(gt=0, strict=True, description="The file's size; at most PORTAL_MAX_UPLOAD_BYTES")
    content_type: str = Field(min_length=1, max_length=100, json_schema_extra=one_of_any_case(uploads.VIDEO_TYPES),
                              description="One of (letter case aside): " + ", ".join(uploads.VIDEO_TYPES))


class AssetOut(BaseModel):
    """What owners see of a cut."""
    id: int
    project_id: int
    title: str
    version: int
    status: str = Field(description="`uploading`, `processing`, `ready`, `failed` or `upload_failed`")
    data_residency: str = Field(description="Where its media is kept (its project's residency when it was uploaded)")
    file_name: str | None
    size_bytes: int | None
    content_type: str | None
    duration_seconds: float | None
    aspect_ratio: str | None
    failure: str | None = Field(description="Why Mux could not take or process it")
    created_at: datetime


class UploadOut(AssetOut):
    upload_url: str = Field(description="Where the browser PUTs the file (Mux's direct upload address)")


class AssetList(BaseModel):
    assets: list[AssetOut]


def project_out(conn: Connection, project: service.Project) -> ProjectOut:
    point = recovery.coverage(project.recovery_point_hours, recovery.newest_backup(conn))
    return ProjectOut(id=project.id, name=project.name, organisation=project.organisation,
                      recovery_point=RecoveryPointOut(**vars(point)), data_residency=project.data_residency,
                      created_at=project.created_at)


def _asset_out(asset: service.Asset) -> AssetOut:
    return AssetOut(**{k: v for k, v in vars(asset).items() if k in AssetOut.model_fields})


@router.post("/projects", status_code=201, response_model=ProjectOut, summary="Create a project")
def create_project(body: ProjectIn, user: User = Depends(member), db: Database = Depends(database)):
    with db.transaction() as conn:
        return project_out(conn, service.create_project(conn, user, body.name, body.data_residency))


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


@router.patch("/projects/{project_id}", response_model=ProjectOut,
              summary="Rename a project, set its recovery point objective or (before its first cut) its data residency",
              responses=documented({404: "No such project in your organisation", 422: "A field is invalid",
                                    409: "The project has cuts: its data residency cannot change"}))
def change_project(project_id: Id, body: ProjectChangeIn, user: User = Depends(member), db: Database = Depends(database)):
    with db.transaction() as conn:
        try:
            project = service.rename_project(conn, user, project_id, name=body.name,
                                             recovery_point_hours=body.recovery_point_hours,
                                             data_residency=body.data_residency)
        except service.ResidencyLocked:
            raise ApiError(409, "data_residency_locked",
                           "This project already has cuts, and their media cannot move: its data residency stays "
                           "as it is.") from None
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


@router.post("/projects/{project_id}/assets", status_code=201, response_model=UploadOut,
             summary="Upload a cut: the portal creates a Mux direct upload and answers where the browser sends the file",
             responses=documented({404: "No such project in your organisation",
                                   422: "A field is invalid: the content type is not a video type, the file is too large, ...",
                                   502: "Mux refused to create the upload; nothing was created",
                                   503: "Mux could not be reached or answered with an error; nothing was created"}))
def create_asset(project_id: Id, body: AssetIn, user: User = Depends(member), db: Database = Depends(database),
                 cfg: Settings = Depends(settings)):
    problems = {name: problem for name, problem in (
        ("content_type", uploads.type_problem(body.content_type)),
        ("size_bytes", uploads.size_problem(body.size_bytes, cfg.max_upload_bytes))) if problem}
    if problems:
        raise ApiError(422, "validation_failed", "Some fields are missing or invalid.", problems)
    with db.transaction() as conn:
        project = service.get_project(conn, user, project_id)
        if project is None:
            raise not_found()
    public_id = str(uuid.uuid4())
    try:  # outside any transaction: nothing is held while Mux answers
        upload = mux.client(cfg, project.data_residency).create_upload(
            cors_origin=cfg.public_url, passthrough=public_id, timeout_seconds=cfg.mux_upload_timeout_seconds)
    except mux.MuxUnavailable as exc:
        log.error("no upload for a cut of project %s: %s", project_id, exc)
        raise ApiError(503, "video_service_unavailable",
                       "The video service is not answering; nothing was created. Try again in a few minutes.") from None
    except mux.MuxRefused as exc:
        log.error("no upload for a cut of project %s: %s", project_id, exc)
        raise ApiError(502, "video_service_refused",
                       "The video service refused to create the upload; nothing was created. The studio has been told.") from None
    with db.transaction() as conn:
        asset = service.create_uploading_asset(
            conn, user, project_id, public_id=public_id, title=body.title, version=body.version,
            file_name=body.file_name, size_bytes=body.size_bytes, content_type=body.content_type.strip().lower(),
            data_residency=project.data_residency, upload_id=upload.id,
            upload_timeout_seconds=cfg.mux_upload_timeout_seconds)
        if asset is None:
            raise not_found()
        return UploadOut(**_asset_out(asset).model_dump(), upload_url=upload.url)


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
