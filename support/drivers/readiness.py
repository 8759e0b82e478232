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


def check_name(dependency: str) -> str:
    """The registry's name of a dependency as a feature says it ("job queue" -> `job_queue`)."""
    return dependency.replace(" ", "_")


def shape_problems(exchange: Exchange) -> list[str]:
    """How a readiness answer departs from its one envelope: `status` and `checks`, each check
    with exactly `status` (a word), `critical` (true or false) and `checked_at` (a time), whatever the state."""
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
        if not isinstance(check, dict) or set(check) != {"status", "critical", "checked_at"}:
            problems.append(f"{name}: fields {sorted(check) if isinstance(check, dict) else check!r}")
        elif not isinstance(check["status"], str) or not isinstance(check["critical"], bool):
            problems.append(f"{name}: {check!r}")
    return problems


# what readiness checks a feature names, by the registry's name
CHECKS = {"backup age": "backup_age", "worker": "worker", "database": "database", "job queue": "job_queue",
          "email provider": "email_provider"}


def arrange_backup(world, age) -> None:
    """A verified backup recorded as taken `age` ago on the database clock (arranged directly)."""
    world.db.execute(
        "INSERT INTO backups (taken_at, file_name, size_bytes, sha256, manifest, verified_at)"
        " VALUES (now() - %s, 'arranged.dump', 1, repeat('0', 64), '{}', now() - %s)", (age, age))


def worker_silent_for(portal, world, age) -> None:
    """The run's worker is stopped (`portal`, from the worker_down fixture) and every worker's
    last report moved to `age` ago."""
    world.db.execute("UPDATE worker_heartbeats SET beat_at = now() - %s", (age,))


_LONG_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,}")


def long_tokens(exchange: Exchange) -> list[str]:
    """Runs of 20 or more hex or base64url characters in a readiness answer (a key would be one)."""
    return _LONG_TOKEN.findall(exchange.response_body)


def burst(client: PortalClient, count: int) -> list[Exchange]:
    from support.harness.concurrency import all_at_once

    return all_at_once([lambda: check_ready(client)] * count)


def checks_counted(answers: list[Exchange]) -> dict[str, int]:
    """How many distinct checks of each dependency the answers report; fails unless every answer is
    200 and names the database (an empty report would agree with any count)."""
    statuses = [a.status for a in answers]
    assert statuses == [200] * len(answers), f"not every readiness answer is 200: {statuses}"
    made = checks_made(answers)
    assert "database" in made, f"the answers name no database check: {sorted(made)}"
    return {name: len(times) for name, times in made.items()}


def checks_made(answers: list[Exchange]) -> dict[str, set[str]]:
    """For each dependency, the distinct checks the answers report (by when each was made)."""
    made: dict[str, set[str]] = {}
    for answer in answers:
        for name, check in answer.json()["checks"].items():
            made.setdefault(name, set()).add(check["checked_at"])
    return made
