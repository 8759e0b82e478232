"""Command line: `python -m portal [serve|migrate|worker]` against DATABASE_URL;
`python -m portal backup --to DIR` and `python -m portal restore ARCHIVE --into DATABASE_URL`."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading

from portal import logs
from portal.config import ConfigError, Settings
from portal.db import MigrationError, migrate, open_pool
from portal.request_id import RequestIdLogFilter


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdLogFilter())
    handler.setFormatter(logs.formatter(os.environ.get("PORTAL_LOG_FORMAT", "text")))
    logging.basicConfig(level=os.environ.get("PORTAL_LOG_LEVEL", "INFO"), handlers=[handler])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal", description=__doc__)
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "migrate", "worker", "backup", "restore"])
    parser.add_argument("archive", nargs="?", help="restore: the archive a backup wrote (its manifest beside it)")
    parser.add_argument("--to", help="backup: the directory to write the archive and its manifest into")
    parser.add_argument("--into", help="restore: the URL of an empty database marked as a drill target")
    parser.add_argument("--host", default=os.environ.get("PORTAL_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORTAL_PORT", "8000")))
    parser.add_argument("--no-migrate", action="store_true", help="serve without applying pending migrations first")
    args = parser.parse_args(argv)
    configure_logging()
    if args.command == "restore":
        if not args.archive or not args.into:
            parser.error("restore needs ARCHIVE and --into DATABASE_URL")
        return run_restore(args.archive, args.into)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "migrate" or (args.command == "serve" and not args.no_migrate):
            applied = migrate(settings.database_url)
            print(f"migrations applied: {', '.join(applied) or 'none pending'}", file=sys.stderr)
            if args.command == "migrate":
                return 0
    except MigrationError as exc:
        print(f"migration error: {exc}", file=sys.stderr)
        return 1
    if args.command == "worker":
        return run_worker(settings)
    if args.command == "backup":
        if not args.to:
            parser.error("backup needs --to DIR")
        return run_backup(settings, args.to)
    import uvicorn

    from portal.app import create_app, server_options

    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        **server_options(settings),
    )
    return 0


def run_backup(settings: Settings, directory: str) -> int:
    """Prints the manifest's summary as one JSON line; exit 1 with the reason when it fails."""
    import json
    from pathlib import Path

    from portal.backups import service
    from portal.backups.tools import ToolNotFound

    try:
        made = service.backup(settings.database_url, Path(directory))
    except (service.BackupError, ToolNotFound) as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    summary = {k: v for k, v in made.manifest.items() if k != "tables"}
    print(json.dumps({**summary, "manifest": str(made.manifest_path), "tables": len(made.manifest["tables"])}))
    return 0


def run_restore(archive: str, into_url: str) -> int:
    """Prints the outcome as one JSON line: 0 restored and identical to the manifest, 3 restored
    but different, 2 refused (the target is not an empty drill target), 1 failed."""
    import json
    from pathlib import Path

    from portal.backups import service
    from portal.backups.tools import ToolNotFound

    try:
        restored = service.restore(Path(archive), into_url)
    except service.RestoreRefused as exc:
        print(f"restore refused: {exc}", file=sys.stderr)
        return 2
    except (service.BackupError, ToolNotFound, OSError) as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"seconds": round(restored.seconds, 3),
                      "started_at": restored.started_at.isoformat(timespec="milliseconds"),
                      "ended_at": restored.ended_at.isoformat(timespec="milliseconds"),
                      "tables": restored.tables, "differences": restored.differences}))
    return 3 if restored.differences else 0


def run_worker(settings: Settings) -> int:
    from portal.app import build_worker

    pool = open_pool(settings.database_url, settings.db_pool_min, settings.db_pool_max)
    worker = build_worker(settings, pool)
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    worker.start()
    stopping.wait()
    worker.stop()
    pool.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
