"""PostgreSQL access: the connection pool and the versioned migrations.

Every time-based decision in the portal reads the database clock (`now()`), never the
process clock, so that the portal, its workers and anyone inspecting the data agree on time.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from importlib import resources

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

log = logging.getLogger(__name__)

# one key for every process that migrates the same database
_MIGRATION_LOCK_KEY = 0x706F7274616C  # "portal"


def open_pool(database_url: str, min_size: int = 1, max_size: int = 10) -> ConnectionPool:
    pool = ConnectionPool(
        database_url,
        min_size=min_size,
        max_size=max_size,
        kwargs={"row_factory": dict_row, "application_name": "portal"},
        open=False,
        name="portal",
    )
    pool.open(wait=False)
    return pool


@dataclass(frozen=True)
class Migration:
    version: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def bundled_migrations() -> list[Migration]:
    folder = resources.files("portal") / "migrations"
    files = sorted(f for f in folder.iterdir() if f.name.endswith(".sql"))
    return [Migration(f.name.removesuffix(".sql"), f.read_text(encoding="utf-8")) for f in files]


class MigrationError(RuntimeError):
    pass


def migrate(database_url: str) -> list[str]:
    """Apply the migrations this database has not seen yet; return the versions applied.

    Safe to run from several processes at once (an advisory lock serialises them) and refuses
    to continue when an applied migration's file has since been edited.
    """
    applied_now: list[str] = []
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK_KEY,))
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version text PRIMARY KEY, checksum text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
            applied = dict(conn.execute("SELECT version, checksum FROM schema_migrations").fetchall())
            for migration in bundled_migrations():
                known = applied.get(migration.version)
                if known is not None:
                    if known != migration.checksum:
                        raise MigrationError(
                            f"migration {migration.version} was edited after it was applied; "
                            "add a new migration instead"
                        )
                    continue
                with conn.transaction():
                    conn.execute(migration.sql)
                    conn.execute(
                        "INSERT INTO schema_migrations (version, checksum) VALUES (%s, %s)",
                        (migration.version, migration.checksum),
                    )
                applied_now.append(migration.version)
                log.info("applied migration %s", migration.version)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK_KEY,))
    return applied_now


class DatabaseBusy(RuntimeError):
    """A change kept running into deadlocks (or serialization failures) and was given up on;
    nothing of it was applied."""


# errors after which PostgreSQL has rolled the transaction back whole and a new try may succeed
RETRYABLE = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)
CHANGE_ATTEMPTS = 3


def with_retries(attempt, attempts: int = CHANGE_ATTEMPTS):
    """Run `attempt()` (which opens and commits its own transaction) until it gets through a
    deadlock, at most `attempts` times; then raise DatabaseBusy. Each failed try was rolled back
    by PostgreSQL, so nothing is ever half-applied."""
    for tries in range(1, attempts + 1):
        try:
            return attempt()
        except RETRYABLE:
            log.warning("deadlock or serialization failure, try %s of %s", tries, attempts)
    raise DatabaseBusy(f"gave up after {attempts} deadlocks")
