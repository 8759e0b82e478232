"""A project's recovery point: its objective (how many hours of work it may lose at most) and
whether the newest backup of the portal's data is recent enough to meet it.

Backups cover the whole database, so every project shares the same newest verified backup
(portal/backups: `python -m portal backup`); until there is one, every project shows "no backup
recorded".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from psycopg import Connection

from portal.backups import records

DEFAULT_OBJECTIVE_HOURS = 24
MAX_OBJECTIVE_HOURS = 24 * 365

COVERED = "covered"
AT_RISK = "at_risk"
NO_BACKUP = "no_backup_recorded"


@dataclass(frozen=True)
class Backup:
    taken_at: datetime
    age_hours: float


@dataclass(frozen=True)
class RecoveryPoint:
    objective_hours: int
    status: str  # covered | at_risk | no_backup_recorded
    last_backup_at: datetime | None


def newest_backup(conn: Connection) -> Backup | None:
    """The newest verified backup of the portal's data and its age on the database clock.

    None: no backup is recorded."""
    newest = records.newest_verified(conn)
    return Backup(newest.taken_at, newest.age_hours) if newest else None


def coverage(objective_hours: int, backup: Backup | None) -> RecoveryPoint:
    """Covered when the newest backup is no older than the objective; at risk when it is."""
    if backup is None:
        return RecoveryPoint(objective_hours, NO_BACKUP, None)
    status = COVERED if backup.age_hours <= objective_hours else AT_RISK
    return RecoveryPoint(objective_hours, status, backup.taken_at)
