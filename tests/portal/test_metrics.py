"""Who may read the metrics, and what they are made of."""
from portal import metrics
from portal.config import Settings

BASE = Settings(database_url="postgresql://u@127.0.0.1:9/portal", public_url="http://portal.example")


def scope(client="203.0.113.7", authorization: bytes | None = None):
    headers = [(b"authorization", authorization)] if authorization is not None else []
    return {"type": "http", "client": (client, 50000), "headers": headers}


def test_the_trusted_network_reads_the_metrics():
    assert metrics.allowed(scope("127.0.0.1"), BASE)
    assert metrics.allowed(scope("10.1.2.3"), BASE.with_overrides(trusted_proxies=("10.0.0.0/8",)))
    assert not metrics.allowed(scope("203.0.113.7"), BASE)


def test_trusting_every_proxy_does_not_make_everyone_trusted():
    assert not metrics.allowed(scope("203.0.113.7"), BASE.with_overrides(trusted_proxies=("*",)))


def test_a_client_that_is_no_address_is_not_trusted():
    assert not metrics.allowed(scope("testclient"), BASE)
    assert not metrics.allowed({"type": "http", "headers": []}, BASE)


def test_the_metrics_token_opens_them_from_anywhere_as_a_bearer_token_only():
    settings = BASE.with_overrides(metrics_token="s3cret-token")
    assert metrics.allowed(scope(authorization=b"Bearer s3cret-token"), settings)
    assert metrics.allowed(scope(authorization=b"bearer s3cret-token"), settings)
    for wrong in (b"Bearer s3cret-toke", b"Bearer s3cret-token2", b"Basic s3cret-token", b"s3cret-token", b"Bearer "):
        assert not metrics.allowed(scope(authorization=wrong), settings), wrong


def test_without_a_configured_token_no_token_opens_them():
    assert not metrics.allowed(scope(authorization=b"Bearer "), BASE)
    assert not metrics.allowed(scope(authorization=b"Bearer anything"), BASE)


def test_a_request_no_route_matched_is_counted_without_its_path():
    before = metrics.REQUESTS.count("GET", metrics.UNMATCHED, "404")
    metrics.observe_request("GET", None, 404, 0.01)
    assert metrics.REQUESTS.count("GET", metrics.UNMATCHED, "404") == before + 1


class FakeConn:
    """The outbox holds 3 sent emails and 1 dead one; 2 jobs are dead."""

    def execute(self, sql, params=None):
        return FakeResult(sql)


class FakeResult:
    def __init__(self, sql):
        self.sql = sql

    def fetchall(self):
        return [{"queue": "emails", "status": "sent", "n": 3}, {"queue": "emails", "status": "dead", "n": 1},
                {"queue": "jobs", "status": "failed", "n": 2}]


def test_the_text_holds_requests_latency_jobs_dead_letters_and_emails():
    metrics.observe_request("GET", "/s/{token}", 200, 0.02)
    metrics.job_outcome("mux.delete-asset", "retried")
    text = metrics.render(FakeConn()).decode()
    for line in ('portal_http_requests_total{method="GET",route="/s/{token}",status="200"}',
                 'portal_http_request_duration_seconds_bucket{le="0.025",method="GET",route="/s/{token}"}',
                 'portal_jobs_total{kind="mux.delete-asset",outcome="retried"}',
                 'portal_emails{status="sent"} 3.0', 'portal_dead_letters{queue="jobs"} 2.0',
                 'portal_dead_letters{queue="emails"} 1.0'):
        assert line in text, line


def test_the_text_is_exactly_what_prometheus_client_writes():
    from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

    registry = CollectorRegistry(auto_describe=True)
    requests = Counter("demo_requests", "Requests \\ answered\nby route", ["method", "route", "status"], registry=registry)
    latency = Histogram("demo_seconds", "Time", ["method", "route"], registry=registry)
    gauge = Gauge("demo_waiting", "Waiting", ["queue"], registry=registry)
    Gauge("demo_plain", "No labels", registry=registry).set(2.5)
    for route in ("/s/{token}", '/odd "quoted" \\ path\nnext', "(unmatched)"):
        requests.labels("GET", route, "200").inc()
        latency.labels("GET", route).observe(0.012)
        latency.labels("POST", route).observe(7.5)
    gauge.labels("jobs").set(0)
    gauge.labels("emails").set(1e21)
    assert metrics.text_format(registry) == generate_latest(registry).decode()
    metrics.observe_request("GET", "/s/{token}", 200, 0.02)
    assert metrics.text_format(metrics.REGISTRY) == generate_latest(metrics.REGISTRY).decode()
    assert metrics.render(FakeConn()) == generate_latest(metrics.REGISTRY) + generate_latest(metrics._database_gauges(FakeConn()))


def test_the_requests_text_is_exactly_prometheus_clients_counter_and_histogram(monkeypatch):
    """The same observations through prometheus_client's Counter and Histogram and through the
    portal's own series give the same text, byte for byte (creation times pinned)."""
    import time

    from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

    monkeypatch.setattr(time, "time", lambda: 1764633600.123456)
    registry = CollectorRegistry(auto_describe=True)
    counter = Counter(metrics.RequestMetrics.COUNTER, metrics.RequestMetrics.COUNTER_HELP, ["method", "route", "status"],
                      registry=registry)
    histogram = Histogram(metrics.RequestMetrics.HISTOGRAM, metrics.RequestMetrics.HISTOGRAM_HELP, ["method", "route"],
                          registry=registry)
    ours = metrics.RequestMetrics()
    own_registry = CollectorRegistry(auto_describe=True)
    own_registry.register(ours)
    assert metrics.text_format(own_registry) == generate_latest(registry).decode()  # nothing observed yet
    observations = [("GET", "/s/{token}", "200", 0.0031), ("GET", "/s/{token}", "200", 0.005), ("POST", "/x", "201", 0.0),
                    ("GET", '/odd "quoted" \\ path\nnext', "404", 12.5), ("GET", "/s/{token}", "304", 10.0),
                    ("HEAD", metrics.UNMATCHED, "404", 0.07500001)] + [("GET", "/many", "200", 0.02)] * 567
    for method, route, status, seconds in observations:
        counter.labels(method, route, status).inc()
        histogram.labels(method, route).observe(seconds)
        ours.observe(method, route, status, seconds)
    expected = generate_latest(registry).decode()
    assert metrics.text_format(own_registry) == expected
    assert generate_latest(own_registry).decode() == expected  # its samples, for prometheus_client's own writer
