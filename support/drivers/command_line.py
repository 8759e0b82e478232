"""The portal's command line (`python -m portal migrate|serve|worker`), as the hosting platform runs
it: the settings in the environment, the outcome in the exit status and on standard error. Run in
this process (portal.__main__.main), with the environment replaced for the call, so that what it
executes is measured like the rest of the suite; `serve` is only run up to a refusal, never served."""
from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import sys
from dataclasses import dataclass
from typing import Iterator
from unittest import mock

from psycopg.conninfo import make_conninfo

from support.harness.database import mark_for


@dataclass
class Outcome:
    status: int
    stderr: str


def _would_serve(*args, **kwargs) -> None:
    print("the portal started serving", file=sys.stderr)


def run(command: list[str], environment: dict[str, str]) -> Outcome:
    """The command's outcome; a portal that would start serving returns at once instead (status 0),
    so a setting wrongly accepted fails its scenario rather than hanging the run."""
    from portal.__main__ import main

    err = io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level  # the command configures logging: the suite's stays
    try:
        with mock.patch.dict(os.environ, environment, clear=True), contextlib.redirect_stderr(err), \
                mock.patch("uvicorn.run", _would_serve):
            status = main(command)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return Outcome(status, err.getvalue())


def run_process(command: list[str], environment: dict[str, str]) -> Outcome:
    """`python -m portal COMMAND` in a process of its own, as the platform starts it (its logging is
    its own, not the suite's), with the suite's environment plus `environment`."""
    import subprocess
    from pathlib import Path

    done = subprocess.run([sys.executable, "-m", "portal", *command], cwd=Path(__file__).resolve().parents[2],
                          env={**os.environ, **environment}, capture_output=True, text=True, timeout=120)
    return Outcome(done.returncode, done.stderr)


LOG_LINE_SHAPES = {
    # what a person at a terminal reads: time, level, logger, [request id], message
    "plain text naming its level and logger": re.compile(r"^\S+ \S+ INFO portal\.db \[-\] applied migration \d+"),
    # what a log search reads
    "one JSON object": re.compile(r'^\{"time": .*"level": "INFO", "logger": "portal\.db".*"message": "applied migration \d+'),
}


@contextlib.contextmanager
def empty_database(world) -> Iterator[str]:
    """A new, empty database on the run's server (marked as the suite's own), dropped afterwards;
    made ahead and dropped behind (support/harness/spare_databases.py). Only in local mode."""
    name = world.run.spares.take(mark_for(world.suffix))
    try:
        yield make_conninfo(world.run.database.url, dbname=name)
    finally:
        world.run.spares.give_back(name)


def bundled_migrations() -> list[str]:
    from portal.db import bundled_migrations as bundled

    return [m.version for m in bundled()]


# settings an operator may give, right or wrong (the rest of the environment is usable)
SETTINGS = {
    "a body limit of 1024 bytes": {"PORTAL_MAX_BODY_BYTES": "1024"},
    "a body limit of 1023 bytes": {"PORTAL_MAX_BODY_BYTES": "1023"},
    "a secret key of 32 characters": {"PORTAL_SECRET_KEY": "0123456789abcdef0123456789abcdef"},
    "a secret key of 31 characters": {"PORTAL_SECRET_KEY": "0123456789abcdef0123456789abcde"},
    "a pool of at least 2 and at most 2 connections": {"PORTAL_DB_POOL_MIN": "2", "PORTAL_DB_POOL_MAX": "2"},
    "password hashing with 4 lanes in 32 kibibytes": {"PORTAL_PASSWORD_HASH_PARALLELISM": "4",
                                                      "PORTAL_PASSWORD_HASH_MEMORY_KIB": "32"},
    "a Mux upload timeout of 60 seconds": {"PORTAL_MUX_UPLOAD_TIMEOUT_SECONDS": "60"},
    "a heartbeat of 11 seconds, polling every 10": {"PORTAL_WORKER_POLL_SECONDS": "10",
                                                    "PORTAL_WORKER_HEARTBEAT_SECONDS": "11"},
    "no DATABASE_URL": {"DATABASE_URL": ""},
    "a body limit of a lot": {"PORTAL_MAX_BODY_BYTES": "a lot"},
    "a pool of at least 5 and at most 2 connections": {"PORTAL_DB_POOL_MIN": "5", "PORTAL_DB_POOL_MAX": "2"},
    'the time zone "Mars/Olympus"': {"PORTAL_TIME_ZONE": "Mars/Olympus"},
    'a webhook secret without "whsec_"': {"RESEND_WEBHOOK_SECRET": "c2VjcmV0"},
    'the worker switch "maybe"': {"PORTAL_WORKER": "maybe"},
    "a readiness timeout of 0 seconds": {"PORTAL_READINESS_TIMEOUT_SECONDS": "0"},
    "password hashing with 4 lanes in 31 kibibytes": {"PORTAL_PASSWORD_HASH_PARALLELISM": "4",
                                                      "PORTAL_PASSWORD_HASH_MEMORY_KIB": "31"},
    "a Mux upload timeout of 59 seconds": {"PORTAL_MUX_UPLOAD_TIMEOUT_SECONDS": "59"},
    "a heartbeat of 10 seconds, polling every 10": {"PORTAL_WORKER_POLL_SECONDS": "10",
                                                    "PORTAL_WORKER_HEARTBEAT_SECONDS": "10"},
}
