"""This process's own clock, read in one place.

The portal decides by the database's clock (`now()` in SQL) wherever a rule meets stored time. The
few rules that meet the process's own time read it from the application's clock, `app.state.clock`:
the age of a Mux signature (portal/video/webhook_router.py) and how long a readiness answer is
reused (portal/health/checks.py). One place to read it is one place to hold it still, which is how
the acceptance suite puts a request exactly on either side of those rules' limits.
"""
from __future__ import annotations

import time


class Clock:
    """The system's clocks: `time()` in seconds since the epoch, `monotonic()` for intervals."""

    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


SYSTEM = Clock()
