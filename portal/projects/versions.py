"""Optimistic concurrency for milestones and tasks: every change names the version it read.

A change is one conditional UPDATE (`... WHERE id = %s AND version = %s`): of two people who read
the same version, the first to write wins and the second finds the version moved on, whatever the
timing. Nothing is locked between a read and the change.
"""
from __future__ import annotations


class StaleVersion(Exception):
    """The change named a version that is no longer the current one."""

    def __init__(self, what: str, current: int):
        super().__init__(f"the {what} is at version {current}")
        self.what = what
        self.current = current


def stale_or_gone(what: str, current) -> None:
    """After a change found no row at the version it named: the version moved on (StaleVersion,
    with `current`'s version), or the record was deleted meanwhile (None: not found)."""
    if current is not None:
        raise StaleVersion(what, current.version)
    return None
