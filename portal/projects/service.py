"""Projects and their video assets (cuts), always seen through the caller's tenant.

Studio admins see every organisation's projects; an agency's admins and producers see their own
agency's. Another tenant's project, and a deleted one, is to the portal a project that does not
exist: every look-up here is scoped by `visible_to` and skips soft-deleted rows, so callers
answer 404 for all three alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from psycopg import Connection

from portal.accounts.users import Role, User
from portal.audit import log as audit
from portal.security import redact_email

from . import removal

RESTORE_DAYS = 30  # how long a studio admin can bring a deleted project back


@dataclass(frozen=True)
class Project:
    id: int
    tenant_id: int
    organisation: str
    name: str
    recovery_point_hours: int
    created_at: datetime


@dataclass(frozen=True)
class Asset:
    id: int
    project_id: int
    tenant_id: int
    title: str
    version: int
    duration_seconds: Decimal | None
    status: str
    playback_id: str
    storage_key: str
    created_at: datetime


_PROJECT = ("SELECT p.id, p.tenant_id, t.name AS organisation, p.name, p.recovery_point_hours, p.created_at"
            " FROM projects p JOIN tenants t ON t.id = p.tenant_id")
# the caller's organisation's projects, or every organisation's for a studio admin (see visible_to)
_IN_SCOPE = "(p.tenant_id = %s OR %s)"
VISIBLE_PROJECT = f"{_IN_SCOPE} AND p.deleted_at IS NULL"
# an Asset's columns (a: assets, p: its project), for every query that reads one
ASSET_COLUMNS = ("a.id, a.project_id, p.tenant_id, a.title, a.version, a.duration_seconds, a.status,"
                 " a.playback_id, a.storage_key, a.created_at")
NOT_DELETED = "a.deleted_at IS NULL AND p.deleted_at IS NULL"
_ASSET = f"SELECT {ASSET_COLUMNS} FROM assets a JOIN projects p ON p.id = a.project_id"
_VISIBLE_ASSET = f"{_IN_SCOPE} AND {NOT_DELETED}"


def sees_every_organisation(user: User) -> bool:
    """Studio admins run the studio's work with every agency: they see every project."""
    return user.role is Role.ADMIN and user.tenant_kind == "studio"


def visible_to(user: User) -> tuple[int, bool]:
    """The parameters of `_IN_SCOPE` for this user."""
    return user.tenant_id, sees_every_organisation(user)


def audit_work(conn: Connection, user: User, action: str, details: dict) -> None:
    audit.record(conn, action, "succeeded", actor_label=redact_email(user.email), actor_user_id=user.id,
                 tenant_id=user.tenant_id, details=details)


# -- projects ---------------------------------------------------------------------------------

def create_project(conn: Connection, user: User, name: str) -> Project:
    row = conn.execute(
        "INSERT INTO projects (tenant_id, name, created_by) VALUES (%s, %s, %s) RETURNING id",
        (user.tenant_id, name, user.id),
    ).fetchone()
    audit_work(conn, user, "project.created", {"project_id": row["id"]})
    return get_project(conn, user, row["id"])


def list_projects(conn: Connection, user: User) -> list[Project]:
    rows = conn.execute(f"{_PROJECT} WHERE {VISIBLE_PROJECT} ORDER BY p.id", visible_to(user)).fetchall()
    return [Project(**r) for r in rows]


# `share`: keep the row from being deleted while the transaction adds to it; `update`: to delete it
_LOCKS = {None: "", "share": " FOR SHARE OF {}", "update": " FOR UPDATE OF {}"}


def get_project(conn: Connection, user: User, project_id: int, *, lock: str | None = None) -> Project | None:
    """The project, when it is in the user's scope: every project for a studio admin, else the
    user's organisation's. Which roles may do what with it is each route's gate (`require_member`)."""
    row = conn.execute(
        f"{_PROJECT} WHERE p.id = %s AND {VISIBLE_PROJECT}{_LOCKS[lock].format('p')}", (project_id, *visible_to(user)),
    ).fetchone()
    return Project(**row) if row else None


def rename_project(conn: Connection, user: User, project_id: int, *, name: str | None,
                   recovery_point_hours: int | None) -> Project | None:
    project = get_project(conn, user, project_id, lock="update")
    if project is None:
        return None
    conn.execute("UPDATE projects SET name = coalesce(%s, name),"
                 " recovery_point_hours = coalesce(%s, recovery_point_hours) WHERE id = %s",
                 (name, recovery_point_hours, project_id))
    audit_work(conn, user, "project.updated", {"project_id": project_id, "name": name,
                                           "recovery_point_hours": recovery_point_hours})
    return get_project(conn, user, project_id)


# what deleting a project takes with it: (table, audit key); each row is marked deleted_with='project'
_DELETED_WITH_PROJECT = (("milestones", "milestone_ids"), ("project_tasks", "task_ids"), ("assets", "asset_ids"))


