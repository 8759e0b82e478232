"""Where the suite's PostgreSQL comes from, and the guard that keeps it off other people's data.

Precedence (DESIGN.md): a DATABASE_URL server, else a reachable Docker engine (testcontainers),
else an embedded PostgreSQL from PyPI (pgserver) in a temporary directory. In every local mode
the suite creates its own throwaway database, marks it as its own, and drops it at the end. It
resets or migrates only a database that carries its mark; live mode's database never does.
"""
from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import secrets
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Callable, Iterator

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from support.harness.config import SuiteConfig

log = logging.getLogger(__name__)

MARK_PREFIX = "portal-spec throwaway database, run "
DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock"  # where docker.from_env looks without DOCKER_HOST
EMBEDDED_CLUSTER_ROOM = 1 << 30  # free memory /dev/shm must have for an embedded cluster (1 GiB)
# the background worker's heartbeat is the running process's state, not a scenario's data
KEPT_TABLES = ("schema_migrations", "worker_heartbeats")


class Mode(str, Enum):
    SERVER = "server"
    DOCKER = "docker"
    EMBEDDED = "embedded"
    LIVE = "live"

    @property
    def description(self) -> str:
        return {
            "server": "PostgreSQL server from DATABASE_URL (throwaway database)",
            "docker": "PostgreSQL in a Docker container (testcontainers)",
            "embedded": "embedded PostgreSQL (pgserver) in a temporary directory",
            "live": "the live portal's own database (never reset or migrated by the suite)",
        }[self.value]


class RefusedToTouch(RuntimeError):
    """The suite was about to reset or migrate a database it did not create."""


@dataclass(frozen=True)
class Database:
    url: str
    mode: Mode
    run_id: str | None  # None: not ours
    server_version: str = "unknown"
    origin: str | None = None  # who started the server, when the mode alone does not say

    @property
    def description(self) -> str:
        return f"{self.mode.description}, on {self.origin}" if self.origin else self.mode.description

    @property
    def owned(self) -> bool:
        return self.run_id is not None

    @property
    def name(self) -> str:
        return conninfo_to_dict(self.url).get("dbname", "?")


def docker_available() -> bool:
    """A cheap probe: is there a Docker engine that answers? Where docker.from_env would look
    (DOCKER_HOST, else the default socket) holds nothing, there is none, and the Docker SDK is not
    imported at all (about 0.2 s of CPU, spent while the main thread imports the steps)."""
    if not os.environ.get("DOCKER_HOST") and not os.path.exists(DEFAULT_DOCKER_SOCKET):
        return False
    try:
        import docker

        client = docker.from_env(timeout=3)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # noqa: BLE001 - any failure means no usable engine
        return False


def choose_mode(config: SuiteConfig, docker_probe: Callable[[], bool] = docker_available) -> Mode:
    if config.live:
        return Mode.LIVE
    if config.forced_db_mode:
        return Mode(config.forced_db_mode)
    if config.database_url:
        return Mode.SERVER
    if docker_probe():
        return Mode.DOCKER
    return Mode.EMBEDDED


def mark_for(run_id: str) -> str:
    return f"{MARK_PREFIX}{run_id}"


def assert_owned(conn: psycopg.Connection | None, database: Database) -> None:
    """Raise RefusedToTouch unless the connected database carries this run's mark (a database
    the suite did not create is refused without looking at it)."""
    if not database.owned:
        raise RefusedToTouch(
            f"refusing to reset or migrate database {database.name!r}: the suite did not create it "
            f"({database.mode.description}). Scenarios there must rely on their own unique data."
        )
    row = conn.execute(
        "SELECT current_database(), shobj_description(oid, 'pg_database') FROM pg_database"
        " WHERE datname = current_database()"
    ).fetchone()
    name, comment = row[0], row[1]
    if comment != mark_for(database.run_id):
        raise RefusedToTouch(
            f"refusing to reset or migrate database {name!r}: it does not carry this run's mark "
            f"(expected comment {mark_for(database.run_id)!r}, found {comment!r})"
        )


def _server_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


@contextlib.contextmanager
def throwaway_database(admin_url: str, mode: Mode, keep: bool = False) -> Iterator[Database]:
    """Create a uniquely named database on the server behind `admin_url`, marked as ours; drop it after."""
    run_id = secrets.token_hex(6)
    name = f"portal_spec_{run_id}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(mark_for(run_id))))
    url = make_conninfo(admin_url, dbname=name)
    try:
        yield Database(url=url, mode=mode, run_id=run_id, server_version=_server_version(url))
    finally:
        if keep:
            log.warning("keeping throwaway database %s (PORTAL_SPEC_KEEP_DB)", name)
        else:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def memory_backed_temp_dir(needed_bytes: int = EMBEDDED_CLUSTER_ROOM) -> str | None:
    """/dev/shm when it is a writable memory-backed folder with room to spare, else None (the
    usual temporary folder). A throwaway cluster needs no disk: initdb alone writes some 1,000
    files (38 MB), which took 2.5 s on the CI machine's disk and 0.8 s in memory, and creating and
    migrating the run's database is faster there too. A container's /dev/shm is often 64 MB,
    too small for a run's database: it is then not used."""
    folder = "/dev/shm"
    try:
        if os.path.isdir(folder) and os.access(folder, os.W_OK | os.X_OK) \
                and shutil.disk_usage(folder).free >= needed_bytes:
            return folder
    except OSError:
        pass
    return None


