"""A small job queue in PostgreSQL: jobs are rows, claimed with FOR UPDATE SKIP LOCKED."""
from __future__ import annotations

import logging
from typing import Callable

from psycopg import Connection
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)

# one channel wakes the worker for any kind of work: a job, an email, a nudge from an operator
WAKE_CHANNEL = "portal_work"

JobHandler = Callable[[Connection, dict], None]
MAX_JOB_ATTEMPTS = 5


def enqueue(conn: Connection, kind: str, payload: dict) -> int:
    row = conn.execute(
        "INSERT INTO jobs (kind, payload) VALUES (%s, %s) RETURNING id", (kind, Jsonb(payload))
    ).fetchone()
    conn.execute(f"NOTIFY {WAKE_CHANNEL}")
    return row["id"]


def run_due(pool: ConnectionPool, handlers: dict[str, JobHandler], limit: int = 100) -> int:
    """Run up to `limit` due jobs, each in its own transaction together with its effects."""
    ran = 0
    while ran < limit:
        with pool.connection() as conn:
            with conn.transaction():
                job = conn.execute(
                    "SELECT id, kind, payload, attempts FROM jobs WHERE status = 'queued' AND run_at <= now()"
                    " ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED"
                ).fetchone()
                if job is None:
                    return ran
                handler = handlers.get(job["kind"])
                try:
                    if handler is None:
                        raise LookupError(f"no handler for job kind {job['kind']!r}")
                    with conn.transaction():  # a savepoint: a failing handler leaves no half-done effects
                        handler(conn, job["payload"])
                    conn.execute("UPDATE jobs SET status = 'done', attempts = attempts + 1, finished_at = now() WHERE id = %s", (job["id"],))
                except Exception as exc:  # noqa: BLE001 - one bad job must not stop the worker
                    attempts = job["attempts"] + 1
                    final = attempts >= MAX_JOB_ATTEMPTS
                    log.exception("job %s (%s) failed on attempt %s", job["id"], job["kind"], attempts)
                    conn.execute(
                        "UPDATE jobs SET attempts = %s, last_error = %s, status = %s,"
                        " run_at = now() + make_interval(secs => %s), finished_at = CASE WHEN %s THEN now() END"
                        " WHERE id = %s",
                        (attempts, f"{type(exc).__name__}: {exc}"[:500], "failed" if final else "queued",
                         30 * 2 ** (attempts - 1), final, job["id"]),
                    )
        ran += 1
    return ran


def readiness(pool: ConnectionPool, settings) -> str:
    """The queue is up when its table answers within the readiness timeout."""
    with pool.connection(timeout=settings.readiness_timeout_seconds) as conn:
        conn.execute("SELECT 1 FROM jobs LIMIT 1")
    return "up"
