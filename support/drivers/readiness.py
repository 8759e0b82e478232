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
    re.compile(r"host=|dbname=|user=", re.I),
]


def check_ready(client: PortalClient) -> Exchange:
    return client.get("/readyz")


def check_alive(client: PortalClient) -> Exchange:
    return client.get("/health")


def secrets_shown(exchange: Exchange) -> list[str]:
    return [pattern.pattern for pattern in _SECRET_SHAPES if pattern.search(exchange.response_body)]


def check_name(dependency: str) -> str:
    """The registry's name of a dependency as a feature says it ("job queue" -> `job_queue`)."""
    return dependency.replace(" ", "_")


def shape_problems(exchange: Exchange) -> list[str]:
    """How a readiness answer departs from its one envelope: `status` and `checks`, each check
    with exactly `status` (a word) and `critical` (true or false), whatever the state."""
    body = exchange.json()
    problems = []
    if set(body) != {"status", "checks"}:
        problems.append(f"top-level fields {sorted(body)}, expected ['checks', 'status']")
    if body.get("status") not in ("ok", "degraded", "unavailable"):
        problems.append(f"overall status {body.get('status')!r}")
    checks = body.get("checks")
    if not isinstance(checks, dict) or not checks:
        return problems + ["no checks listed"]
    for name, check in checks.items():
        if not isinstance(check, dict) or set(check) != {"status", "critical"}:
            problems.append(f"{name}: fields {sorted(check) if isinstance(check, dict) else check!r}")
        elif not isinstance(check["status"], str) or not isinstance(check["critical"], bool):
            problems.append(f"{name}: {check!r}")
    return problems
