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

    A transaction-scoped advisory lock per bucket makes concurrent requests count one by one. Three
    statements whatever the number of limits: the locks (taken in bucket order, so two requests
    never wait for each other crosswise), then the count (the lock must be held before the
    statement that counts starts: its snapshot is taken then), then the hits.
    """
    buckets = sorted({limit.bucket for limit in limits})
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(b, 0))"
                 " FROM unnest(%s::text[]) WITH ORDINALITY AS u(b, n) ORDER BY n", (buckets,))
    rows = conn.execute(
        # hits that left the window count for nothing: deleted on the way, to keep the table small
        "WITH gone AS (DELETE FROM rate_limit_hits WHERE bucket = ANY(%(b)s)"
        "              AND hit_at <= now() - make_interval(secs => %(w)s))"
        " SELECT bucket, extract(epoch FROM now() - hit_at)::float8 AS age FROM rate_limit_hits"
        " WHERE bucket = ANY(%(b)s) AND hit_at > now() - make_interval(secs => %(w)s)",
        {"b": buckets, "w": window_seconds},
    ).fetchall()
    ages: dict[str, list[float]] = {bucket: [] for bucket in buckets}
    for row in rows:
        ages[row["bucket"]].append(row["age"])
    refusals = [d for d in (decide(ages[limit.bucket], limit.max_hits, window_seconds) for limit in limits)
                if not d.allowed]
    if refusals:
        return Decision(False, max(d.retry_after_seconds for d in refusals))
    conn.execute("INSERT INTO rate_limit_hits (bucket) SELECT unnest(%s::text[])", ([limit.bucket for limit in limits],))
    return Decision(True)
