"""The platform's view of the portal: liveness and readiness probes."""
from __future__ import annotations

import re

from support.harness.http import Exchange, PortalClient

UNREACHABLE_DATABASE = "postgresql://portal:s3cret-password@127.0.0.1:9/portal?connect_timeout=1"
# what must never appear in a readiness report: connection strings, passwords, provider keys
_SECRET_SHAPES = [
    re.compile(r"postgres(ql)?://", re.I),
    re.compile(r"password", re.I),
    re.compile(r"\bre_[A-Za-z0-9_]+"),
    re.compile(r"s3cret"),
    re.compile(r"spec-(token|webhook)-secret"),      # the Mux fake's secrets
    re.compile(r"host=|dbname=|user=", re.I),
]


def check_ready(client: PortalClient) -> Exchange:
    return client.get("/readyz")


def check_alive(client: PortalClient) -> Exchange:
    return client.get("/health")


def secrets_shown(exchange: Exchange) -> list[str]:
    return [pattern.pattern for pattern in _SECRET_SHAPES if pattern.search(exchange.response_body)]
