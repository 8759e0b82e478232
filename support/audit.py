"""Reading the audit log, and showing what was read in the report."""
from __future__ import annotations

from . import reporting

_ENTRIES = """
SELECT occurred_at, action, outcome, actor_label, reason, request_id
  FROM audit_events WHERE action = %s AND occurred_at >= %s ORDER BY id
"""


def entries(world, action: str) -> list[dict]:
    rows = world.db.execute(_ENTRIES, (action, world.started_at)).fetchall()
    reporting.attach_rows(world, f"Audit log: {action}", _ENTRIES, rows)
    return rows


def entries_mentioning(world, text: str) -> list[dict]:
    query = "SELECT id, action, actor_label FROM audit_events WHERE occurred_at >= %s AND (actor_label ILIKE %s OR details::text ILIKE %s)"
    pattern = f"%{text}%"
    rows = world.db.execute(query, (world.started_at, pattern, pattern)).fetchall()
    reporting.attach_rows(world, f"Audit entries mentioning the address", query, rows)
    return rows
