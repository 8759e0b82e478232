"""A small job queue in PostgreSQL: jobs are rows, claimed with FOR UPDATE SKIP LOCKED."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, Mapping

from psycopg import Connection
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from portal import metrics

log = logging.getLogger(__name__)

# one channel wakes the worker for any kind of work: a job, an email, a nudge from an operator
WAKE_CHANNEL = "portal_work"

JobHandler = Callable[[Connection, dict], None]

# seconds before attempt 2, 3, 4 and 5; a job that fails its 5th attempt is dead-lettered ('failed')
DEFAULT_RETRY_DELAYS: tuple[int, ...] = (30, 60, 120, 240)


@dataclass(frozen=True)
class JobKind:
    """One kind of job the portal queues: its handler and its retry schedule (one registry of them
    is composed in `portal.app.job_kinds`; a unit test checks it against every `enqueue` call)."""
    name: str
    handler: JobHandler
    description: str
    retry_delays: tuple[int, ...] = DEFAULT_RETRY_DELAYS

    @property
    def max_attempts(self) -> int:
        return len(self.retry_delays) + 1

    def delay_after(self, attempt: int) -> int | None:
        """Seconds until the next attempt after failed attempt `attempt` (1-based); None: dead-lettered."""
        return self.retry_delays[attempt - 1] if attempt < self.max_attempts else None


def _unknown_kind(conn: Connection, payload: dict) -> None:
    raise LookupError("no handler for this job kind")


# a job of a kind no handler knows is retried on the default schedule, then dead-lettered: never loops
UNKNOWN = JobKind("(unknown)", _unknown_kind, "a kind the portal has no handler for")
MAX_JOB_ATTEMPTS = UNKNOWN.max_attempts


def enqueue(conn: Connection, kind: str, payload: dict) -> int:
    # the workers are woken in the same statement (one round trip): the notification is delivered
    # to listeners when the transaction commits, and only then
    row = conn.execute(
        "WITH job AS (INSERT INTO jobs (kind, payload) VALUES (%s, %s) RETURNING id)"
        " SELECT id, pg_notify(%s, '') FROM job", (kind, Jsonb(payload), WAKE_CHANNEL)
    ).fetchone()
    return row["id"]


def as_kinds(handlers: Mapping[str, JobKind | JobHandler]) -> dict[str, JobKind]:
    return {name: h if isinstance(h, JobKind) else JobKind(name, h, name) for name, h in handlers.items()}


def run_due(pool: ConnectionPool, handlers: Mapping[str, JobKind | JobHandler], limit: int = 100) -> int:
    """Run up to `limit` due jobs, each in its own transaction together with its effects."""
    kinds = as_kinds(handlers)
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
                kind = kinds.get(job["kind"], UNKNOWN)
                try:
                    with conn.transaction():  # a savepoint: a failing handler leaves no half-done effects
                        kind.handler(conn, job["payload"])
                    conn.execute("UPDATE jobs SET status = 'done', attempts = attempts + 1, finished_at = now() WHERE id = %s", (job["id"],))
                    outcome = "done"
                except Exception as exc:  # noqa: BLE001 - one bad job must not stop the worker
                    attempts = job["attempts"] + 1
                    delay = kind.delay_after(attempts)
                    final = delay is None
                    log.exception("job %s (%s) failed on attempt %s", job["id"], job["kind"], attempts)
                    conn.execute(
                        "UPDATE jobs SET attempts = %s, last_error = %s, status = %s,"
                        " run_at = now() + make_interval(secs => %s), finished_at = CASE WHEN %s THEN now() END"
                        " WHERE id = %s",
                        (attempts, f"{type(exc).__name__}: {exc}"[:500], "failed" if final else "queued",
                         delay or 0, final, job["id"]),
                    )
                    outcome = "dead_lettered" if final else "retried"
            metrics.job_outcome(kind.name, outcome)  # once the attempt's transaction is committed
        ran += 1
    return ran


def readiness(pool: ConnectionPool, settings) -> str:
    """The queue is up when its table answers within the readiness timeout."""
    with pool.connection(timeout=settings.readiness_timeout_seconds) as conn:
        conn.execute("SELECT 1 FROM jobs LIMIT 1")
    return "up"


def worker_readiness(pool: ConnectionPool, settings) -> str:
    """`up` when some background worker has reported within PORTAL_WORKER_HEARTBEAT_SECONDS, else `not_reporting`."""
    with pool.connection(timeout=settings.readiness_timeout_seconds) as conn:
        row = conn.execute(
            "SELECT max(beat_at) > now() - make_interval(secs => %s) AS alive FROM worker_heartbeats",
            (settings.worker_heartbeat_seconds,)).fetchone()
    return "up" if row["alive"] else "not_reporting"
