"""A project's milestones: ordered, each with a title, a due date, a status and a version.

Studio admins and the admins and producers of the project's organisation manage them; its
guests read them (the routes' gates say who may do what). Anyone else finds no such project
(see `service.get_project`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from psycopg import Connection

from portal.accounts.users import User

from . import service
from .versions import stale_or_gone

STATUSES = ("planned", "in_progress", "done")


@dataclass(frozen=True)
class Milestone:
    id: int
    project_id: int
    title: str
    due_on: date | None
    status: str
    position: int  # 1 for the first of the project's milestones
    version: int
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None


# position: the milestone's rank among the project's milestones that are not deleted
_SELECT = """
SELECT m.id, m.project_id, m.title, m.due_on, m.status,
       (SELECT count(*) FROM milestones o
         WHERE o.project_id = m.project_id AND o.deleted_at IS NULL AND o.position <= m.position) AS position,
       m.version, m.created_at, m.updated_at, m.completed_at
  FROM milestones m
"""


class UnknownMilestones(Exception):
    """A new order that does not name every milestone of the project exactly once."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _project_of(conn: Connection, milestone_id: int) -> int | None:
    row = conn.execute("SELECT project_id FROM milestones WHERE id = %s AND deleted_at IS NULL",
                       (milestone_id,)).fetchone()
    return row["project_id"] if row else None


def _one(conn: Connection, milestone_id: int) -> Milestone | None:
    row = conn.execute(_SELECT + " WHERE m.id = %s AND m.deleted_at IS NULL", (milestone_id,)).fetchone()
    return Milestone(**row) if row else None


def _stale(conn: Connection, milestone_id: int) -> None:
    return stale_or_gone("milestone", _one(conn, milestone_id))


def list_for_project(conn: Connection, user: User, project_id: int) -> list[Milestone] | None:
    if service.get_project(conn, user, project_id) is None:
        return None
    rows = conn.execute(_SELECT + " WHERE m.project_id = %s AND m.deleted_at IS NULL ORDER BY m.position",
                        (project_id,)).fetchall()
    return [Milestone(**r) for r in rows]


def get(conn: Connection, user: User, milestone_id: int, *, for_change: bool = False) -> Milestone | None:
    """The milestone, if the user may read it (or, `for_change`, change it)."""
    project_id = _project_of(conn, milestone_id)
    if project_id is None or service.get_project(conn, user, project_id,
                                                 lock="share" if for_change else None) is None:
        return None
    return _one(conn, milestone_id)


def create(conn: Connection, user: User, project_id: int, *, title: str, due_on: date | None,
           status: str) -> Milestone | None:
    # the project row's lock orders concurrent additions, so each takes the next position
    if service.get_project(conn, user, project_id, lock="update") is None:
        return None
    row = conn.execute(
        "INSERT INTO milestones (project_id, title, due_on, status, completed_at, position, created_by)"
        " SELECT %(p)s, %(title)s, %(due)s, %(status)s, CASE WHEN %(status)s = 'done' THEN now() END,"
        "        coalesce(max(position), 0) + 1, %(by)s FROM milestones WHERE project_id = %(p)s RETURNING id",
        {"p": project_id, "title": title, "due": due_on, "status": status, "by": user.id},
    ).fetchone()
    service.audit_work(conn, user, "milestone.created", {"project_id": project_id, "milestone_id": row["id"]})
    return _one(conn, row["id"])


def update(conn: Connection, user: User, milestone_id: int, expected_version: int, changes: dict) -> Milestone | None:
    """Apply `changes` (title, due_on, status; only the keys given) if the milestone is still at
    `expected_version`; None when the user may not change it, StaleVersion when it moved on."""
    if get(conn, user, milestone_id, for_change=True) is None:
        return None
    row = conn.execute(
        "UPDATE milestones SET"
        " title = CASE WHEN %(set_title)s THEN %(title)s ELSE title END,"
        " due_on = CASE WHEN %(set_due)s THEN %(due_on)s ELSE due_on END,"
        " status = CASE WHEN %(set_status)s THEN %(status)s ELSE status END,"
        " completed_at = CASE WHEN NOT %(set_status)s THEN completed_at"
        "                     WHEN %(status)s = 'done' THEN coalesce(completed_at, now()) END,"
        " version = version + 1, updated_at = now()"
        " WHERE id = %(id)s AND version = %(version)s AND deleted_at IS NULL RETURNING id",
        {"id": milestone_id, "version": expected_version,
         "set_title": "title" in changes, "title": changes.get("title"),
         "set_due": "due_on" in changes, "due_on": changes.get("due_on"),
         "set_status": "status" in changes, "status": changes.get("status")},
    ).fetchone()
    if row is None:
        return _stale(conn, milestone_id)
    service.audit_work(conn, user, "milestone.updated", {"milestone_id": milestone_id,
                                                         "changed": sorted(changes), "version": expected_version + 1})
    return _one(conn, milestone_id)


def reorder(conn: Connection, user: User, project_id: int, milestone_ids: list[int]) -> list[Milestone] | None:
    """Put the project's milestones in the order given, which must name each of them exactly once.

    All or nothing: an order with an unknown, missing or repeated id changes nothing. The new
    positions are numbers above every existing one, so no two milestones share one at any moment.
    """
    if service.get_project(conn, user, project_id, lock="update") is None:
        return None
    current = {r["id"] for r in conn.execute(
        "SELECT id FROM milestones WHERE project_id = %s AND deleted_at IS NULL", (project_id,)).fetchall()}
    if len(set(milestone_ids)) != len(milestone_ids) or set(milestone_ids) != current:
        # the same words for another project's milestone and for one that never existed
        raise UnknownMilestones("Name every milestone of this project exactly once, and no other.")
    conn.execute(
        "UPDATE milestones m SET position = top.p + o.n,"
        " version = m.version + CASE WHEN o.n <> rank.r THEN 1 ELSE 0 END, updated_at = now()"
        " FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS o(id, n),"
        "      (SELECT max(position) AS p FROM milestones WHERE project_id = %(p)s) AS top,"
        "      (SELECT id, row_number() OVER (ORDER BY position) AS r FROM milestones"
        "        WHERE project_id = %(p)s AND deleted_at IS NULL) AS rank"
        " WHERE m.id = o.id AND rank.id = o.id",
        {"ids": milestone_ids, "p": project_id},
    )
    service.audit_work(conn, user, "milestone.reordered", {"project_id": project_id, "order": milestone_ids})
    return list_for_project(conn, user, project_id)


def delete(conn: Connection, user: User, milestone_id: int, expected_version: int) -> list[int] | None:
    """Soft delete the milestone and its open tasks (its done tasks stay, as the record of what was
    done); return the ids of the tasks deleted with it. None: not the user's to delete."""
    if get(conn, user, milestone_id, for_change=True) is None:
        return None
    row = conn.execute(
        "UPDATE milestones SET deleted_at = now(), deleted_by = %s, version = version + 1"
        " WHERE id = %s AND version = %s AND deleted_at IS NULL RETURNING id",
        (user.id, milestone_id, expected_version),
    ).fetchone()
    if row is None:
        return _stale(conn, milestone_id)
    tasks = conn.execute(
        "UPDATE project_tasks SET deleted_at = now(), deleted_by = %s, deleted_with = 'milestone'"
        " WHERE milestone_id = %s AND status = 'open' AND deleted_at IS NULL RETURNING id",
        (user.id, milestone_id),
    ).fetchall()
    task_ids = sorted(t["id"] for t in tasks)
    service.audit_work(conn, user, "milestone.deleted", {"milestone_id": milestone_id, "task_ids": task_ids})
    return task_ids
