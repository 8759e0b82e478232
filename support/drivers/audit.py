"""Reading the audit log, and showing what was read in the report."""
from __future__ import annotations

from support.evidence import attachments

_ENTRIES = """
SELECT occurred_at, action, outcome, actor_label, reason, request_id, details
  FROM audit_events
 WHERE action = %s AND occurred_at >= %s AND actor_user_id IS NOT DISTINCT FROM %s
 ORDER BY id
"""


def masked(address: str) -> str:
    """An address as the audit log and the email timeline show it: first letter, then the domain
    (features/glossary.md, "Audit log": `t***@brightside.example`)."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def entries(world, action: str, actor=None) -> list[dict]:
    """This scenario's entries for `action` by `actor` (None: entries with no known actor)."""
    user_id = actor.user_id if actor is not None else None
    rows = world.db.execute(_ENTRIES, (action, world.started_at, user_id)).fetchall()
    attachments.attach_rows(world, f"Audit log: {action} by {actor.name if actor else 'anonymous'}", _ENTRIES, rows)
    return rows


def entries_mentioning(world, text: str) -> list[dict]:
    query = "SELECT id, action, actor_label FROM audit_events WHERE occurred_at >= %s AND (actor_label ILIKE %s OR details::text ILIKE %s)"
    pattern = f"%{text}%"
    rows = world.db.execute(query, (world.started_at, pattern, pattern)).fetchall()
    attachments.attach_rows(world, "Audit entries mentioning the address", query, rows)
    return rows
