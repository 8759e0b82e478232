"""The background worker: wakes on NOTIFY (or every few seconds), drains due jobs and emails, and
runs the scheduled tasks that are due."""
from __future__ import annotations

import contextlib
import logging
import threading

import psycopg
from psycopg_pool import ConnectionPool

from portal.config import Settings
from portal.email import delivery
from portal.email.outbox import WAKE_CHANNEL
from portal.email.resend import ResendSender
from portal.tasks import service as scheduled_tasks

from . import queue

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, pool: ConnectionPool, database_url: str, handlers: dict[str, queue.JobHandler],
                 sender: ResendSender | None, poll_seconds: float = 5.0, scheduled_tasks: Settings | None = None):
        """`scheduled_tasks`: the settings the scheduled tasks run with, when this worker runs them."""
        self.pool = pool
        self.scheduled_tasks = scheduled_tasks
        self.database_url = database_url
        self.handlers = handlers
        self.sender = sender
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._busy = threading.Lock()  # held while a pass over the queues runs

    @contextlib.contextmanager
    def paused(self):
        """No pass over the queues starts (and none is under way) until the block ends.

        For maintenance that must not interleave with deliveries, such as emptying tables.
        """
        with self._busy:
            yield

    def run_once(self) -> int:
        done = queue.run_due(self.pool, self.handlers)
        if self.sender is not None:
            done += delivery.deliver_due(self.pool, self.sender)
        if self.scheduled_tasks is not None:
            done += scheduled_tasks.run_due(self.pool, self.scheduled_tasks)
        return done

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
                    while not self._stop.is_set():
                        with self._busy:
                            self.run_once()
                        for _ in listener.notifies(timeout=self.poll_seconds, stop_after=1):
                            pass
            except Exception:  # noqa: BLE001 - keep working through database restarts
                if self._stop.is_set():
                    return
                log.exception("worker loop failed; restarting in 1s")
                self._stop.wait(1.0)
