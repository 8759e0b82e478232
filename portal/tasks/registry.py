"""The catalogue of named scheduled tasks. A task is a function of a database connection that
returns how many records it changed; it runs in the caller's transaction and must be
idempotent, since the schedule and an admin may both run it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from psycopg import Connection

from portal.sharing import links


@dataclass(frozen=True)
class ScheduledTask:
    name: str
    description: str
    every_minutes: int
    run: Callable[[Connection], int]


TASKS: dict[str, ScheduledTask] = {task.name: task for task in (
    ScheduledTask(
        name="share-links.expiry-sweep",
        description="Marks share links past their expiry as expired (they refuse guests from their expiry on regardless).",
        every_minutes=15,
        run=links.sweep_expired,
    ),
)}
