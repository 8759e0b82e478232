"""Tasks: the work items of a project (the code says "work item" so as not to be confused with
the portal's scheduled tasks, `portal.tasks`; people and the features say "task").

A task belongs to a project and optionally to one of that project's milestones (the database
holds the pair to it), has an assignee who can see the project, a due time and a status. Studio
admins and the admins and producers of the project's organisation work with them; nobody else
finds them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg import Connection

from portal.accounts.users import User
from portal.email import outbox

from . import service
from .versions import stale_or_gone

ASSIGNED_EMAIL = "task_assigned"


@dataclass(frozen=True)
class WorkItem:
    id: int
    project_id: int
    milestone_id: int | None
    title: str
    description: str
    assignee_id: int | None
    assignee: str | None  # the assignee's name
    due_at: datetime | None
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None


_SELECT = """
SELECT w.id, w.project_id, w.milestone_id, w.title, w.description, w.assignee_id, u.name AS assignee,
       w.due_at, w.status, w.version, w.created_at, w.updated_at, w.completed_at
  FROM project_tasks w LEFT JOIN users u ON u.id = w.assignee_id
"""


class Invalid(Exception):
    """A field names something the task cannot take: `fields` says which and why."""

    def __init__(self, fields: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


class EmailNotQueued(Exception):
    """The assignment email could not be written to the outbox; the change must not stand."""


def can_see_tasks_of(conn: Connection, person_id: int, project: service.Project) -> bool:
    """Who may be assigned: an active studio admin, or an active admin or producer of the
    project's organisation (the people who see its tasks)."""
    row = conn.execute(
        "SELECT 1 FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.id = %s AND u.status = 'active'"
        " AND ((u.role = 'admin' AND t.kind = 'studio') OR (u.tenant_id = %s AND u.role IN ('admin', 'producer')))",
        (person_id, project.tenant_id),
    ).fetchone()
    return row is not None


def _check(conn: Connection, project: service.Project, fields: dict) -> None:
    problems = {}
    assignee = fields.get("assignee_id")
    if assignee is not None and not can_see_tasks_of(conn, assignee, project):
        problems["assignee_id"] = "This person cannot be given the task: they cannot see this project."
    milestone = fields.get("milestone_id")
    if milestone is not None and conn.execute(
            "SELECT 1 FROM milestones WHERE id = %s AND project_id = %s AND deleted_at IS NULL",
            (milestone, project.id)).fetchone() is None:
        problems["milestone_id"] = "This project has no such milestone."
    if problems:
        raise Invalid(problems)


def _one(conn: Connection, item_id: int) -> WorkItem | None:
    row = conn.execute(_SELECT + " WHERE w.id = %s AND w.deleted_at IS NULL", (item_id,)).fetchone()
    return WorkItem(**row) if row else None


def _project_of(conn: Connection, user: User, item_id: int, lock: str | None = None) -> service.Project | None:
    row = conn.execute("SELECT project_id FROM project_tasks WHERE id = %s AND deleted_at IS NULL",
                       (item_id,)).fetchone()
    return service.get_project(conn, user, row["project_id"], lock=lock) if row else None


def get(conn: Connection, user: User, item_id: int) -> WorkItem | None:
    return _one(conn, item_id) if _project_of(conn, user, item_id) else None


def list_for_project(conn: Connection, user: User, project_id: int, *, assignee_id: int | None = None,
                     status: str | None = None, due_before: datetime | None = None) -> list[WorkItem] | None:
    """The project's tasks, soonest due first (tasks without a due time last), filtered."""
    if service.get_project(conn, user, project_id) is None:
        return None
    rows = conn.execute(
        _SELECT + " WHERE w.project_id = %(p)s AND w.deleted_at IS NULL"
        " AND (%(assignee)s::bigint IS NULL OR w.assignee_id = %(assignee)s)"
        " AND (%(status)s::text IS NULL OR w.status = %(status)s)"
        " AND (%(before)s::timestamptz IS NULL OR w.due_at < %(before)s)"
        " ORDER BY w.due_at NULLS LAST, w.id",
        {"p": project_id, "assignee": assignee_id, "status": status, "before": due_before},
    ).fetchall()
    return [WorkItem(**r) for r in rows]


def tell_assignee(conn: Connection, item: WorkItem, project_name: str, by: User) -> None:
    """The assignment email, in the caller's transaction: if it cannot be queued, nothing stands."""
    person = conn.execute("SELECT email, name FROM users WHERE id = %s", (item.assignee_id,)).fetchone()
    try:
        with conn.transaction():
            outbox.enqueue(conn, ASSIGNED_EMAIL, person["email"], {
                "name": person["name"], "title": item.title, "project": project_name,
                "due": describe_due(item.due_at), "assigned_by": by.name,
            })
    except psycopg.Error as exc:
        raise EmailNotQueued(str(exc)) from exc


