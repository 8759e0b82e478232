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
    data_residency: str
    created_at: datetime


@dataclass(frozen=True)
class Asset:
    """A cut. Its playback id comes only from Mux's signed reports (portal/video/lifecycle.py)."""
    id: int
    project_id: int
    tenant_id: int
    public_id: str
    title: str
    version: int
    duration_seconds: Decimal | None
    status: str
    playback_id: str | None
    data_residency: str
    file_name: str | None
    size_bytes: int | None
    content_type: str | None
    aspect_ratio: str | None
    failure: str | None
    created_at: datetime


_PROJECT = ("SELECT p.id, p.tenant_id, t.name AS organisation, p.name, p.recovery_point_hours, p.data_residency,"
            " p.created_at"
            " FROM projects p JOIN tenants t ON t.id = p.tenant_id")
# the caller's organisation's projects, or every organisation's for a studio admin (see visible_to)
_IN_SCOPE = "(p.tenant_id = %s OR %s)"
VISIBLE_PROJECT = f"{_IN_SCOPE} AND p.deleted_at IS NULL"
# an Asset's columns (a: assets, p: its project), for every query that reads one
ASSET_COLUMNS = ("a.id, a.project_id, p.tenant_id, a.public_id::text AS public_id, a.title, a.version,"
                 " a.duration_seconds, a.status, a.playback_id, a.data_residency, a.file_name, a.size_bytes,"
                 " a.content_type, a.aspect_ratio, a.failure, a.created_at")
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

def create_project(conn: Connection, user: User, name: str, data_residency: str = "anywhere") -> Project:
    row = conn.execute(
        "INSERT INTO projects (tenant_id, name, created_by, data_residency) VALUES (%s, %s, %s, %s) RETURNING id",
        (user.tenant_id, name, user.id, data_residency),
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


class ResidencyLocked(Exception):
    """The project already has cuts: their media lies where it lies and cannot move."""


def rename_project(conn: Connection, user: User, project_id: int, *, name: str | None,
                   recovery_point_hours: int | None, data_residency: str | None = None) -> Project | None:
    project = get_project(conn, user, project_id, lock="update")
    if project is None:
        return None
    if data_residency is not None and data_residency != project.data_residency and conn.execute(
            "SELECT 1 FROM assets WHERE project_id = %s LIMIT 1", (project_id,)).fetchone() is not None:
        raise ResidencyLocked()
    conn.execute("UPDATE projects SET name = coalesce(%s, name), data_residency = coalesce(%s, data_residency),"
                 " recovery_point_hours = coalesce(%s, recovery_point_hours) WHERE id = %s",
                 (name, data_residency, recovery_point_hours, project_id))
    audit_work(conn, user, "project.updated", {"project_id": project_id, "name": name,
                                           "recovery_point_hours": recovery_point_hours,
                                           "data_residency": data_residency})
    return get_project(conn, user, project_id)


# what deleting a project takes with it: (table, audit key); each row is marked deleted_with='project'
_DELETED_WITH_PROJECT = (("milestones", "milestone_ids"), ("project_tasks", "task_ids"), ("assets", "asset_ids"))
# one statement (one round trip) hides what is not deleted yet in each of them, and names what it hid
_DELETE_WITH_PROJECT = "WITH " + ", ".join(
    f"{key} AS (UPDATE {table} SET deleted_at = now(), deleted_by = %(by)s, deleted_with = 'project'"
    " WHERE project_id = %(project)s AND deleted_at IS NULL RETURNING id)" for table, key in _DELETED_WITH_PROJECT
) + " SELECT " + ", ".join(f"ARRAY(SELECT id FROM {key} ORDER BY id) AS {key}" for _, key in _DELETED_WITH_PROJECT)


def delete_project(conn: Connection, user: User, project_id: int) -> bool:
    """Soft delete: the project, its milestones, tasks and assets are hidden and the assets' share
    links revoked. What was already deleted stays as it was, so a restore leaves it deleted."""
    if get_project(conn, user, project_id, lock="update") is None:
        return False
    details: dict = {"project_id": project_id}
    details.update(conn.execute(_DELETE_WITH_PROJECT, {"by": user.id, "project": project_id}).fetchone())
    details.update(removal.remove(conn, removal.Removal(details["asset_ids"], user, restorable=True)))
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

def create_uploading_asset(conn: Connection, user: User, project_id: int, *, public_id: str, title: str,
                           version: int, file_name: str, size_bytes: int, content_type: str, data_residency: str,
                           upload_id: str, upload_timeout_seconds: int) -> Asset | None:
    """A cut whose file is on its way to the video service (status `uploading`), in the data
    residency its project had when the upload was created (None: no such project, or its residency
    changed meanwhile)."""
    project = get_project(conn, user, project_id, lock="share")
    if project is None or project.data_residency != data_residency:
        return None
    row = conn.execute(
        "INSERT INTO assets (project_id, public_id, title, version, status, file_name, size_bytes, content_type,"
        "                    data_residency, mux_upload_id, upload_expires_at, created_by)"
        " VALUES (%s, %s, %s, %s, 'uploading', %s, %s, %s, %s, %s, now() + make_interval(secs => %s), %s) RETURNING id",
        (project_id, public_id, title, version, file_name, size_bytes, content_type, data_residency, upload_id,
         upload_timeout_seconds, user.id),
    ).fetchone()
    audit_work(conn, user, "asset.upload_started", {"asset_id": row["id"], "project_id": project_id,
                                                    "data_residency": data_residency})
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