def delete_project(conn: Connection, user: User, project_id: int) -> bool:
    """Soft delete: the project, its milestones, tasks and assets are hidden and the assets' share
    links revoked. What was already deleted stays as it was, so a restore leaves it deleted."""
    if get_project(conn, user, project_id, lock="update") is None:
        return False
    details: dict = {"project_id": project_id}
    for table, key in _DELETED_WITH_PROJECT:
        rows = conn.execute(
            f"UPDATE {table} SET deleted_at = now(), deleted_by = %s, deleted_with = 'project'"
            " WHERE project_id = %s AND deleted_at IS NULL RETURNING id",
            (user.id, project_id),
        ).fetchall()
        details[key] = sorted(r["id"] for r in rows)
    details.update(removal.remove(conn, removal.Removal(details["asset_ids"], user)))
    conn.execute("UPDATE projects SET deleted_at = now(), deleted_by = %s WHERE id = %s", (user.id, project_id))
    audit_work(conn, user, "project.deleted", details)
    return True


class RestoreRefused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def restore_project(conn: Connection, user: User, project_id: int) -> Project | None:
    """A studio admin brings back a project deleted less than RESTORE_DAYS ago, with exactly what
    was deleted with it. Share links revoked by the deletion stay revoked (a revocation is final).

    None: no such project for this user (only studio admins restore). RestoreRefused: the project
    is not deleted, or was deleted too long ago."""
    if not sees_every_organisation(user):
        return None
    row = conn.execute(
        "SELECT deleted_at IS NOT NULL AS deleted,"
        " deleted_at > now() - make_interval(days => %s) AS recent FROM projects WHERE id = %s FOR UPDATE",
        (RESTORE_DAYS, project_id),
    ).fetchone()
    if row is None:
        return None
    if not row["deleted"]:
        raise RestoreRefused("project_not_deleted", "This project is not deleted.")
    if not row["recent"]:
        raise RestoreRefused("restore_period_over",
                             f"This project was deleted more than {RESTORE_DAYS} days ago and can no longer be restored.")
    details: dict = {"project_id": project_id}
    for table, key in _DELETED_WITH_PROJECT:
        rows = conn.execute(
            f"UPDATE {table} SET deleted_at = NULL, deleted_by = NULL, deleted_with = NULL"
            " WHERE project_id = %s AND deleted_with = 'project' RETURNING id",
            (project_id,),
        ).fetchall()
        details[key] = sorted(r["id"] for r in rows)
    conn.execute("UPDATE projects SET deleted_at = NULL, deleted_by = NULL, restored_at = now(), restored_by = %s"
                 " WHERE id = %s", (user.id, project_id))
    audit_work(conn, user, "project.restored", details)
    return get_project(conn, user, project_id)


# -- assets -----------------------------------------------------------------------------------

def create_asset(conn: Connection, user: User, project_id: int, *, title: str, version: int,
                 duration_seconds: Decimal | float | None, status: str, playback_id: str,
                 storage_key: str) -> Asset | None:
    if get_project(conn, user, project_id, lock="share") is None:
        return None
    row = conn.execute(
        "INSERT INTO assets (project_id, title, version, duration_seconds, status, playback_id, storage_key, created_by)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (project_id, title, version, duration_seconds, status, playback_id, storage_key, user.id),
    ).fetchone()
    return get_asset(conn, user, row["id"])


def list_assets(conn: Connection, user: User, project_id: int) -> list[Asset] | None:
    if get_project(conn, user, project_id) is None:
        return None
    rows = conn.execute(f"{_ASSET} WHERE a.project_id = %s AND {_VISIBLE_ASSET} ORDER BY a.id",
                        (project_id, *visible_to(user))).fetchall()
    return [Asset(**r) for r in rows]


def get_asset(conn: Connection, user: User, asset_id: int, *, lock: str | None = None) -> Asset | None:
    """The asset, when it belongs to the user's tenant and neither it nor its project is deleted.

    `lock="share"` for work on the asset's links: no link is made for an asset being deleted.
    """
    row = conn.execute(
        f"{_ASSET} WHERE a.id = %s AND {_VISIBLE_ASSET}{_LOCKS[lock].format('a')}", (asset_id, *visible_to(user)),
    ).fetchone()
    return Asset(**row) if row else None


def delete_asset(conn: Connection, user: User, asset_id: int) -> bool:
    """Soft delete: hidden from everyone but kept for the audit, and every share link to it revoked."""
    if get_asset(conn, user, asset_id, lock="update") is None:
        return False
    conn.execute("UPDATE assets SET deleted_at = now(), deleted_by = %s WHERE id = %s", (user.id, asset_id))
    consequences = removal.remove(conn, removal.Removal([asset_id], user))
    audit_work(conn, user, "asset.deleted", {"asset_id": asset_id, **consequences})
    return True