def describe_due(due_at: datetime | None) -> str:
    return due_at.strftime("%d %b %Y, %H:%M UTC") if due_at else "no due date"


def create(conn: Connection, user: User, project_id: int, fields: dict) -> WorkItem | None:
    project = service.get_project(conn, user, project_id, lock="share")
    if project is None:
        return None
    _check(conn, project, fields)
    row = conn.execute(
        "INSERT INTO project_tasks (project_id, milestone_id, title, description, assignee_id, due_at, created_by)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (project_id, fields.get("milestone_id"), fields["title"], fields.get("description") or "",
         fields.get("assignee_id"), fields.get("due_at"), user.id),
    ).fetchone()
    item = _one(conn, row["id"])
    service.audit_work(conn, user, "task.created", {"project_id": project_id, "task_id": item.id,
                                                    "assignee_id": item.assignee_id})
    if item.assignee_id is not None:
        tell_assignee(conn, item, project.name, user)
    return item


_EDITABLE = ("title", "description", "assignee_id", "milestone_id", "due_at")


def update(conn: Connection, user: User, item_id: int, expected_version: int, changes: dict) -> WorkItem | None:
    """Apply `changes` (only the keys given; None clears assignee, milestone and due time) if the
    task is still at `expected_version`. Moving the due time re-arms the overdue reminder."""
    project = _project_of(conn, user, item_id, lock="share")
    if project is None:
        return None
    _check(conn, project, changes)
    before = _one(conn, item_id)
    params = {"id": item_id, "version": expected_version}
    for name in _EDITABLE:
        params[f"set_{name}"] = name in changes
        params[name] = changes.get(name)
    row = conn.execute(
        "UPDATE project_tasks SET"
        " title = CASE WHEN %(set_title)s THEN %(title)s ELSE title END,"
        " description = CASE WHEN %(set_description)s THEN coalesce(%(description)s, '') ELSE description END,"
        " assignee_id = CASE WHEN %(set_assignee_id)s THEN %(assignee_id)s ELSE assignee_id END,"
        " milestone_id = CASE WHEN %(set_milestone_id)s THEN %(milestone_id)s ELSE milestone_id END,"
        " due_at = CASE WHEN %(set_due_at)s THEN %(due_at)s ELSE due_at END,"
        " version = version + 1, updated_at = now()"
        " WHERE id = %(id)s AND version = %(version)s AND deleted_at IS NULL RETURNING id",
        params,
    ).fetchone()
    if row is None:
        return _stale(conn, item_id)
    item = _one(conn, item_id)
    service.audit_work(conn, user, "task.updated", {"task_id": item_id, "changed": sorted(changes),
                                                    "version": item.version})
    if item.assignee_id is not None and item.assignee_id != before.assignee_id:
        tell_assignee(conn, item, project.name, user)
    return item


def set_status(conn: Connection, user: User, item_id: int, expected_version: int, status: str) -> WorkItem | None:
    """Complete (`done`) or reopen (`open`) the task."""
    if _project_of(conn, user, item_id, lock="share") is None:
        return None
    row = conn.execute(
        "UPDATE project_tasks SET status = %(status)s, version = version + 1, updated_at = now(),"
        " completed_at = CASE WHEN %(status)s = 'done' THEN coalesce(completed_at, now()) END"
        " WHERE id = %(id)s AND version = %(version)s AND deleted_at IS NULL RETURNING id",
        {"id": item_id, "version": expected_version, "status": status},
    ).fetchone()
    if row is None:
        return _stale(conn, item_id)
    service.audit_work(conn, user, "task.completed" if status == "done" else "task.reopened", {"task_id": item_id})
    return _one(conn, item_id)


def delete(conn: Connection, user: User, item_id: int, expected_version: int) -> bool | None:
    """Soft delete: hidden from everyone, kept for the audit."""
    if _project_of(conn, user, item_id, lock="share") is None:
        return None
    row = conn.execute(
        "UPDATE project_tasks SET deleted_at = now(), deleted_by = %s, version = version + 1"
        " WHERE id = %s AND version = %s AND deleted_at IS NULL RETURNING id",
        (user.id, item_id, expected_version),
    ).fetchone()
    if row is None:
        return _stale(conn, item_id)
    service.audit_work(conn, user, "task.deleted", {"task_id": item_id})
    return True


def _stale(conn: Connection, item_id: int) -> None:
    return stale_or_gone("task", _one(conn, item_id))
