"""The scheduled tasks, for studio admins: list them, run one now, read its history.

Anyone else, agency admins included, gets 404, as for an address that does not exist.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from portal.accounts.users import User
from portal.config import Settings
from portal.web.deps import Database, database, not_found, require_member, settings
from portal.web.routing import PortalRoute

from . import service
from .registry import TASKS, ScheduledTask

router = APIRouter(route_class=PortalRoute, prefix="/admin/tasks", tags=["scheduled tasks"])
studio_admin = require_member("admin", studio_only=True)
TaskName = Annotated[str, Path(max_length=100, description="The task's name, e.g. share-links.expiry-sweep")]
NOT_FOUND = {404: {"description": "No such task (or you are not a studio admin)"}}


class RunOut(BaseModel):
    id: int
    task: str
    started_at: datetime
    finished_at: datetime
    outcome: str
    changed: int
    triggered_by: str
    error: str | None


class TaskOut(BaseModel):
    name: str
    description: str
    every_minutes: int
    last_run: RunOut | None


class TaskList(BaseModel):
    tasks: list[TaskOut]


class RunList(BaseModel):
    runs: list[RunOut]


def _task(name: str) -> ScheduledTask:
    task = TASKS.get(name)
    if task is None:
        raise not_found()
    return task


@router.get("", response_model=TaskList, summary="Every scheduled task, with its last run")
def list_tasks(user: User = Depends(studio_admin), db: Database = Depends(database)):
    with db.transaction() as conn:
        last = service.last_runs(conn)
        return TaskList(tasks=[
            TaskOut(name=t.name, description=t.description, every_minutes=t.every_minutes,
                    last_run=RunOut(**vars(last[t.name])) if t.name in last else None)
            for t in TASKS.values()
        ])


@router.post("/{name}/runs", status_code=201, response_model=RunOut, summary="Run a task now", responses=NOT_FOUND)
def run_task(name: TaskName, user: User = Depends(studio_admin), db: Database = Depends(database),
             cfg: Settings = Depends(settings)):
    with db.transaction() as conn:
        return RunOut(**vars(service.run(conn, _task(name), user, cfg)))


@router.get("/{name}/runs", response_model=RunList, summary="A task's runs, newest first", responses=NOT_FOUND)
def task_history(name: TaskName, user: User = Depends(studio_admin), db: Database = Depends(database)):
    with db.transaction() as conn:
        return RunList(runs=[RunOut(**vars(r)) for r in service.history(conn, _task(name))])
