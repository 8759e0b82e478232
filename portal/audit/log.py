"""The append-only audit log: who did what, when, and how it ended.

Addresses are stored redacted (`t***@agency.example`); the actor's id links to the account
when there is one.
"""
from __future__ import annotations

from psycopg import Connection
from psycopg.types.json import Jsonb

from portal.request_id import current as current_request_id

from . import kinds


def record(
    conn: Connection,
    action: str,
    outcome: str,
    *,
    actor_label: str,
    actor_user_id: int | None = None,
    tenant_id: int | None = None,
    reason: str | None = None,
    details: dict | None = None,
    request_id: str | None = None,
) -> None:
    """Append one entry; `action` must be a kind in the catalogue (portal/audit/kinds.py)."""
    kinds.get(action)
    conn.execute(
        "INSERT INTO audit_events (action, outcome, actor_user_id, actor_label, tenant_id, reason, request_id, details)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (
            action,
            outcome,
            actor_user_id,
            actor_label,
            tenant_id,
            reason,
            request_id or current_request_id.get(),
            Jsonb(details or {}),
        ),
    )
