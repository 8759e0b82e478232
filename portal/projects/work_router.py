"""Milestones and tasks over HTTP, the search, and each person's digest setting.

Every change of a milestone or task names the version it read (`If-Match`, with the `ETag` a
read returned): none is `428`, a stale one `412` with the current version, and nothing changes.
People who may not see the project get the `404` of a project that does not exist.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from portal import text
from portal.accounts.users import User
from portal.config import Settings
from portal.db import with_retries
from portal.web.deps import (Database, database, expected_version, Id, MAX_ID, not_found, require_member, settings,
                             stale, tag_version)
from portal.web.errors import ApiError, documented
from portal.web.openapi import (CONTROL_CHARACTERS_BUT_LINE_BREAKS_AND_TABS, not_null, stripped_text, text_only,
                                whole_number)
from portal.web.routing import PortalRoute

from . import milestones, reminders, search, work_items
from .router import Name
from .versions import StaleVersion

router = APIRouter(route_class=PortalRoute, tags=["milestones and tasks"])
member = require_member("admin", "producer")
reader = require_member("admin", "producer", "guest")

ETAG = {"ETag": {"description": 'The version read, e.g. "3": send it back as If-Match to change the record',
                 "schema": {"type": "string"}}}
_STALE = 'Another change came first: the answer\'s ETag (and fields.if_match) says the current version'
NOT_FOUND_PROJECT = "No such project (or not yours to see)"


def _changes(statuses: dict[int, str]) -> dict:
    return documented({404: "No such record (or not yours to change)", 412: _STALE,
                       428: "No If-Match: say which version you read", **statuses}, headers={412: ETAG})


def _text(value: str) -> str:
    # a description may run over several lines; no other control character belongs in one
    wrong = text.problem(value, multiline=True)
    if wrong:
        raise PydanticCustomError("control_character", wrong)
    return value


Description = Annotated[str, Field(max_length=5000, json_schema_extra=stripped_text(
    CONTROL_CHARACTERS_BUT_LINE_BREAKS_AND_TABS, 0, 5000)), AfterValidator(_text)]
PersonId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True), BeforeValidator(whole_number)]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True), BeforeValidator(whole_number)]
# a change names at least one field; fields that cannot be emptied may be left out, not sent as null
AT_LEAST_ONE_FIELD = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra={"minProperties": 1})


# -- milestones -------------------------------------------------------------------------------

class MilestoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: Name
    due_on: Annotated[date, BeforeValidator(text_only)] | None = None
    status: Literal["planned", "in_progress", "done"] = "planned"


class MilestoneChangeIn(BaseModel):
    model_config = AT_LEAST_ONE_FIELD
    title: Name | None = Field(default=None, json_schema_extra=not_null)
    due_on: Annotated[date, BeforeValidator(text_only)] | None = None
    status: Literal["planned", "in_progress", "done"] | None = Field(default=None, json_schema_extra=not_null)


class MilestoneOut(BaseModel):
    id: int
    project_id: int
    title: str
    due_on: date | None
    status: str
    position: int = Field(description="1 for the project's first milestone")
    version: int
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None


class MilestoneList(BaseModel):
    milestones: list[MilestoneOut]


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    milestone_ids: list[RecordId] = Field(max_length=1000,
                                          description="Every milestone of the project, each once, in the new order")


def _milestone(m: milestones.Milestone, response: Response | None = None) -> MilestoneOut:
    if response is not None:
        tag_version(response, m.version)
    return MilestoneOut(**vars(m))


def _changed_fields(body: BaseModel, nullable: tuple[str, ...]) -> dict:
    """The fields the client sent; null only where it clears something, else `validation_failed`."""
    sent = body.model_dump(exclude_unset=True)
    nulled = {k: "This field cannot be null." for k, v in sent.items() if v is None and k not in nullable}
    if nulled:
        raise ApiError(422, "validation_failed", "Some fields are missing or invalid.", nulled)
    if not sent:
        raise ApiError(422, "validation_failed", "Send at least one field to change.", {"body": "Nothing to change."})
    return sent


@router.get("/projects/{project_id}/milestones", response_model=MilestoneList,
            summary="A project's milestones, in order (its organisation's guests may read them too)",
            responses=documented({404: NOT_FOUND_PROJECT}))
def list_milestones(project_id: Id, user: User = Depends(reader), db: Database = Depends(database)):
    with db.transaction() as conn:
        found = milestones.list_for_project(conn, user, project_id)
        if found is None:
            raise not_found()
        return MilestoneList(milestones=[_milestone(m) for m in found])


@router.post("/projects/{project_id}/milestones", status_code=201, response_model=MilestoneOut,
             summary="Add a milestone at the end of the project's order",
             responses=documented({404: NOT_FOUND_PROJECT, 422: "A field is invalid"}),
             response_description="The new milestone; its ETag in the header")
def create_milestone(project_id: Id, body: MilestoneIn, response: Response, user: User = Depends(member),
                     db: Database = Depends(database)):
    with db.transaction() as conn:
        created = milestones.create(conn, user, project_id, **body.model_dump())
        if created is None:
            raise not_found()
        return _milestone(created, response)


@router.get("/milestones/{milestone_id}", response_model=MilestoneOut, summary="A milestone, with its ETag",
            responses=documented({404: "No such milestone (or not yours to see)"}))
def read_milestone(milestone_id: Id, response: Response, user: User = Depends(reader),
                   db: Database = Depends(database)):
    with db.transaction() as conn:
        found = milestones.get(conn, user, milestone_id)
        if found is None:
            raise not_found()
        return _milestone(found, response)


@router.patch("/milestones/{milestone_id}", response_model=MilestoneOut,
              summary="Change a milestone's title, due date or status (`done` completes it)",
              responses=_changes({422: "A field is invalid"}))
def change_milestone(milestone_id: Id, body: MilestoneChangeIn, response: Response,
                     version: int = Depends(expected_version), user: User = Depends(member),
                     db: Database = Depends(database)):
    changes = _changed_fields(body, nullable=("due_on",))
    with db.transaction() as conn:
        try:
            changed = milestones.update(conn, user, milestone_id, version, changes)
        except StaleVersion as moved:
            raise stale(moved.current, moved.what) from None
        if changed is None:
            raise not_found()
        return _milestone(changed, response)


@router.put("/projects/{project_id}/milestones/order", response_model=MilestoneList,
            summary="Put the project's milestones in a new order; all or nothing",
            responses=documented({404: NOT_FOUND_PROJECT,
                                  422: "The order does not name every milestone of the project exactly once; "
                                       "no order changed",
                                  503: "The reorder kept meeting other changes (deadlocks); no order changed"}))
def reorder_milestones(project_id: Id, body: OrderIn, user: User = Depends(member), db: Database = Depends(database)):
    def attempt() -> MilestoneList:
        with db.transaction() as conn:
            try:
                ordered = milestones.reorder(conn, user, project_id, body.milestone_ids)
            except milestones.UnknownMilestones as wrong:
                raise ApiError(422, "validation_failed", "The new order cannot be applied; nothing changed.",
                               {"milestone_ids": wrong.message}) from None
            if ordered is None:
                raise not_found()
            return MilestoneList(milestones=[_milestone(m) for m in ordered])

    return with_retries(attempt)


@router.delete("/milestones/{milestone_id}", status_code=204,
               summary="Delete a milestone and its open tasks (kept for the audit); its done tasks stay",
               responses=_changes({503: "The deletion kept meeting other changes (deadlocks); nothing was deleted"}))
def delete_milestone(milestone_id: Id, version: int = Depends(expected_version), user: User = Depends(member),
                     db: Database = Depends(database)) -> Response:
    def attempt():
        with db.transaction() as conn:
            try:
                return milestones.delete(conn, user, milestone_id, version)
            except StaleVersion as moved:
                raise stale(moved.current, moved.what) from None

    if with_retries(attempt) is None:
        raise not_found()
    return Response(status_code=204)


# -- tasks ------------------------------------------------------------------------------------

class TaskIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: Name
    description: Description = ""
    assignee_id: PersonId | None = Field(default=None, description="Someone who can see the project: a studio "
                                         "admin, or an admin or producer of its organisation")
    milestone_id: RecordId | None = Field(default=None, description="A milestone of the same project")
    due_at: Annotated[AwareDatetime, BeforeValidator(text_only)] | None = Field(default=None, description="With its time zone, e.g. 2026-12-03T17:00:00+11:00")


class TaskChangeIn(BaseModel):
    model_config = AT_LEAST_ONE_FIELD
    title: Name | None = Field(default=None, json_schema_extra=not_null)
    description: Description | None = None
    assignee_id: PersonId | None = None
    milestone_id: RecordId | None = None
    due_at: Annotated[AwareDatetime, BeforeValidator(text_only)] | None = None


class TaskOut(BaseModel):
    id: int
    project_id: int
    milestone_id: int | None
    title: str
    description: str
    assignee_id: int | None
    assignee: str | None = Field(description="The assignee's name")
    due_at: datetime | None
    status: Literal["open", "done"]
    version: int
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None


class TaskList(BaseModel):
    tasks: list[TaskOut]


def _task(item: work_items.WorkItem, response: Response | None = None) -> TaskOut:
    if response is not None:
        tag_version(response, item.version)
    return TaskOut(**vars(item))


def _invalid(problem: work_items.Invalid) -> ApiError:
    return ApiError(422, "validation_failed", "Some fields are missing or invalid.", problem.fields)


_NOT_QUEUED = ApiError(503, "email_unavailable",
                       "The assignment email could not be queued, so the change was not made. Try again shortly.",
                       headers={"Retry-After": "5"})


@router.post("/projects/{project_id}/tasks", status_code=201, response_model=TaskOut, summary="Add a task",
             responses=documented({404: NOT_FOUND_PROJECT, 422: "A field is invalid, or names a milestone of "
                                   "another project or an assignee who cannot see the project",
                                   503: "The assignment email could not be queued; no task was created"}))
def create_task(project_id: Id, body: TaskIn, response: Response, user: User = Depends(member),
                db: Database = Depends(database)):
    with db.transaction() as conn:
        try:
            created = work_items.create(conn, user, project_id, body.model_dump())
        except work_items.Invalid as problem:
            raise _invalid(problem) from None
        except work_items.EmailNotQueued:
            raise _NOT_QUEUED from None
        if created is None:
            raise not_found()
        return _task(created, response)


@router.get("/projects/{project_id}/tasks", response_model=TaskList,
            summary="A project's tasks, soonest due first, optionally filtered",
            responses=documented({404: NOT_FOUND_PROJECT, 422: "A filter is invalid"}))
def list_tasks(project_id: Id, assignee: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
               status: Literal["open", "done"] | None = None,
               due_before: Annotated[Annotated[AwareDatetime, BeforeValidator(text_only)] | None,
                                     Query(description="Only tasks due before this moment")] = None,
               user: User = Depends(member), db: Database = Depends(database)):
    with db.transaction() as conn:
        found = work_items.list_for_project(conn, user, project_id, assignee_id=assignee, status=status,
                                            due_before=due_before)
        if found is None:
            raise not_found()
        return TaskList(tasks=[_task(t) for t in found])


@router.get("/tasks/{task_id}", response_model=TaskOut, summary="A task, with its ETag",
            responses=documented({404: "No such task (or not yours to see)"}))
def read_task(task_id: Id, response: Response, user: User = Depends(member), db: Database = Depends(database)):
    with db.transaction() as conn:
        found = work_items.get(conn, user, task_id)
        if found is None:
            raise not_found()
        return _task(found, response)


@router.patch("/tasks/{task_id}", response_model=TaskOut,
              summary="Change a task; null clears its assignee, milestone or due time",
              responses=_changes({422: "A field is invalid", 503: "The assignment email could not be queued; "
                                  "nothing changed"}))
def change_task(task_id: Id, body: TaskChangeIn, response: Response, version: int = Depends(expected_version),
                user: User = Depends(member), db: Database = Depends(database)):
    changes = _changed_fields(body, nullable=("assignee_id", "milestone_id", "due_at", "description"))
    with db.transaction() as conn:
        try:
            changed = work_items.update(conn, user, task_id, version, changes)
        except StaleVersion as moved:
            raise stale(moved.current, moved.what) from None
        except work_items.Invalid as problem:
            raise _invalid(problem) from None
        except work_items.EmailNotQueued:
            raise _NOT_QUEUED from None
        if changed is None:
            raise not_found()
        return _task(changed, response)


def _set_status(task_id: int, status: str, version: int, user: User, db: Database, response: Response) -> TaskOut:
    with db.transaction() as conn:
        try:
            changed = work_items.set_status(conn, user, task_id, version, status)
        except StaleVersion as moved:
            raise stale(moved.current, moved.what) from None
        if changed is None:
            raise not_found()
        return _task(changed, response)


@router.post("/tasks/{task_id}/completion", response_model=TaskOut, summary="Complete a task",
             responses=_changes({}))
def complete_task(task_id: Id, response: Response, version: int = Depends(expected_version),
                  user: User = Depends(member), db: Database = Depends(database)):
    return _set_status(task_id, "done", version, user, db, response)


@router.delete("/tasks/{task_id}/completion", response_model=TaskOut, summary="Reopen a completed task",
               responses=_changes({}))
def reopen_task(task_id: Id, response: Response, version: int = Depends(expected_version),
                user: User = Depends(member), db: Database = Depends(database)):
    return _set_status(task_id, "open", version, user, db, response)


@router.delete("/tasks/{task_id}", status_code=204, summary="Delete a task (kept for the audit)",
               responses=_changes({}))
def delete_task(task_id: Id, version: int = Depends(expected_version), user: User = Depends(member),
                db: Database = Depends(database)) -> Response:
    with db.transaction() as conn:
        try:
            deleted = work_items.delete(conn, user, task_id, version)
        except StaleVersion as moved:
            raise stale(moved.current, moved.what) from None
        if deleted is None:
            raise not_found()
        return Response(status_code=204)


# -- search and the digest setting ------------------------------------------------------------

class FoundOut(BaseModel):
    kind: Literal["project", "cut", "task"]
    id: int
    title: str
    project_id: int


class SearchOut(BaseModel):
    results: list[FoundOut]


@router.get("/search", response_model=SearchOut,
            summary="Projects, cuts and tasks you may see whose titles have words starting with each word of q",
            responses=documented({404: "Not signed in", 422: "q is missing, empty or too long"}))
def find(q: Annotated[str, Query(min_length=1, max_length=200, description='Words, e.g. "harb" for "Harbour Lights"')],
         user: User = Depends(reader), db: Database = Depends(database)):
    with db.transaction() as conn:
        return SearchOut(results=[FoundOut(**vars(f)) for f in search.find(conn, user, q)])


class DigestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = Field(strict=True)


class DigestOut(BaseModel):
    enabled: bool
    time_zone: str = Field(description="The studio's time zone, in which a digest's day is counted")


@router.get("/me/task-digest", response_model=DigestOut, summary="Whether you get the daily digest of your tasks",
            responses=documented({404: "Not signed in"}))
def read_digest(user: User = Depends(reader), db: Database = Depends(database), cfg: Settings = Depends(settings)):
    with db.transaction() as conn:
        return DigestOut(enabled=reminders.digest_enabled(conn, user.id), time_zone=cfg.time_zone)


@router.put("/me/task-digest", response_model=DigestOut, summary="Switch your daily digest on or off",
            responses=documented({404: "Not signed in", 422: "enabled is missing or not true/false"}))
def set_digest(body: DigestIn, user: User = Depends(reader), db: Database = Depends(database),
               cfg: Settings = Depends(settings)):
    with db.transaction() as conn:
        return DigestOut(enabled=reminders.set_digest(conn, user.id, body.enabled), time_zone=cfg.time_zone)
