"""The portal's metrics as a monitoring system reads them (GET /metrics, Prometheus text format)."""
from __future__ import annotations

import secrets

from prometheus_client.parser import text_string_to_metric_families

from support.drivers import sessions
from support.harness.http import Exchange, PortalClient

METRICS = "/metrics"
NOWHERE = "/no-such-address"


def own_network(world) -> PortalClient:
    """A client on the portal's own network: it reaches the portal directly, through no proxy."""
    client = PortalClient("the monitoring system", world.base_url, world.exchanges)
    world._extra_clients.append(client)
    return client


def _from_outside(world, label: str, authorization: str | None = None) -> PortalClient:
    client = world.client(label)
    if authorization is not None:
        client.http.headers["Authorization"] = authorization
    return client


def caller(world, who: str) -> PortalClient:
    token = world.run.portal.settings.metrics_token
    world.remember_secret(token)
    callers = {
        "the monitoring system on the portal's own network": lambda: own_network(world),
        "the monitoring system from outside, with the metrics token": lambda: _from_outside(
            world, "the monitoring system", f"Bearer {token}"),
        "someone from outside, without a token": lambda: _from_outside(world, "someone"),
        "someone from outside, with a wrong metrics token": lambda: _from_outside(
            world, "someone", f"Bearer {secrets.token_urlsafe(32)}"),
        "someone from outside, with the metrics token cut short": lambda: _from_outside(
            world, "someone", f"Bearer {token[:-1]}"),
        "someone from outside, with the metrics token in another scheme": lambda: _from_outside(
            world, "someone", f"Basic {token}"),
        "Ada, a studio admin signed in, from outside": lambda: sessions.ensure_signed_in(world, "Ada").client,
        "Mallory, signed in, from outside": lambda: sessions.ensure_signed_in(world, "Mallory").client,
        "Theo's system with its API key, from outside": lambda: _theo_system(world),
    }
    return callers[who]()


def _theo_system(world) -> PortalClient:
    from support.drivers import api_access

    key, _ = api_access.make_key(world, sessions.ensure_signed_in(world, "Theo"), "monitoring")
    return api_access.system(world, "Theo", key)


def read(client: PortalClient) -> Exchange:
    return client.get(METRICS)


def nowhere(world) -> Exchange:
    """What someone from outside, with no credentials, gets from an address that does not exist."""
    return world.client("someone").get(NOWHERE)


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """Every sample but the histograms' buckets: (name, sorted labels) -> value. No step reads a
    bucket, and they are most of the text (about 1,900 samples in all), so they are left out before
    Prometheus's own parser reads the rest; the exposition format itself is pinned by a unit test
    (tests/portal/test_metrics.py: byte for byte what prometheus_client writes)."""
    found = {}
    wanted = "\n".join(line for line in text.splitlines() if "_bucket{" not in line)
    for family in text_string_to_metric_families(wanted):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def scrape(world) -> dict[tuple[str, tuple], float]:
    answer = read(own_network(world))
    assert answer.status == 200, answer.summary(world.secrets)
    return samples(answer.response_body)


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def emails_by_status(world) -> dict[str, int]:
    return {row["status"]: row["n"] for row in world.db.execute("SELECT status, count(*) AS n FROM emails GROUP BY status")}
