"""Making several things happen at the same moment, for the scenarios that race requests."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier


def all_at_once(calls: list) -> list:
    """Run every call on a thread of its own, released together by a barrier; results in order."""
    start = Barrier(len(calls))

    def run(call):
        start.wait(timeout=30)  # every caller ready, then all go at once
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
