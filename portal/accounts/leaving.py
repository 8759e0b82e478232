"""What happens, in every domain, when a person leaves: suspended, or removed from their agency.

Each domain that holds something of a person's (sessions, sign-in links, invitations sent, API
keys, open tasks) registers a step here, and the service that suspends or removes a person runs
them all in its own transaction. Registration happens where the application is composed
(`portal/app.py`), so `accounts` never imports the domains that react to a departure, and no two
domain packages import each other.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from psycopg import Connection


@dataclass(frozen=True)
class Departure:
    """Who left, who made them leave (None: the portal itself), and why ("suspended", "removed")."""
    user_id: int
    tenant_id: int
    by_user_id: int | None
    reason: str


Step = Callable[[Connection, Departure], None]

_STEPS: dict[str, Step] = {}


def on_departure(name: str, step: Step) -> None:
    """Register `step` under `name` (registering the same name again replaces it)."""
    _STEPS[name] = step


def steps() -> dict[str, Step]:
    return dict(_STEPS)


def depart(conn: Connection, departure: Departure) -> list[str]:
    """Run every registered step in the caller's transaction; return their names, in order."""
    for step in _STEPS.values():
        step(conn, departure)
    return list(_STEPS)
