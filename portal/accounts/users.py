"""Tenants (the studio and its partner agencies) and the people who belong to them."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from psycopg import Connection


class Role(str, Enum):
    ADMIN = "admin"
    PRODUCER = "producer"
    GUEST = "guest"


class Status(str, Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    role: Role
    status: Status
    tenant_id: int
    tenant_name: str
    tenant_kind: str

    @property
    def is_active(self) -> bool:
        return self.status is Status.ACTIVE

    @classmethod
    def from_row(cls, row: dict) -> "User":
        return cls(
            id=row["id"],
            email=row["email"],
            name=row["name"],
            role=Role(row["role"]),
            status=Status(row["status"]),
            tenant_id=row["tenant_id"],
            tenant_name=row["tenant_name"],
            tenant_kind=row["tenant_kind"],
        )


_SELECT_USER = """
    SELECT u.id, u.email, u.name, u.role, u.status, u.tenant_id,
           t.name AS tenant_name, t.kind AS tenant_kind
      FROM users u JOIN tenants t ON t.id = u.tenant_id
"""


def find_by_email(conn: Connection, email: str, *, lock: bool = False) -> User | None:
    """Addresses match case-insensitively. `lock` serialises work on one user (e.g. issuing links)."""
    sql = _SELECT_USER + " WHERE lower(u.email) = lower(%s)" + (" FOR UPDATE OF u" if lock else "")
    row = conn.execute(sql, (email.strip(),)).fetchone()
    return User.from_row(row) if row else None


def get(conn: Connection, user_id: int, *, lock: bool = False) -> User | None:
    """`lock` serialises work on one user (e.g. suspending them)."""
    row = conn.execute(_SELECT_USER + " WHERE u.id = %s" + (" FOR UPDATE OF u" if lock else ""), (user_id,)).fetchone()
    return User.from_row(row) if row else None
