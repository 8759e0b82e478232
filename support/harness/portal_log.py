"""What the in-process portal logs, captured per scenario so that steps can read it."""
from __future__ import annotations

import logging
import threading
import time

from portal.request_id import RequestIdLogFilter


class CapturedLog(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO)
        self.addFilter(RequestIdLogFilter())
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s [%(request_id)s] %(message)s"))
        self._lines: list[tuple[str, str]] = []
        self._guard = threading.Lock()
        # every request the portal handled in this run: (method route, milliseconds inside the portal,
        # whether a @concurrency scenario's deliberate crowd sent it)
        self.latencies: list[tuple[str, float, bool]] = []
        self.crowded = False  # set by the harness for the scenario under way
        # and when (perf_counter seconds, shared with the harness: same process), to measure overlap
        self.intervals: list[tuple[float, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = self.format(record)
        with self._guard:
            self._lines.append((getattr(record, "request_id", "-"), line))
            elapsed = getattr(record, "elapsed_ms", None)
            if elapsed is not None and getattr(record, "route", None):
                self.latencies.append((f"{record.args[0]} {record.route}", elapsed, self.crowded))
            if elapsed is not None and getattr(record, "started", None) is not None:
                self.intervals.append((record.started, record.started + elapsed / 1000))

    def lines_for(self, request_id: str) -> list[str]:
        with self._guard:
            return [line for rid, line in self._lines if rid == request_id]

    def all_lines(self) -> list[str]:
        """Every line since the scenario began (the log is cleared before each)."""
        with self._guard:
            return [line for _, line in self._lines]

    def request_lines(self, request_id: str, timeout: float = 5.0) -> list[str]:
        """The request's lines, once its access line is in. The portal writes that line after the
        answer has left, so a client can hold the answer before the line exists: wait for it
        (bounded), as for any other asynchronous work."""
        deadline = time.monotonic() + timeout
        while True:
            lines = self.lines_for(request_id)
            if any(" portal.access " in line for line in lines) or time.monotonic() > deadline:
                return lines
            time.sleep(0.005)  # polling interval of a bounded wait

    def clear(self) -> None:
        with self._guard:
            self._lines.clear()


def capture_portal_log() -> CapturedLog:
    handler = CapturedLog()
    logger = logging.getLogger("portal")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    return handler


def release(handler: CapturedLog) -> None:
    logging.getLogger("portal").removeHandler(handler)
