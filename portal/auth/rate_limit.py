"""Sliding-window rate limits kept in the database, so every portal process shares them."""
from __future__ import annotations

import math
from dataclasses import dataclass

from psycopg import Connection


@dataclass(frozen=True)
class Limit:
    bucket: str
    max_hits: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after_seconds: int = 0


def decide(ages_seconds: list[float], max_hits: int, window_seconds: int) -> Decision:
    """Given the ages of the hits already in the window, may one more go through?

    When not, Retry-After is the time until the oldest counted hit leaves the window.
    """
    in_window = sorted((a for a in ages_seconds if a < window_seconds), reverse=True)
    if len(in_window) < max_hits:
        return Decision(True)
    if max_hits <= 0:
        return Decision(False, window_seconds)
    # the hit that must expire before a slot frees up
    blocking_age = in_window[len(in_window) - max_hits]
    return Decision(False, max(1, math.ceil(window_seconds - blocking_age)))


def check_and_record(conn: Connection, limits: list[Limit], window_seconds: int) -> Decision:
    """Count each bucket's hits in the window; record a hit in all of them only when all allow it.

    A transaction-scoped advisory lock per bucket makes concurrent requests count one by one.
    """
    refusals: list[Decision] = []
    for limit in sorted(limits, key=lambda l: l.bucket):
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (limit.bucket,))
        conn.execute(  # hits that left the window count for nothing: keep the table small
            "DELETE FROM rate_limit_hits WHERE bucket = %s AND hit_at <= now() - make_interval(secs => %s)",
            (limit.bucket, window_seconds),
        )
        rows = conn.execute(
            "SELECT extract(epoch FROM now() - hit_at)::float8 AS age FROM rate_limit_hits"
            " WHERE bucket = %s AND hit_at > now() - make_interval(secs => %s)",
            (limit.bucket, window_seconds),
        ).fetchall()
        decision = decide([r["age"] for r in rows], limit.max_hits, window_seconds)
        if not decision.allowed:
            refusals.append(decision)
    if refusals:
        return Decision(False, max(d.retry_after_seconds for d in refusals))
    for limit in limits:
        conn.execute("INSERT INTO rate_limit_hits (bucket) VALUES (%s)", (limit.bucket,))
    return Decision(True)
