"""What other domains do when cuts are deleted (one cut, or every cut of a deleted project).

Sharing revokes every link to them; other domains may add their own step. Each registers here
where the application is composed (`portal/app.py`), so `projects` never imports the domains that
react to a deletion, and no two domain packages import each other. The steps run in the deleting
transaction: a deletion and its consequences happen together or not at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from psycopg import Connection

from portal.accounts.users import User


@dataclass(frozen=True)
class Removal:
    """The cuts being deleted, by whom, and why (recorded with each consequence)."""
    asset_ids: list[int]
    by: User
    reason: str = "asset_deleted"
    # deleted with its project, which a studio admin may restore: nothing may be destroyed for good
    restorable: bool = False


# a step returns what it did, for the deletion's audit entry (e.g. {"revoked_share_link_ids": [...]})
Step = Callable[[Connection, Removal], dict]

_STEPS: dict[str, Step] = {}


def on_removal(name: str, step: Step) -> None:
    """Register `step` under `name` (registering the same name again replaces it)."""
    _STEPS[name] = step


def steps() -> dict[str, Step]:
    return dict(_STEPS)


def remove(conn: Connection, removal: Removal) -> dict:
    """Run every registered step in the caller's transaction; return what they did, merged."""
    done: dict = {}
    for step in _STEPS.values():
        done.update(step(conn, removal))
    return done
