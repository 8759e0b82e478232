"""Running scheduled tasks and keeping their history (scheduled_task_runs).

A run and its effects commit together. Runs of one task never overlap: each takes the task's
advisory lock (an on-demand run waits for it; the schedule skips a task another process is
running). Whether the schedule is due is decided on the database clock.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from psycopg import Connection
from psycopg_pool import ConnectionPool

from portal.accounts.users import User
from portal.audit import log as audit
from portal.config import Settings
from portal.security import redact_email

from .registry import TASKS, ScheduledTask

log = logging.getLogger(__name__)
HISTORY_LIMIT = 50


@dataclass(frozen=True)
class Run:
    id: int
    task: str
    started_at: datetime
    finished_at: datetime
    outcome: str  # succeeded | failed
    changed: int
    triggered_by: str  # a person's name, or "schedule"
    error: str | None


_COLUMNS = ("r.id, r.task, r.started_at, r.finished_at, r.outcome, r.changed,"
            " coalesce(u.name, 'schedule') AS triggered_by, r.error"
            " FROM scheduled_task_runs r LEFT JOIN users u ON u.id = r.triggered_by")
_RUNS = "SELECT " + _COLUMNS


def is_due(seconds_since_last_start: float | None, every_minutes: int) -> bool:
    return seconds_since_last_start is None or seconds_since_last_start >= every_minutes * 60


def _lock_key(task: ScheduledTask) -> str:
    return f"scheduled-task:{task.name}"


def run(conn: Connection, task: ScheduledTask, user: User | None, settings: Settings) -> Run:
    """Run `task` now and record the run; `user` None means the schedule ran it."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (_lock_key(task),))
    return _run_locked(conn, task, user, settings)


def _run_locked(conn: Connection, task: ScheduledTask, user: User | None, settings: Settings) -> Run:
    changed, error = 0, None
    try:
        with conn.transaction():  # a savepoint: a failing task leaves no half-done effects
            changed = task.run(conn, settings)
    except Exception as exc:  # noqa: BLE001 - a failed run is recorded, not raised
        log.exception("scheduled task %s failed", task.name)
        error = f"{type(exc).__name__}: {exc}"[:500]
    row = conn.execute(
        "INSERT INTO scheduled_task_runs (task, finished_at, outcome, changed, triggered_by, error)"
        " VALUES (%s, clock_timestamp(), %s, %s, %s, %s) RETURNING id",
        (task.name, "failed" if error else "succeeded", changed, user.id if user else None, error),
    ).fetchone()
    if user is not None:
        audit.record(conn, "scheduled_task.run", "failed" if error else "succeeded",
                     actor_label=redact_email(user.email), actor_user_id=user.id, tenant_id=user.tenant_id,
                     details={"task": task.name, "run_id": row["id"], "changed": changed})
    return get_run(conn, row["id"])


def get_run(conn: Connection, run_id: int) -> Run:
    return Run(**conn.execute(_RUNS + " WHERE r.id = %s", (run_id,)).fetchone())


def history(conn: Connection, task: ScheduledTask, limit: int = HISTORY_LIMIT) -> list[Run]:
    rows = conn.execute(_RUNS + " WHERE r.task = %s ORDER BY r.started_at DESC, r.id DESC LIMIT %s",
                        (task.name, limit)).fetchall()
    return [Run(**r) for r in rows]


def last_runs(conn: Connection) -> dict[str, Run]:
    rows = conn.execute(
        "SELECT DISTINCT ON (r.task) " + _COLUMNS + " ORDER BY r.task, r.started_at DESC, r.id DESC"
    ).fetchall()
    return {r["task"]: Run(**r) for r in rows}


def run_due(pool: ConnectionPool, settings: Settings, tasks: dict[str, ScheduledTask] = TASKS) -> int:
    """The schedule: run every task whose interval has passed since its last run; return how many ran."""
    ran = 0
    for task in tasks.values():
        with pool.connection() as conn:
            with conn.transaction():
                got = conn.execute("SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0)) AS got",
                                   (_lock_key(task),)).fetchone()["got"]
                if not got:
                    continue  # another process is running it right now
                age = conn.execute(
                    "SELECT extract(epoch FROM now() - max(started_at))::float8 AS age"
                    " FROM scheduled_task_runs WHERE task = %s", (task.name,),
                ).fetchone()["age"]
                if is_due(age, task.every_minutes):
                    _run_locked(conn, task, None, settings)
                    ran += 1
    return ran
