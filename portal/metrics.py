"""The portal's metrics, in the Prometheus text format (GET /metrics, portal/web/metrics.py).

Counters and histograms are kept per process (each uvicorn worker and each `python -m portal worker`
counts its own: scrape every process, or sum them); what lives in the database (emails by status,
dead letters) is read from it at every scrape, so it is the same whichever process answers.
"""
from __future__ import annotations

import hmac
import ipaddress

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
UNMATCHED = "(unmatched)"  # a request no route matched: never the raw path, which may carry a key

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("portal_http_requests", "HTTP requests answered, by method, route template and status",
                   ["method", "route", "status"], registry=REGISTRY)
LATENCY = Histogram("portal_http_request_duration_seconds", "Time to answer a request, by method and route template",
                    ["method", "route"], registry=REGISTRY)
JOBS = Counter("portal_jobs", "Job attempts by kind and outcome (done, retried, dead_lettered)",
               ["kind", "outcome"], registry=REGISTRY)


def observe_request(method: str, route: str | None, status: int, seconds: float) -> None:
    route = route or UNMATCHED
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def job_outcome(kind: str, outcome: str) -> None:
    JOBS.labels(kind, outcome).inc()


def _database_gauges(conn) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=True)
    emails = Gauge("portal_emails", "Emails in the outbox, by status", ["status"], registry=registry)
    for row in conn.execute("SELECT status, count(*) AS n FROM emails GROUP BY status"):
        emails.labels(row["status"]).set(row["n"])
    dead = Gauge("portal_dead_letters", "Dead letters: jobs and emails no longer tried", ["queue"], registry=registry)
    dead.labels("jobs").set(conn.execute("SELECT count(*) AS n FROM jobs WHERE status = 'failed'").fetchone()["n"])
    dead.labels("emails").set(conn.execute("SELECT count(*) AS n FROM emails WHERE status = 'dead'").fetchone()["n"])
    return registry


def render(conn) -> bytes:
    return generate_latest(REGISTRY) + generate_latest(_database_gauges(conn))


def _trusted(host: str, trusted: tuple[str, ...]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    for entry in trusted:
        if entry.strip() in ("", "*"):  # "trust every proxy" does not make everyone trusted
            continue
        try:
            if address in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def allowed(scope, settings) -> bool:
    """From the trusted network (PORTAL_TRUSTED_PROXIES: the client address as uvicorn resolved it),
    or with `Authorization: Bearer <PORTAL_METRICS_TOKEN>` (compared in constant time)."""
    client = scope.get("client")
    if client and _trusted(client[0], settings.trusted_proxies):
        return True
    token = settings.metrics_token
    if not token:
        return False
    header = dict(scope.get("headers") or []).get(b"authorization", b"")
    scheme, _, presented = header.partition(b" ")
    return scheme.lower() == b"bearer" and hmac.compare_digest(presented.strip(), token.encode())
