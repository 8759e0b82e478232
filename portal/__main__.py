"""Command line: `python -m portal [serve|migrate|worker]` against DATABASE_URL."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading

from portal.config import ConfigError, Settings
from portal.db import MigrationError, migrate, open_pool
from portal.request_id import RequestIdLogFilter


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdLogFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    logging.basicConfig(level=os.environ.get("PORTAL_LOG_LEVEL", "INFO"), handlers=[handler])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal", description=__doc__)
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "migrate", "worker"])
    parser.add_argument("--host", default=os.environ.get("PORTAL_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORTAL_PORT", "8000")))
    parser.add_argument("--no-migrate", action="store_true", help="serve without applying pending migrations first")
    args = parser.parse_args(argv)
    configure_logging()
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
    import uvicorn

    from portal.app import create_app, server_options

    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        **server_options(settings),
    )
    return 0


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
