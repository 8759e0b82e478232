"""The JSON API's rate limit: a fixed window per caller, kept in PostgreSQL so that every portal
process counts against one budget.

A caller's window opens with its first request and lasts `window_seconds`; each request counts
with one atomic upsert, so concurrent requests (from any process) are counted one by one. The
answer carries the IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers):
`RateLimit-Policy: "default";q=<limit>;w=<window>` and `RateLimit: "default";r=<remaining>;t=<reset>`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from psycopg import Connection

POLICY = "default"


@dataclass(frozen=True)
class Window:
    limit: int
    window_seconds: int
    hits: int
    reset_seconds: int

    @property
    def allowed(self) -> bool:
        return self.hits <= self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.hits)

    def headers(self) -> dict[str, str]:
        headers = {"RateLimit-Policy": f'"{POLICY}";q={self.limit};w={self.window_seconds}',
                   "RateLimit": f'"{POLICY}";r={self.remaining};t={self.reset_seconds}'}
        if not self.allowed:
            headers["Retry-After"] = str(self.reset_seconds)
        return headers


def reset_after(seconds_left: float) -> int:
    """Whole seconds until the window closes, at least 1 (a client told 0 would retry at once)."""
    return max(1, math.ceil(seconds_left))


def hit(conn: Connection, bucket: str, limit: int, window_seconds: int) -> Window:
    """Count one request of `bucket` and say where its window stands.

    The caller's transaction then commits without waiting for the disk (`synchronous_commit` off
    for that transaction only, set in the same statement): a database crash can lose the last
    fraction of a second of counts, letting a caller make a few more requests that minute, where
    waiting for the disk cost every API request about 0.5 ms on an idle disk, and more on a busy one."""
    row = conn.execute(
        "WITH no_wait AS (SELECT set_config('synchronous_commit', 'off', true))"
        " INSERT INTO api_rate_windows AS w (bucket) SELECT %(b)s FROM no_wait"
        " ON CONFLICT (bucket) DO UPDATE SET"
        "   window_start = CASE WHEN w.window_start <= now() - make_interval(secs => %(s)s) THEN now() ELSE w.window_start END,"
        "   hits = CASE WHEN w.window_start <= now() - make_interval(secs => %(s)s) THEN 1 ELSE w.hits + 1 END"
        " RETURNING w.hits, extract(epoch FROM w.window_start + make_interval(secs => %(s)s) - now())::float8 AS left",
        {"b": bucket, "s": window_seconds},
    ).fetchone()
    return Window(limit=limit, window_seconds=window_seconds, hits=row["hits"], reset_seconds=reset_after(row["left"]))


def sweep(conn: Connection, window_seconds: int) -> int:
    """Delete the windows that have closed (the scheduled task `api.rate-window-sweep`)."""
    return conn.execute("DELETE FROM api_rate_windows WHERE window_start <= now() - make_interval(secs => %s)",
                        (window_seconds,)).rowcount
