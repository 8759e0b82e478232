"""The portal's metrics, in the Prometheus text format (GET /metrics, portal/web/metrics.py).

Counters and histograms are kept per process (each uvicorn worker and each `python -m portal worker`
counts its own: scrape every process, or sum them); what lives in the database (emails by status,
dead letters) is read from it at every scrape, so it is the same whichever process answers.
"""
from __future__ import annotations

import bisect
import hmac
import ipaddress
import itertools
import os
import threading
import time
from functools import lru_cache
from typing import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.metrics_core import Metric
from prometheus_client.samples import Sample
from prometheus_client.utils import floatToGoString

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
UNMATCHED = "(unmatched)"  # a request no route matched: never the raw path, which may carry a key

class _Family(Metric):
    """A metric family whose text the portal writes itself (`text`), and whose samples are made only
    for whoever asks for them (prometheus_client's own writer: the unit test compares the two)."""

    def __init__(self, name: str, documentation: str, typ: str, text: Callable[[], str],
                 samples: Callable[[], list[Sample]]):
        super().__init__(name, documentation, typ)
        self.text, self._samples = text, samples

    @property
    def samples(self) -> list[Sample]:
        return self._samples()

    @samples.setter
    def samples(self, value) -> None:  # Metric.__init__ sets an empty list: the samples are made on demand
        pass


