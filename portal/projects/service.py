"""Projects and their video assets (cuts), always seen through the caller's tenant.

Another tenant's project, and a deleted one, is to the portal a project that does not exist:
every look-up here is scoped by tenant and skips soft-deleted rows, so callers answer 404 for
all three alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from psycopg import Connection

from portal.accounts.users import User
from portal.audit import log as audit
from portal.security import redact_email

from . import removal


@dataclass(frozen=True)
class Project:
    id: int
    name: str
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


_PROJECT = "SELECT p.id, p.name, p.created_at FROM projects p"
_VISIBLE_PROJECT = "p.tenant_id = %s AND p.deleted_at IS NULL"
# an Asset's columns (a: assets, p: its project), for every query that reads one
ASSET_COLUMNS = ("a.id, a.project_id, p.tenant_id, a.title, a.version, a.duration_seconds, a.status,"
                 " a.playback_id, a.storage_key, a.created_at")
NOT_DELETED = "a.deleted_at IS NULL AND p.deleted_at IS NULL"
_ASSET = f"SELECT {ASSET_COLUMNS} FROM assets a JOIN projects p ON p.id = a.project_id"
_VISIBLE_ASSET = f"p.tenant_id = %s AND {NOT_DELETED}"


def _audit(conn: Connection, user: User, action: str, details: dict) -> None:
    audit.record(conn, action, "succeeded", actor_label=redact_email(user.email), actor_user_id=user.id,
                 tenant_id=user.tenant_id, details=details)


# -- projects ---------------------------------------------------------------------------------

def create_project(conn: Connection, user: User, name: str) -> Project:
    row = conn.execute(
        "INSERT INTO projects (tenant_id, name, created_by) VALUES (%s, %s, %s) RETURNING id, name, created_at",
        (user.tenant_id, name, user.id),
    ).fetchone()
    return Project(**row)


def list_projects(conn: Connection, user: User) -> list[Project]:
    rows = conn.execute(f"{_PROJECT} WHERE {_VISIBLE_PROJECT} ORDER BY p.id", (user.tenant_id,)).fetchall()
    return [Project(**r) for r in rows]


# `share`: keep the row from being deleted while the transaction adds to it; `update`: to delete it
_LOCKS = {None: "", "share": " FOR SHARE OF {}", "update": " FOR UPDATE OF {}"}


def get_project(conn: Connection, user: User, project_id: int, *, lock: str | None = None) -> Project | None:
    row = conn.execute(
        f"{_PROJECT} WHERE p.id = %s AND {_VISIBLE_PROJECT}{_LOCKS[lock].format('p')}", (project_id, user.tenant_id),
    ).fetchone()
    return Project(**row) if row else None


def delete_project(conn: Connection, user: User, project_id: int) -> bool:
    """Soft delete: the project and its assets are hidden and their share links revoked."""
    if get_project(conn, user, project_id, lock="update") is None:
        return False
    assets = conn.execute(
        "UPDATE assets SET deleted_at = now(), deleted_by = %s WHERE project_id = %s AND deleted_at IS NULL"
        " RETURNING id",
        (user.id, project_id),
    ).fetchall()
    asset_ids = [a["id"] for a in assets]
    consequences = removal.remove(conn, removal.Removal(asset_ids, user))
    conn.execute("UPDATE projects SET deleted_at = now(), deleted_by = %s WHERE id = %s", (user.id, project_id))
    _audit(conn, user, "project.deleted", {"project_id": project_id, "asset_ids": asset_ids, **consequences})
    return True


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
                        (project_id, user.tenant_id)).fetchall()
    return [Asset(**r) for r in rows]


def get_asset(conn: Connection, user: User, asset_id: int, *, lock: str | None = None) -> Asset | None:
    """The asset, when it belongs to the user's tenant and neither it nor its project is deleted.

    `lock="share"` for work on the asset's links: no link is made for an asset being deleted.
    """
    row = conn.execute(
        f"{_ASSET} WHERE a.id = %s AND {_VISIBLE_ASSET}{_LOCKS[lock].format('a')}", (asset_id, user.tenant_id),
    ).fetchone()
    return Asset(**row) if row else None


def delete_asset(conn: Connection, user: User, asset_id: int) -> bool:
    """Soft delete: hidden from everyone but kept for the audit, and every share link to it revoked."""
    if get_asset(conn, user, asset_id, lock="update") is None:
        return False
    conn.execute("UPDATE assets SET deleted_at = now(), deleted_by = %s WHERE id = %s", (user.id, asset_id))
    consequences = removal.remove(conn, removal.Removal([asset_id], user))
    _audit(conn, user, "asset.deleted", {"asset_id": asset_id, **consequences})
    return True
