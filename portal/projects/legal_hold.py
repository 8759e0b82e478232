"""Legal hold: a project a dispute or an inquiry concerns keeps every audit entry about it, however
old, until the hold is lifted. Studio admins place and lift holds; both are audited.

`AUDIT_ENTRY_HELD` is the condition, over an audit entry `e`, that the entry is about a project
under hold: the project itself, or one of its milestones, tasks, cuts or share links (as the
entry's details name them). Audit retention keeps such entries (portal/tasks/registry.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from psycopg import Connection

from portal.accounts.users import User

from . import service

AUDIT_ENTRY_HELD = """EXISTS (
  SELECT 1 FROM projects held WHERE held.legal_hold_since IS NOT NULL AND (
       e.details ->> 'project_id' = held.id::text
    OR e.details ->> 'milestone_id' IN (SELECT m.id::text FROM milestones m WHERE m.project_id = held.id)
    OR e.details ->> 'task_id' IN (SELECT t.id::text FROM project_tasks t WHERE t.project_id = held.id)
    OR e.details ->> 'asset_id' IN (SELECT a.id::text FROM assets a WHERE a.project_id = held.id)
    OR e.details ->> 'share_link_id' IN (SELECT l.id::text FROM share_links l JOIN assets a ON a.id = l.asset_id
                                          WHERE a.project_id = held.id)))"""


@dataclass(frozen=True)
class LegalHold:
    project_id: int
    since: datetime
    reason: str


def current(conn: Connection, user: User, project_id: int) -> LegalHold | None | bool:
    """The project's hold; None when it has none; False when the project is not in the user's scope."""
    if service.get_project(conn, user, project_id) is None:
        return False
    row = conn.execute("SELECT legal_hold_since, legal_hold_reason FROM projects WHERE id = %s", (project_id,)).fetchone()
    return LegalHold(project_id, row["legal_hold_since"], row["legal_hold_reason"]) if row["legal_hold_since"] else None


def place(conn: Connection, user: User, project_id: int, reason: str) -> LegalHold | None:
    """Put the project under hold (or change the reason of its hold); None: no such project for the user."""
    if service.get_project(conn, user, project_id, lock="update") is None:
        return None
    row = conn.execute(
        "UPDATE projects SET legal_hold_since = coalesce(legal_hold_since, now()), legal_hold_reason = %s"
        " WHERE id = %s RETURNING legal_hold_since", (reason, project_id)).fetchone()
    service.audit_work(conn, user, "project.legal_hold_placed", {"project_id": project_id, "reason": reason})
    return LegalHold(project_id, row["legal_hold_since"], reason)


def lift(conn: Connection, user: User, project_id: int) -> bool | None:
    """Lift the hold: True; False when the project had none; None: no such project for the user."""
    if service.get_project(conn, user, project_id, lock="update") is None:
        return None
    row = conn.execute(
        "UPDATE projects SET legal_hold_since = NULL, legal_hold_reason = NULL"
        " WHERE id = %s AND legal_hold_since IS NOT NULL RETURNING id", (project_id,)).fetchone()
    if row is None:
        return False
    service.audit_work(conn, user, "project.legal_hold_lifted", {"project_id": project_id})
    return True
