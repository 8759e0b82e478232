import sys

import psycopg
import pytest

import support.harness.database as database
from support.harness.config import SuiteConfig
from support.harness.database import (
    MARK_PREFIX,
    Database,
    Mode,
    RefusedToTouch,
    Resetter,
    assert_owned,
    choose_mode,
    mark_for,
)

MACHINE_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/not_ours?connect_timeout=1"


# --- choosing where the database comes from ----------------------------------------------------------

class Probe:
    def __init__(self, answer: bool):
        self.answer = answer
        self.calls = 0

    def __call__(self) -> bool:
        self.calls += 1
        return self.answer


def config(**kwargs) -> SuiteConfig:
    return SuiteConfig(**kwargs)


def test_live_comes_first():
    probe = Probe(True)
    chosen = choose_mode(config(live_base_url="https://p", live_database_url="postgresql://db",
                                database_url="postgresql://x", forced_db_mode="embedded"), probe)
    assert chosen is Mode.LIVE
    assert probe.calls == 0


@pytest.mark.parametrize("forced, mode", [("server", Mode.SERVER), ("docker", Mode.DOCKER), ("embedded", Mode.EMBEDDED)])
def test_a_forced_mode_beats_database_url_and_docker(forced, mode):
    probe = Probe(True)
    assert choose_mode(config(database_url="postgresql://x", forced_db_mode=forced), probe) is mode
    assert probe.calls == 0


def test_a_database_url_beats_docker():
    probe = Probe(True)
    assert choose_mode(config(database_url="postgresql://x"), probe) is Mode.SERVER
    assert probe.calls == 0


def test_no_docker_engine_is_looked_for_where_docker_would_find_none(monkeypatch, tmp_path):
    # neither DOCKER_HOST nor the default socket: the Docker SDK is not even imported
    class Sdk:
        calls = 0

        def from_env(self, **kwargs):
            Sdk.calls += 1
            raise AssertionError("probed")

    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.setattr(database, "DEFAULT_DOCKER_SOCKET", str(tmp_path / "docker.sock"))
    monkeypatch.setitem(sys.modules, "docker", Sdk())
    assert database.docker_available() is False
    assert Sdk.calls == 0


def test_an_embedded_cluster_stays_out_of_memory_without_room_to_spare():
    assert database.memory_backed_temp_dir(needed_bytes=1 << 62) is None


def test_docker_when_the_probe_finds_an_engine():
    probe = Probe(True)
    assert choose_mode(config(), probe) is Mode.DOCKER
    assert probe.calls == 1


def test_embedded_as_the_last_resort():
    probe = Probe(False)
    assert choose_mode(config(), probe) is Mode.EMBEDDED
    assert probe.calls == 1


def test_every_mode_describes_itself():
    assert Mode.LIVE.description == "the live portal's own database (never reset or migrated by the suite)"
    assert {m.value for m in Mode} == {"server", "docker", "embedded", "live"}
    assert all(m.description for m in Mode)


# --- the mark and the guard ----------------------------------------------------------------------------

def test_the_mark_names_the_run():
    assert mark_for("a1b2c3") == "portal-spec throwaway database, run a1b2c3"
    assert mark_for("a1b2c3").startswith(MARK_PREFIX)


def test_a_database_knows_its_name_and_ownership():
    ours = Database(url="postgresql://postgres@127.0.0.1:5432/portal_spec_a1b2c3", mode=Mode.SERVER, run_id="a1b2c3")
    theirs = Database(url="host=db.example dbname=portal", mode=Mode.LIVE, run_id=None)
    assert (ours.name, ours.owned) == ("portal_spec_a1b2c3", True)
    assert (theirs.name, theirs.owned) == ("portal", False)


class FakeConnection:
    """Answers the guard's one query with (database name, comment) and records every statement."""

    def __init__(self, name="portal_spec_a1b2c3", comment=None):
        self.row = (name, comment)
        self.statements: list[str] = []
        self.closed = False

    def execute(self, query, params=None):
        self.statements.append(str(query))
        row = self.row
        return type("Cursor", (), {"fetchone": lambda self: row, "fetchall": lambda self: []})()

    def close(self):
        self.closed = True


OURS = Database(url="postgresql://postgres@127.0.0.1:5432/portal_spec_a1b2c3", mode=Mode.SERVER, run_id="a1b2c3")


def test_a_database_with_this_runs_mark_passes():
    conn = FakeConnection(comment="portal-spec throwaway database, run a1b2c3")
    assert assert_owned(conn, OURS) is None
    assert len(conn.statements) == 1
    assert "shobj_description" in conn.statements[0]


def test_a_database_without_a_comment_is_refused():
    conn = FakeConnection(name="portal_spec_a1b2c3", comment=None)
    with pytest.raises(RefusedToTouch) as raised:
        assert_owned(conn, OURS)
    assert str(raised.value) == (
        "refusing to reset or migrate database 'portal_spec_a1b2c3': it does not carry this run's mark "
        "(expected comment 'portal-spec throwaway database, run a1b2c3', found None)"
    )


