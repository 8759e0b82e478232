"""The portal's metrics, in the Prometheus text format (GET /metrics, portal/web/metrics.py).

Counters and histograms are kept per process (each uvicorn worker and each `python -m portal worker`
counts its own: scrape every process, or sum them); what lives in the database (emails by status,
dead letters) is read from it at every scrape, so it is the same whichever process answers.
"""
from __future__ import annotations

import hmac
import ipaddress
from functools import lru_cache

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.utils import floatToGoString

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
    dead = Gauge("portal_dead_letters", "Dead letters: jobs and emails no longer tried", ["queue"], registry=registry)
    # one statement, one round trip: the outbox by status (its dead letters among them) and the dead jobs
    rows = conn.execute("SELECT 'emails' AS queue, status, count(*) AS n FROM emails GROUP BY status"
                        " UNION ALL SELECT 'jobs', 'failed', count(*) FROM jobs WHERE status = 'failed'").fetchall()
    dead.labels("jobs").set(0)
    dead.labels("emails").set(0)
    for row in rows:
        if row["queue"] == "emails":
            emails.labels(row["status"]).set(row["n"])
        if (row["queue"], row["status"]) in (("emails", "dead"), ("jobs", "failed")):
            dead.labels(row["queue"]).set(row["n"])
    return registry


def render(conn) -> bytes:
    return (text_format(REGISTRY) + text_format(_database_gauges(conn))).encode()


def _escape(value: str) -> str:
    return value.replace("\\", r"\\").replace("\n", r"\n").replace('"', r'\"')


@lru_cache(maxsize=8192)
def _label_text(labels: tuple[tuple[str, str], ...]) -> str:
    """`{name="value",...}`, escaped as the text format asks. The same label sets come back at
    every scrape (a route, a method, a status), so each is formatted once."""
    if not labels:
        return ""
    escaped = (f'{name}="{_escape(value)}"' for name, value in labels)
    return "{" + ",".join(escaped) + "}"


_SUFFIXES = {"counter": "_total"}


def text_format(registry: CollectorRegistry) -> str:
    """The Prometheus text format (0.0.4) of `registry`, exactly as prometheus_client's
    `generate_latest` writes it (tests/portal/test_metrics.py compares them) for what the portal
    exports: counters, gauges and histograms with valid names. `generate_latest` formats every
    label of every sample anew: with one histogram series per route it took about 13 ms a scrape,
    the larger part of the answer's time."""
    out: list[str] = []
    for metric in registry.collect():
        name = metric.name + _SUFFIXES.get(metric.type, "")
        help_text = metric.documentation.replace("\\", r"\\").replace("\n", r"\n")
        out.append(f"# HELP {name} {help_text}\n# TYPE {name} {metric.type}\n")
        created: list[str] = []
        for sample in metric.samples:
            line = f"{sample.name}{_label_text(tuple(sorted(sample.labels.items())))} {floatToGoString(sample.value)}\n"
            (created if sample.name == metric.name + "_created" else out).append(line)
        if created:
            out.append(f"# HELP {metric.name}_created {help_text}\n# TYPE {metric.name}_created gauge\n")
            out.extend(created)
    return "".join(out)


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