@contextlib.contextmanager
def embedded_server() -> Iterator[str]:
    """Start pgserver's PostgreSQL in a new temporary directory; yield an admin URL; remove it all after."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on CI machines
        import pgserver

        parent = tempfile.mkdtemp(prefix="portal-spec-pg-", dir=memory_backed_temp_dir())
        server = pgserver.get_server(f"{parent}/data", cleanup_mode="delete")
    try:
        url = server.get_uri()
        with psycopg.connect(url, autocommit=True) as conn:
            # a throwaway cluster: durability buys nothing here and costs a lot of time
            for setting in ("fsync", "synchronous_commit", "full_page_writes"):
                conn.execute(sql.SQL("ALTER SYSTEM SET {} = off").format(sql.Identifier(setting)))
            conn.execute("SELECT pg_reload_conf()")
        yield url
    finally:
        server.cleanup()
        shutil.rmtree(parent, ignore_errors=True)


@contextlib.contextmanager
def docker_server() -> Iterator[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:16-alpine", driver=None) as container:
        yield container.get_connection_url()


@contextlib.contextmanager
def provision(config: SuiteConfig, mode: Mode) -> Iterator[Database]:
    if mode is Mode.LIVE:
        url = config.live_database_url
        yield Database(url=url, mode=mode, run_id=None, server_version=_server_version(url))
        return
    if mode is Mode.SERVER:
        with throwaway_database(config.database_url, mode, config.keep_database) as db:
            yield dataclasses.replace(db, origin=config.database_origin)
        return
    server = docker_server() if mode is Mode.DOCKER else embedded_server()
    with server as admin_url, throwaway_database(admin_url, mode) as db:
        yield db


def migrate(database: Database) -> list[str]:
    from portal.db import migrate as apply_migrations

    with psycopg.connect(database.url) as conn:
        assert_owned(conn, database)
    return apply_migrations(database.url)


def deletion_order(tables: list[str], references: list[tuple[str, str]]) -> list[str]:
    """Tables ordered so that every table comes before the tables it references."""
    remaining = set(tables)
    order: list[str] = []
    while remaining:
        # a table can go once no remaining table still references it
        ready = sorted(t for t in remaining
                       if not any(parent == t and child in remaining and child != t for child, parent in references))
        if not ready:
            raise RuntimeError(f"circular foreign keys between {sorted(remaining)}: cannot order the reset")
        order.extend(ready)
        remaining -= set(ready)
    return order


class Resetter:
    """Empties every table but the migration ledger between scenarios, on one kept connection.

    Measured on this schema (bench/, README): DELETE in foreign-key order costs about 0.3 ms,
    TRUNCATE about 30 ms, because TRUNCATE creates new files for every table. The DELETEs are
    built once, after migrating, into a function of the connection's own (in its temporary schema:
    no other session sees it, and it goes with the connection), so a reset is one round trip and
    PostgreSQL plans each DELETE once per run instead of once per scenario (a reset of 27 tables
    took 0.8-1.0 ms as a message of 27 statements, 0.45 ms as the function).
    """

    def __init__(self, database: Database):
        self.database = database
        if not database.owned:
            assert_owned(None, database)  # refuses before even connecting
        self.conn = psycopg.connect(database.url, autocommit=True, options="-c synchronous_commit=off")
        try:
            assert_owned(self.conn, database)
        except RefusedToTouch:
            self.conn.close()
            raise
        tables = [r[0] for r in self.conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND NOT (tablename = ANY(%s))",
            (list(KEPT_TABLES),),
        ).fetchall()]
        references = [tuple(r) for r in self.conn.execute(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint"
            " WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
        ).fetchall()]
        self.tables = deletion_order(tables, references)
        # the database's clock read last: each scenario's World needs it, and reading it on its own
        # was one more round trip per scenario
        body = sql.SQL(" ").join(
            [sql.SQL("DELETE FROM {};").format(sql.Identifier(t)) for t in self.tables]
            + [sql.SQL("RETURN clock_timestamp();")]).as_string(self.conn)
        self.conn.execute(sql.SQL("CREATE FUNCTION pg_temp.portal_spec_reset() RETURNS timestamptz LANGUAGE plpgsql"
                                  " AS {}").format(sql.Literal(f"BEGIN {body} END")))

    def reset(self) -> datetime:
        """Empty the tables (all or none: the function runs in one transaction); return the
        database's clock once they are empty."""
        return self.conn.execute("SELECT pg_temp.portal_spec_reset()").fetchone()[0]

    def close(self) -> None:
        self.conn.close()
