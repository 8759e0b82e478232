"""Backing up the portal's database and restoring a backup for a drill.

A backup is a `pg_dump` custom-format archive with a manifest beside it: when it was taken (the
database clock), its size and SHA-256, the server's version, and each table's row count and
checksum (an MD5 of its rows in a stable order). The counts and the dump come from one exported
snapshot, so they describe exactly what the archive holds. The archive is read back whole
(`pg_restore --list`) before the backup is recorded as verified in the `backups` table.

A restore goes only into a database that is empty and marked as a drill target
(`COMMENT ON DATABASE <name> IS 'portal:drill-target'`): a production database passes neither
by accident. After restoring, each table's count and checksum are compared with the manifest.
The restore reports how long it took (a monotonic clock) and when it began and ended (UTC), so
its duration can be checked against the span between them.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from . import tools

DRILL_MARK = "portal:drill-target"
MANIFEST_SUFFIX = ".manifest.json"


class BackupError(RuntimeError):
    """The backup or restore could not be done; the message says why (never a connection string)."""


class RestoreRefused(BackupError):
    """The target database is not one a restore may write into."""


@dataclass(frozen=True)
class Backup:
    archive: Path
    manifest_path: Path
    manifest: dict


@dataclass(frozen=True)
class Restored:
    seconds: float
    tables: dict[str, dict]
    differences: list[str]
    started_at: datetime
    ended_at: datetime


def _connect(url: str, **kwargs) -> psycopg.Connection:
    try:
        return psycopg.connect(url, row_factory=dict_row, connect_timeout=10, **kwargs)
    except psycopg.OperationalError:
        raise BackupError("cannot connect to the database (check the URL and that the server is up)") from None


def table_stats(conn: psycopg.Connection) -> dict[str, dict]:
    """Every table of the public schema: its row count and the MD5 of its rows in text order."""
    names = [r["tablename"] for r in conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()]
    stats = {}
    for name in names:
        row = conn.execute(sql.SQL(
            "SELECT count(*) AS rows, coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS checksum"
            " FROM public.{} t").format(sql.Identifier(name))).fetchone()
        stats[name] = {"rows": row["rows"], "checksum": row["checksum"]}
    return stats


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        # the tools' own messages name tables and options, not the password
        raise BackupError(f"{what} failed: {done.stderr.strip()[-800:]}")


def backup(database_url: str, directory: Path) -> Backup:
    """Dump the database into `directory`, write the manifest, read the archive back and record it."""
    directory.mkdir(parents=True, exist_ok=True)
    with _connect(database_url) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        major = tools.server_major(conn)
        pg_dump, pg_restore = tools.find("pg_dump", major), tools.find("pg_restore", major)
        snapshot = conn.execute("SELECT pg_export_snapshot() AS s, now() AS taken_at,"
                                " current_setting('server_version') AS version").fetchone()
        stats = table_stats(conn)
        stamp = snapshot["taken_at"].strftime("%Y%m%dT%H%M%S%fZ")
        archive = directory / f"portal-{stamp}.dump"
        _run([str(pg_dump), "--format=custom", f"--snapshot={snapshot['s']}", f"--file={archive}",
              f"--dbname={database_url}"], "pg_dump")
        conn.rollback()
    _run([str(pg_restore), "--list", str(archive)], "reading the archive back")
    manifest = {
        "taken_at": snapshot["taken_at"].isoformat(),
        "archive": archive.name,
        "size_bytes": archive.stat().st_size,
        "sha256": sha256_of(archive),
        "server_version": snapshot["version"],
        "tables": stats,
    }
    manifest_path = directory / (archive.stem + MANIFEST_SUFFIX)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    with _connect(database_url) as conn:
        conn.execute(
            "INSERT INTO backups (taken_at, file_name, size_bytes, sha256, manifest, verified_at)"
            " VALUES (%s, %s, %s, %s, %s, now())",
            (snapshot["taken_at"], archive.name, manifest["size_bytes"], manifest["sha256"],
             Jsonb({k: v for k, v in manifest.items() if k != "tables"} | {"tables": len(stats)})))
    return Backup(archive, manifest_path, manifest)


def manifest_of(archive: Path) -> dict:
    path = archive.with_name(archive.stem + MANIFEST_SUFFIX)
    if not path.is_file():
        raise BackupError(f"no manifest beside the archive (expected {path.name})")
    return json.loads(path.read_text(encoding="utf-8"))


def guard(conn: psycopg.Connection) -> None:
    """Refuse a database that is not marked as a drill target, or not empty."""
    mark = conn.execute("SELECT shobj_description(oid, 'pg_database') AS mark FROM pg_database"
                        " WHERE datname = current_database()").fetchone()["mark"]
    if mark != DRILL_MARK:
        raise RestoreRefused("the target database is not marked as a drill target "
                             f"(COMMENT ON DATABASE <name> IS '{DRILL_MARK}'); nothing was restored")
    tables = conn.execute("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'").fetchone()["n"]
    if tables:
        raise RestoreRefused(f"the target database is not empty ({tables} tables); nothing was restored")


def compare(expected: dict[str, dict], found: dict[str, dict]) -> list[str]:
    differences = [f"{name}: missing after the restore" for name in sorted(set(expected) - set(found))]
    differences += [f"{name}: not in the backup" for name in sorted(set(found) - set(expected))]
    for name in sorted(set(expected) & set(found)):
        if expected[name]["rows"] != found[name]["rows"]:
            differences.append(f"{name}: {expected[name]['rows']} rows in the backup, {found[name]['rows']} restored")
        elif expected[name]["checksum"] != found[name]["checksum"]:
            differences.append(f"{name}: the rows differ from the backup's")
    return differences


def restore(archive: Path, into_url: str) -> Restored:
    """Restore `archive` into an empty drill target, then compare every table with the manifest."""
    manifest = manifest_of(archive)
    if sha256_of(archive) != manifest["sha256"]:
        raise BackupError("the archive's SHA-256 does not match its manifest: it is damaged or not this backup")
    started_at, started = datetime.now(timezone.utc), time.monotonic()
    with _connect(into_url, autocommit=True) as conn:
        guard(conn)
        pg_restore = tools.find("pg_restore", tools.server_major(conn))
    _run([str(pg_restore), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={into_url}", str(archive)], "pg_restore")
    with _connect(into_url) as conn:
        found = table_stats(conn)
    seconds, ended_at = time.monotonic() - started, datetime.now(timezone.utc)
    return Restored(seconds, found, compare(manifest["tables"], found), started_at, ended_at)
