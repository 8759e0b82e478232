"""The catalogue of named scheduled tasks. A task is a function of a database connection and the
portal's settings that returns how many records it changed; it runs in the caller's transaction
and must be idempotent, since the schedule and an admin may both run it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from psycopg import Connection

from portal.config import Settings
from portal.audit import retention
from portal.projects import legal_hold, reminders
from portal.sharing import links


@dataclass(frozen=True)
class ScheduledTask:
    name: str
    description: str
    every_minutes: int
    run: Callable[[Connection, Settings], int]


TASKS: dict[str, ScheduledTask] = {task.name: task for task in (
    ScheduledTask(
        name="share-links.expiry-sweep",
        description="Marks share links past their expiry as expired (they refuse guests from their expiry on regardless).",
        every_minutes=15,
        run=lambda conn, settings: links.sweep_expired(conn),
    ),
    ScheduledTask(
        name="tasks.overdue-reminders",
        description="Tells each assignee once about each of their open tasks past its due time "
                    "(again only if the due time moves).",
        every_minutes=15,
        run=lambda conn, settings: reminders.send_overdue(conn),
    ),
    ScheduledTask(
        name="tasks.daily-digest",
        description="Sends each person with open tasks due within 48 hours or overdue one digest a day "
                    "(the studio's day, PORTAL_TIME_ZONE); the first run of each day sends it.",
        every_minutes=60,
        run=lambda conn, settings: reminders.send_digests(conn, settings.time_zone),
    ),
    ScheduledTask(
        name="audit.retention",
        description="Removes audit entries older than PORTAL_AUDIT_RETENTION_DAYS (400 days), except those about "
                    "a project under legal hold, and records how many it removed.",
        every_minutes=24 * 60,
        run=lambda conn, settings: retention.remove_expired(conn, settings.audit_retention_days,
                                                            keep=legal_hold.AUDIT_ENTRY_HELD),
    ),
)}
