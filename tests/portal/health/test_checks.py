"""The readiness registry: the overall verdict, failing probes, and the feature's outline walking it."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

import portal.app  # noqa: F401 - wires the registry, as the running portal does
from portal.config import Settings
from portal.health import checks
from support.harness.clock import HeldClock

FEATURE = Path(__file__).resolve().parents[3] / "features" / "operations" / "health_and_readiness.feature"
SETTINGS = Settings(database_url="postgresql://unused")


def _result(name, critical, status):
    return checks.Result(name, critical, status, datetime.now(timezone.utc))


def test_all_up_is_ok():
    assert checks.overall([_result("a", True, "up"), _result("b", False, "up")]) == ("ok", 200)


def test_a_critical_check_down_makes_the_portal_unavailable():
    assert checks.overall([_result("a", True, "down"), _result("b", False, "up")]) == ("unavailable", 503)


def test_a_check_that_is_not_critical_only_degrades():
    assert checks.overall([_result("a", True, "up"), _result("b", False, "unreachable")]) == ("degraded", 200)


def test_a_probe_that_raises_is_down_when_critical_and_unknown_otherwise():
    def broken(pool, settings):
        raise RuntimeError("postgresql://user:secret@host/db")

    assert checks.run(checks.Check("x", True, broken), None, SETTINGS).status == "down"
    assert checks.run(checks.Check("y", False, broken), None, SETTINGS).status == "unknown"


def test_a_second_check_under_a_taken_name_is_refused():
    with pytest.raises(ValueError, match="'database'"):
        checks.register(checks.Check("database", False, lambda pool, settings: "up"))


def test_the_portal_registers_the_database_and_the_job_queue_as_critical():
    assert checks.REGISTRY["database"].critical and checks.REGISTRY["job_queue"].critical
    assert not checks.REGISTRY["email_provider"].critical


def _outline_rows() -> dict[str, bool]:
    text = FEATURE.read_text(encoding="utf-8")
    table = text.split("The readiness report lists <dependency> as <criticality>", 1)[1].split("Rule:", 1)[0]
    rows = re.findall(r"^\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$", table, re.M)
    return {name.replace(" ", "_"): value == "critical" for name, value in rows[1:]}


def test_the_feature_outline_walks_the_registry_both_ways():
    specified = _outline_rows()
    registered = {name: check.critical for name, check in checks.REGISTRY.items()}
    assert specified == registered, (
        f"registered but not in the outline: {sorted(set(registered) - set(specified))}; "
        f"in the outline but not registered: {sorted(set(specified) - set(registered))}; "
        "or a criticality differs")


def test_the_cache_checks_each_dependency_once_within_its_time(monkeypatch):
    calls = []
    monkeypatch.setattr(checks, "REGISTRY", {"x": checks.Check("x", True, lambda pool, s: calls.append(1) or "up")})
    cache = checks.Cache(60)
    first = cache.results(None, SETTINGS)
    assert cache.results(None, SETTINGS) is first and len(calls) == 1
    assert checks.Cache(0).results(None, SETTINGS) is not first


def test_the_cache_measures_its_time_by_the_clock_it_is_given(monkeypatch):
    calls = []
    monkeypatch.setattr(checks, "REGISTRY", {"x": checks.Check("x", True, lambda pool, s: calls.append(1) or "up")})
    cache, clock = checks.Cache(3), HeldClock(500.0)
    first = cache.results(None, SETTINGS, clock)
    clock.advance(2.999)
    assert cache.results(None, SETTINGS, clock) is first and len(calls) == 1
    clock.advance(0.001)
    assert cache.results(None, SETTINGS, clock) is not first and len(calls) == 2
