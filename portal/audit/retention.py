"""Audit retention: entries older than the retention period are removed, except those a `keep`
condition holds on to (entries about a project under legal hold). Every run is itself audited
with how many entries it removed, so the log shows its own trimming."""
from __future__ import annotations

from psycopg import Connection

from . import log as audit


def remove_expired(conn: Connection, retention_days: int, keep: str = "false") -> int:
    """Remove entries older than `retention_days` on the database clock unless `keep` (an SQL
    condition over the entry `e`) holds; return how many were removed."""
    removed = conn.execute(
        "DELETE FROM audit_events e WHERE e.occurred_at < now() - make_interval(days => %s)"
        f" AND NOT ({keep})", (retention_days,)).rowcount
    audit.record(conn, "audit.retention_applied", "succeeded", actor_label="portal",
               details={"removed": removed, "retention_days": retention_days})
    return removed
