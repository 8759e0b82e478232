"""The background worker: wakes on NOTIFY (or every few seconds) and makes a pass over each kind
of due work it was given (jobs, emails, scheduled tasks). What those passes are is decided where
the application is composed (`portal.app.build_worker`), so this package knows no domain."""
from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from typing import Callable, Mapping

import psycopg
from psycopg_pool import ConnectionPool

from .queue import WAKE_CHANNEL

log = logging.getLogger(__name__)


Pass = Callable[[ConnectionPool], int]  # does what is due; returns how many things it did


class Worker:
    def __init__(self, pool: ConnectionPool, database_url: str, passes: Mapping[str, Pass], poll_seconds: float = 5.0):
        self.pool = pool
        self.database_url = database_url
        self.passes = dict(passes)
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._busy = threading.Lock()  # held while a pass over the queues runs
        self._passed = threading.Condition()
        self.completed_passes = 0  # passes over the queues the loop has completed since it started
        self.name = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"

    @contextlib.contextmanager
    def paused(self):
        """No pass over the queues starts (and none is under way) until the block ends.

        For maintenance that must not interleave with deliveries, such as emptying tables.
        """
        with self._busy:
            yield

    def beat(self, conn) -> None:
        """Tell readiness this worker is alive: after every pass, so at least every poll interval."""
        conn.execute("INSERT INTO worker_heartbeats (worker) VALUES (%s)"
                     " ON CONFLICT (worker) DO UPDATE SET beat_at = now()", (self.name,))

    def run_once(self) -> int:
        return sum(run(self.pool) for run in self.passes.values())

    def wait_for_passes(self, count: int, timeout: float) -> bool:
        """Wait (bounded) until the loop has completed `count` passes; False on timeout."""
        with self._passed:
            return self._passed.wait_for(lambda: self.completed_passes >= count, timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="portal-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        try:  # wake the listener so it notices at once
            with psycopg.connect(self.database_url, autocommit=True) as conn:
                conn.execute(f"NOTIFY {WAKE_CHANNEL}")
        except psycopg.Error:
            pass
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.database_url, autocommit=True, application_name="portal-worker") as listener:
                    listener.execute(f"LISTEN {WAKE_CHANNEL}")
                    # this connection writes only the heartbeat, after every pass: a beat lost in a
                    # database crash is replaced by the next one, so none waits for the disk
                    listener.execute("SET synchronous_commit TO off")
                    while not self._stop.is_set():
                        with self._busy:
                            try:
                                self.run_once()
                                self.beat(listener)
                            finally:  # counted while still busy: who waits for the lock sees it
                                with self._passed:
                                    self.completed_passes += 1
                                    self._passed.notify_all()
                        for _ in listener.notifies(timeout=self.poll_seconds, stop_after=1):
                            pass
            except Exception:  # noqa: BLE001 - keep working through database restarts
                if self._stop.is_set():
                    return
                log.exception("worker loop failed; restarting in 1s")
                self._stop.wait(1.0)
