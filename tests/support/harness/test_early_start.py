"""The run's database is provisioned while behave imports; whoever does not claim it drops it."""
from __future__ import annotations

import contextlib

import pytest

from support.harness import early_start
from support.harness.config import SuiteConfig
from support.harness.database import Database, Mode


@pytest.fixture
def provisioning(monkeypatch):
    """A database provisioned and migrated in name only; records what was done to it."""
    done = []

    @contextlib.contextmanager
    def provision(config, mode):
        done.append("created")
        try:
            yield Database(url="postgresql://u@127.0.0.1:9/portal_spec_x", mode=mode, run_id="x", server_version="16")
        finally:
            done.append("dropped")

    monkeypatch.setattr(early_start.database, "provision", provision)
    monkeypatch.setattr(early_start.database, "migrate", lambda db: done.append("migrated"))
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1:9/postgres")
    yield done
    early_start.hand_back(early_start._pending)


def test_the_run_claims_the_migrated_database_and_drops_it_with_its_own_clean_up(provisioning):
    early_start.begin({})
    early = early_start.claim(SuiteConfig.from_sources({}))
    assert (early.mode, early.migrated, early.problem) == (Mode.SERVER, True, None)
    assert provisioning == ["created", "migrated"]
    early.stack.close()
    assert provisioning == ["created", "migrated", "dropped"]


def test_a_run_of_another_configuration_drops_it_and_provisions_its_own(provisioning, monkeypatch):
    early_start.begin({})
    monkeypatch.setenv("PORTAL_SPEC_KEEP_DB", "1")
    assert early_start.claim(SuiteConfig.from_sources({})) is None
    assert provisioning == ["created", "migrated", "dropped"]


def test_an_unclaimed_database_is_dropped_when_the_runner_ends(provisioning):
    early = early_start.begin({})
    early_start.hand_back(early)
    assert provisioning == ["created", "migrated", "dropped"]


def test_a_claimed_database_is_not_dropped_by_the_runner(provisioning):
    early = early_start.begin({})
    early_start.claim(SuiteConfig.from_sources({}))
    early_start.hand_back(early)
    assert provisioning == ["created", "migrated"]


def test_a_provisioning_failure_reaches_the_run_as_it_happened(provisioning, monkeypatch):
    def unreachable(config, mode):
        raise ConnectionError("no server at 127.0.0.1:9")

    monkeypatch.setattr(early_start.database, "provision", unreachable)
    early_start.begin({})
    early = early_start.claim(SuiteConfig.from_sources({}))
    assert isinstance(early.problem, ConnectionError) and early.database is None


def test_options_that_make_no_configuration_start_nothing(provisioning):
    assert early_start.begin({"base_url": "https://portal.example"}) is None
    assert provisioning == []


def test_a_migration_failure_is_told_apart_from_a_missing_database(provisioning, monkeypatch):
    def broken(db):
        raise RuntimeError("migration 0042 failed")

    monkeypatch.setattr(early_start.database, "migrate", broken)
    early_start.begin({})
    early = early_start.claim(SuiteConfig.from_sources({}))
    assert early.problem is None and str(early.migration_problem) == "migration 0042 failed"
    early.stack.close()
    assert provisioning == ["created", "dropped"]
