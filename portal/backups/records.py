"""What the portal knows of its backups: the newest verified one and how old it is on the
database clock, and how readiness judges that age (the recovery point)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from psycopg import Connection

AT_RISK_HOURS = 30   # older than this: "at risk" (a daily backup has been missed)
WARNING_HOURS = 36   # readiness: a warning
CRITICAL_HOURS = 60  # readiness: critical (two daily backups missed)


@dataclass(frozen=True)
class Newest:
    taken_at: datetime
    age_hours: float


def newest_verified(conn: Connection) -> Newest | None:
    row = conn.execute(
        "SELECT taken_at, extract(epoch FROM now() - taken_at)::float8 / 3600 AS age_hours"
        " FROM backups WHERE verified_at IS NOT NULL ORDER BY taken_at DESC LIMIT 1").fetchone()
    return Newest(row["taken_at"], row["age_hours"]) if row else None


def age_state(newest: Newest | None) -> str:
    """`up`, `at_risk` (over 30 hours), `warning` (over 36), `critical` (over 60), or `none_recorded`."""
    if newest is None:
        return "none_recorded"
    if newest.age_hours > CRITICAL_HOURS:
        return "critical"
    if newest.age_hours > WARNING_HOURS:
        return "warning"
    if newest.age_hours > AT_RISK_HOURS:
        return "at_risk"
    return "up"


def readiness(pool, settings) -> str:
    with pool.connection(timeout=settings.readiness_timeout_seconds) as conn:
        return age_state(newest_verified(conn))
