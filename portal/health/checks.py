"""The readiness registry: every dependency the portal needs, one `Check` each.

A check has a name, whether it is critical, and a probe: a function of the connection pool and
the settings that answers "up" or another word for what is wrong ("down", "not_configured",
"unreachable", ...). `/readyz` runs every check of the registry at once and reports them in its
order: a critical check that is not up makes the portal unavailable (503); any other check that is
not up makes it degraded (200).

Checks are registered where the application is composed (portal/app.py, `_wire_domains`), so
this package imports no domain: a new dependency is one `register(Check(...))` line there.
"""
from __future__ import annotations

import contextvars
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from psycopg_pool import ConnectionPool

from portal.clock import SYSTEM, Clock
from portal.config import Settings

log = logging.getLogger(__name__)

UP = "up"
DOWN = "down"
UNKNOWN = "unknown"  # the probe itself failed, so the dependency's state is not known

Probe = Callable[[ConnectionPool, Settings], str]


@dataclass(frozen=True)
class Check:
    name: str
    critical: bool
    probe: Probe
    description: str = ""


@dataclass(frozen=True)
class Result:
    name: str
    critical: bool
    status: str
    checked_at: datetime

    @property
    def up(self) -> bool:
        return self.status == UP


REGISTRY: dict[str, Check] = {}


def register(check: Check) -> None:
    existing = REGISTRY.get(check.name)
    if existing is not None and existing != check:
        raise ValueError(f"a different readiness check named {check.name!r} is already registered")
    REGISTRY[check.name] = check


def run(check: Check, pool: ConnectionPool, settings: Settings) -> Result:
    try:
        status = check.probe(pool, settings)
    except Exception:  # noqa: BLE001 - a failing probe is a state to report; details stay in the log
        log.warning("readiness check %s failed", check.name, exc_info=True)
        status = DOWN if check.critical else UNKNOWN
    return Result(check.name, check.critical, status, datetime.now(timezone.utc))


def run_all(pool: ConnectionPool, settings: Settings) -> list[Result]:
    """Every check of the registry, in its order, all at the same time. One after the other, a
    database that does not answer kept each check that needs it waiting for the readiness timeout
    in turn: five times `PORTAL_READINESS_TIMEOUT_SECONDS` (10 s at the default), longer than a
    platform waits for a probe. Each check runs in a copy of the request's context (its id on any
    log line)."""
    checks = list(REGISTRY.values())
    with ThreadPoolExecutor(max_workers=len(checks) or 1, thread_name_prefix="portal-readiness") as checking:
        running = [checking.submit(contextvars.copy_context().run, run, check, pool, settings) for check in checks]
        return [result.result() for result in running]


def overall(results: list[Result]) -> tuple[str, int]:
    """`unavailable` (503) when a critical check is not up, else `degraded` when any is not, else `ok`."""
    if any(r.critical and not r.up for r in results):
        return "unavailable", 503
    if any(not r.up for r in results):
        return "degraded", 200
    return "ok", 200


def database(pool: ConnectionPool, settings: Settings) -> str:
    with pool.connection(timeout=settings.readiness_timeout_seconds) as conn:
        conn.execute("SELECT 1")
    return UP


class Cache:
    """Readiness answers from a cache of a few seconds: however many probes arrive at once, each
    dependency is checked at most once per `seconds` (the lock makes concurrent probes wait for
    the one check under way instead of starting their own)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._results: list[Result] | None = None
        self._at = 0.0

    def results(self, pool: ConnectionPool, settings: Settings, clock: Clock = SYSTEM) -> list[Result]:
        with self._lock:
            if self._results is None or clock.monotonic() - self._at >= self.seconds:
                self._results = run_all(pool, settings)
                self._at = clock.monotonic()
            return self._results