def test_a_database_with_another_runs_mark_is_refused():
    conn = FakeConnection(comment="portal-spec throwaway database, run ffffff")
    with pytest.raises(RefusedToTouch, match=r"found 'portal-spec throwaway database, run ffffff'"):
        assert_owned(conn, OURS)


def test_a_database_with_a_mark_that_only_starts_like_ours_is_refused():
    conn = FakeConnection(comment="portal-spec throwaway database, run a1b2c3 (copy)")
    with pytest.raises(RefusedToTouch):
        assert_owned(conn, OURS)


def test_a_database_the_suite_did_not_create_is_refused_without_asking_it():
    conn = FakeConnection(name="portal", comment="portal-spec throwaway database, run a1b2c3")
    theirs = Database(url="postgresql://ro@db.example/portal", mode=Mode.LIVE, run_id=None)
    with pytest.raises(RefusedToTouch) as raised:
        assert_owned(conn, theirs)
    assert str(raised.value) == (
        "refusing to reset or migrate database 'portal': the suite did not create it "
        "(the live portal's own database (never reset or migrated by the suite)). "
        "Scenarios there must rely on their own unique data."
    )
    assert conn.statements == []


def test_resetter_refuses_a_database_it_does_not_own_before_any_statement(monkeypatch):
    conn = FakeConnection(name="portal", comment=None)
    connected_to = []

    def fake_connect(url, **kwargs):
        connected_to.append((url, kwargs))
        return conn

    monkeypatch.setattr(database.psycopg, "connect", fake_connect)
    theirs = Database(url="postgresql://ro@db.example/portal", mode=Mode.LIVE, run_id=None)
    with pytest.raises(RefusedToTouch, match="the suite did not create it"):
        Resetter(theirs)
    # a database the suite did not create is refused before the suite even connects to it
    assert connected_to == []
    assert conn.statements == []


def test_resetter_on_an_owned_database_checks_the_mark_before_listing_tables(monkeypatch):
    conn = FakeConnection(comment="portal-spec throwaway database, run ffffff")
    monkeypatch.setattr(database.psycopg, "connect", lambda url, **kwargs: conn)
    with pytest.raises(RefusedToTouch):
        Resetter(OURS)
    assert len(conn.statements) == 1
    assert not any("TRUNCATE" in s or "pg_tables" in s for s in conn.statements)


def test_resetter_refuses_a_database_it_does_not_own_even_when_it_is_unreachable():
    theirs = Database(url=UNREACHABLE, mode=Mode.LIVE, run_id=None)
    with pytest.raises(RefusedToTouch, match="the suite did not create it"):
        Resetter(theirs)


def test_migrate_refuses_a_database_it_does_not_own(monkeypatch):
    conn = FakeConnection(name="portal", comment=None)

    class Connected:
        def __enter__(self):
            return conn

        def __exit__(self, *exc):
            conn.close()

    monkeypatch.setattr(database.psycopg, "connect", lambda url, **kwargs: Connected())
    with pytest.raises(RefusedToTouch, match="the suite did not create it"):
        database.migrate(Database(url="postgresql://ro@db.example/portal", mode=Mode.LIVE, run_id=None))
    assert conn.statements == []


# --- the guard's query against a real server (read-only; skipped without one) ------------------------

@pytest.fixture
def machine_pg(machine_server):
    with psycopg.connect(machine_server) as conn:
        yield conn


def test_the_guard_refuses_the_servers_own_postgres_database(machine_pg):
    claimed = Database(url=MACHINE_PG, mode=Mode.SERVER, run_id="a1b2c3")
    with pytest.raises(RefusedToTouch) as raised:
        assert_owned(machine_pg, claimed)
    assert str(raised.value).startswith(
        "refusing to reset or migrate database 'postgres': it does not carry this run's mark "
        "(expected comment 'portal-spec throwaway database, run a1b2c3', found "
    )


def test_a_reset_empties_the_tables_and_gives_the_databases_clock_after_it_in_one_round_trip(machine_pg):
    with database.throwaway_database(MACHINE_PG, Mode.SERVER) as ours:
        database.migrate(ours)
        with psycopg.connect(ours.url, autocommit=True) as conn:
            conn.execute("WITH t AS (INSERT INTO tenants (slug, name, kind) VALUES ('a', 'A', 'studio') RETURNING id)"
                         " INSERT INTO users (tenant_id, email, name, role) SELECT id, 'a@a.example', 'A', 'admin' FROM t")
            before = conn.execute("SELECT now()").fetchone()[0]
            resetter = Resetter(ours)
            statements = []
            execute = resetter.conn.execute
            resetter.conn.execute = lambda *args: statements.append(args) or execute(*args)
            try:
                clock = resetter.reset()
            finally:
                resetter.close()
            after = conn.execute("SELECT now()").fetchone()[0]
            assert before < clock < after and len(statements) == 1
            assert conn.execute("SELECT (SELECT count(*) FROM tenants) + (SELECT count(*) FROM users)").fetchone()[0] == 0
            assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] > 0  # the ledger is kept