class RequestMetrics:
    """portal_http_requests (a counter by method, route template and status) and
    portal_http_request_duration_seconds (a histogram by method and route template, prometheus_client's
    default buckets), kept here rather than in prometheus_client's Counter and Histogram: a scrape
    writes each series' lines from text made once per series, where prometheus_client made a sample
    object for each of about 1,900 lines at every scrape (most of the answer's time). The text is
    exactly what prometheus_client writes for the same counter and histogram (tests/portal/test_metrics.py)."""

    COUNTER = "portal_http_requests"
    HISTOGRAM = "portal_http_request_duration_seconds"
    COUNTER_HELP = "HTTP requests answered, by method, route template and status"
    HISTOGRAM_HELP = "Time to answer a request, by method and route template"
    BOUNDS = Histogram.DEFAULT_BUCKETS

    def __init__(self, created: bool = True):
        self._lock = threading.Lock()
        self._created = created  # prometheus_client's PROMETHEUS_DISABLE_CREATED_SERIES
        self._le = [floatToGoString(b) for b in self.BOUNDS]
        # (method, route, status) -> [count, created, the labels' text]
        self._counts: dict[tuple[str, str, str], list] = {}
        # (method, route) -> [count per bucket (not cumulative), sum, created, the labels' text]
        self._latency: dict[tuple[str, str], list] = {}

    def observe(self, method: str, route: str, status: str, seconds: float) -> None:
        bucket = bisect.bisect_left(self.BOUNDS, seconds)  # the first bound the time is within
        with self._lock:
            count = self._counts.get((method, route, status))
            if count is None:
                count = self._counts[(method, route, status)] = [
                    0.0, time.time(), _label_text((("method", method), ("route", route), ("status", status)))]
            count[0] += 1.0
            latency = self._latency.get((method, route))
            if latency is None:
                latency = self._latency[(method, route)] = [
                    [0.0] * len(self.BOUNDS), 0.0, time.time(), _label_text((("method", method), ("route", route)))]
            if bucket < len(self.BOUNDS):
                latency[0][bucket] += 1.0
            latency[1] += seconds

    def count(self, method: str, route: str, status: str) -> float:
        with self._lock:
            return self._counts.get((method, route, status), [0.0])[0]

    def families(self) -> list[Metric]:
        return [_Family(self.COUNTER, self.COUNTER_HELP, "counter", self._counter_text, self._counter_samples),
                _Family(self.HISTOGRAM, self.HISTOGRAM_HELP, "histogram", self._histogram_text, self._histogram_samples)]

    def collect(self) -> list[Metric]:  # a prometheus_client collector
        return self.families()

    def _counts_now(self) -> list[tuple[tuple[str, str, str], float, float, str]]:
        """Each counter series as it stands: (labels, count, created, the labels' text)."""
        with self._lock:
            return [(key, n, created, labels) for key, (n, created, labels) in self._counts.items()]

    def _latency_now(self) -> list[tuple[tuple[str, str], list[float], float, float, str]]:
        """Each histogram series as it stands: (labels, cumulative count per bound, sum, created, the
        labels' text)."""
        with self._lock:
            series = [(key, list(buckets), total, created, labels)
                      for key, (buckets, total, created, labels) in self._latency.items()]
        return [(key, list(itertools.accumulate(buckets)), total, created, labels)
                for key, buckets, total, created, labels in series]

    def _counter_text(self) -> str:
        counts = self._counts_now()
        name = self.COUNTER
        out = [f"# HELP {name}_total {self.COUNTER_HELP}\n# TYPE {name}_total counter\n"]
        out += [f"{name}_total{labels} {_number(n)}\n" for _, n, _, labels in counts]
        if counts and self._created:
            out.append(f"# HELP {name}_created {self.COUNTER_HELP}\n# TYPE {name}_created gauge\n")
            out += [f"{name}_created{labels} {floatToGoString(created)}\n" for _, _, created, labels in counts]
        return "".join(out)

    def _histogram_text(self) -> str:
        series = self._latency_now()
        name = self.HISTOGRAM
        out = [f"# HELP {name} {self.HISTOGRAM_HELP}\n# TYPE {name} histogram\n"]
        for _, cumulative, total, _, labels in series:
            inner = labels[1:-1]
            out += [f'{name}_bucket{{le="{le}",{inner}}} {_number(n)}\n' for le, n in zip(self._le, cumulative)]
            out.append(f"{name}_count{labels} {_number(cumulative[-1])}\n{name}_sum{labels} {floatToGoString(total)}\n")
        if series and self._created:
            out.append(f"# HELP {name}_created {self.HISTOGRAM_HELP}\n# TYPE {name}_created gauge\n")
            out += [f"{name}_created{labels} {floatToGoString(created)}\n" for _, _, _, created, labels in series]
        return "".join(out)

    def _counter_samples(self) -> list[Sample]:
        samples = []
        for (method, route, status), n, created, _ in self._counts_now():
            labels = {"method": method, "route": route, "status": status}
            samples.append(Sample(self.COUNTER + "_total", labels, n))
            if self._created:
                samples.append(Sample(self.COUNTER + "_created", labels, created))
        return samples

    def _histogram_samples(self) -> list[Sample]:
        samples = []
        for (method, route), cumulative, total, created, _ in self._latency_now():
            labels = {"method": method, "route": route}
            samples += [Sample(self.HISTOGRAM + "_bucket", {**labels, "le": le}, n) for le, n in zip(self._le, cumulative)]
            samples += [Sample(self.HISTOGRAM + "_count", labels, cumulative[-1]),
                        Sample(self.HISTOGRAM + "_sum", labels, total)]
            if self._created:
                samples.append(Sample(self.HISTOGRAM + "_created", labels, created))
        return samples


REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = RequestMetrics(created=os.environ.get("PROMETHEUS_DISABLE_CREATED_SERIES", "False").lower()
                          not in ("true", "1", "t"))
REGISTRY.register(REQUESTS)
JOBS = Counter("portal_jobs", "Job attempts by kind and outcome (done, retried, dead_lettered)",
               ["kind", "outcome"], registry=REGISTRY)


def observe_request(method: str, route: str | None, status: int, seconds: float) -> None:
    REQUESTS.observe(method, route or UNMATCHED, str(status), seconds)


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


@lru_cache(maxsize=4096)
def _number(value: float) -> str:
    """A count as the text format writes it; the same small counts come back at every scrape."""
    return floatToGoString(value)


def text_format(registry: CollectorRegistry) -> str:
    """The Prometheus text format (0.0.4) of `registry`, exactly as prometheus_client's
    `generate_latest` writes it (tests/portal/test_metrics.py compares them) for what the portal
    exports: counters, gauges and histograms with valid names. `generate_latest` formats every
    label of every sample anew: with one histogram series per route it took about 13 ms a scrape,
    the larger part of the answer's time."""
    out: list[str] = []
    for metric in registry.collect():
        if isinstance(metric, _Family):
            out.append(metric.text())
            continue
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
