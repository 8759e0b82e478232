"""Backups and the restore drill, as an operator runs them: the portal's own command line
(`python -m portal backup|restore`) against the run's database, a throwaway drill database on the
same server, and a second portal started on the restored copy."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import psycopg
from psycopg.conninfo import make_conninfo
from psycopg.rows import dict_row

from portal.backups import tools
from support.evidence import attachments

DRILL_MARK = "portal:drill-target"
RECOVERY_TIME_OBJECTIVE_S = 5 * 60
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Command:
    code: int
    out: str
    err: str
    began: datetime  # the suite's own clock (UTC), just before the command started
    ended: datetime  # and just after it exited

    def json(self) -> dict:
        return json.loads(self.out.strip().splitlines()[-1])


def portal_command(world, *args: str, database_url: str | None = None, path: str | None = None,
                   pg_bin: str | None = None) -> Command:
    """`python -m portal ARGS` with the run's environment; `path`: the PATH it runs with instead;
    `pg_bin`: the PORTAL_PG_BIN an operator set (otherwise none)."""
    env = {**os.environ, "DATABASE_URL": database_url or world.run.database.url, "PORTAL_LOG_LEVEL": "WARNING"}
    if path is not None:
        env["PATH"] = path
    if pg_bin is not None:
        env["PORTAL_PG_BIN"] = pg_bin
    began = datetime.now(timezone.utc)
    done = subprocess.run([sys.executable, "-m", "portal", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    command = Command(done.returncode, done.stdout, done.stderr, began, datetime.now(timezone.utc))
    attachments.attach_json(world, f"python -m portal {args[0]}", {"exit": command.code, "stdout": command.out[-4000:],
                                                                  "stderr": command.err[-4000:]})
    return command


def backed_up(world, directory: Path, path: str | None = None, pg_bin: str | None = None) -> Path:
    """Back the run's database up into `directory` (with `path` as its PATH, `pg_bin` as its
    PORTAL_PG_BIN); the archive's path."""
    done = portal_command(world, "backup", "--to", str(directory), path=path, pg_bin=pg_bin)
    if done.code != 0:
        raise AssertionError(f"the backup failed ({done.code}): {done.err.strip()[-500:]}")
    return directory / done.json()["archive"]


def backup_with_pg_bin(world, directory: Path, pg_bin: str) -> Command:
    """The backup command as an operator runs it with PORTAL_PG_BIN set to `pg_bin`."""
    return portal_command(world, "backup", "--to", str(directory), pg_bin=pg_bin)


def server_major(world) -> int:
    return tools.server_major(world.db)


def tools_folder_used(world, folder: Path) -> Path:
    """Fill `folder` with a pg_dump and a pg_restore that each note the arguments they were run with
    (in `folder`/used.log) and then run the server's own tool of that name, found where PostgreSQL
    installs them (the portal's own search with no PORTAL_PG_BIN): a folder of PostgreSQL's tools
    of the server's version whose use can be seen."""
    import stat

    major = server_major(world)
    for tool in ("pg_dump", "pg_restore"):
        real = tools.find(tool, major, env={})
        wrapper = folder / tool
        wrapper.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{folder}/used.log"\nexec "{real}" "$@"\n')
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return folder


def tools_used(folder: Path) -> list[str]:
    """The tool names a tools folder from `tools_folder_used` was run as, other than to say its version."""
    log = folder / "used.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.is_file() else []
    return [line.split()[0] for line in lines if "--version" not in line]


def drill_database(world, marked: bool = True):
    """A new database on the run's server (a behave fixture's body): (name, URL); made ahead
    (support/harness/spare_databases.py), given back to it when the scenario ends. Only in local mode."""
    name = world.run.spares.take(DRILL_MARK if marked else None)
    return name, make_conninfo(world.run.database.url, dbname=name)


def drop_database(world, name: str) -> None:
    world.db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_exists(world, name: str) -> bool:
    return world.db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def restore(world, archive: Path, into_url: str) -> Command:
    return portal_command(world, "restore", str(archive), "--into", into_url)


def manifest(archive: Path) -> dict:
    return json.loads(archive.with_name(archive.stem + ".manifest.json").read_text(encoding="utf-8"))


def counted(url: str) -> dict[str, dict]:
    """Each table's rows and checksum (MD5 of its rows in text order) at `url`, counted by the
    suite itself, as the manifest describes them."""
    from psycopg import sql

    with psycopg.connect(url, row_factory=dict_row) as conn:
        names = [r["tablename"] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()]
        with conn.pipeline():  # a statement per table, all in one round trip
            counts = {name: conn.execute(sql.SQL(
                "SELECT count(*) AS rows, coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS checksum"
                " FROM public.{} t").format(sql.Identifier(name))) for name in names}
        return {name: dict(cursor.fetchone()) for name, cursor in counts.items()}


def session_on(url: str, user_id: int) -> str:
    from support.data import factories

    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        return factories.create_session(conn, user_id)


def record_other_checksum(archive: Path, which: str) -> None:
    """The manifest beside the archive records another SHA-256 than the archive's: the lowest or the
    highest there is, so that it sorts before or after the archive's whichever that is."""
    path = archive.with_name(archive.stem + ".manifest.json")
    written = json.loads(path.read_text(encoding="utf-8"))
    written["sha256"] = {"lower than": "0" * 64, "higher than": "f" * 64}[which]
    path.write_text(json.dumps(written, indent=2) + "\n", encoding="utf-8")


def leave_sequence_in(url: str, name: str) -> None:
    """A sequence (not a table: the database still counts as empty) named like one of the portal's tables."""
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SEQUENCE {}").format(sql.Identifier(name)))


def leave_something_in(url: str) -> None:
    """Someone's data in a database marked for the drill: a restore must not touch it."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE keepsake (note text)")
        conn.execute("INSERT INTO keepsake VALUES ('not a backup')")
