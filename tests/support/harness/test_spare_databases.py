"""Databases of a scenario's own, made ahead and dropped behind, against a real server (skipped
without one): nothing is left behind, and what goes wrong is said when the run ends."""
import secrets

import psycopg
import pytest

from support.harness.spare_databases import SpareDatabases

MACHINE_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def server(machine_server):
    with psycopg.connect(machine_server, autocommit=True) as conn:
        yield conn


def databases(conn, run_id):
    rows = conn.execute("SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database"
                        " WHERE datname LIKE %s ORDER BY datname", (f"portal_spec_{run_id}_own_%",)).fetchall()
    return dict(rows)


def test_a_database_taken_exists_with_its_comment_and_nothing_is_left_when_the_run_ends(server):
    run_id = secrets.token_hex(4)
    spares = SpareDatabases(MACHINE_PG, run_id)
    first = spares.take("portal:drill-target")
    second = spares.take(None)
    assert first != second
    held = databases(server, run_id)
    assert held[first] == "portal:drill-target" and held[second] is None
    with psycopg.connect(MACHINE_PG.rsplit("/", 1)[0] + "/" + first) as taken:
        assert taken.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
    spares.give_back(first)
    spares.close()  # waits for the drop asked for, drops the second's and the spare made after it
    spares_left = databases(server, run_id)
    assert spares_left == {second: None}  # the one not given back is the scenario's to drop
    server.execute(f'DROP DATABASE "{second}"')


def test_a_drop_that_fails_is_raised_when_the_run_ends(server, monkeypatch):
    spares = SpareDatabases(MACHINE_PG, secrets.token_hex(4))

    def refused(name):
        raise psycopg.errors.ObjectInUse(f"database {name} is being accessed by other users")

    monkeypatch.setattr(spares, "_drop", refused)
    spares.give_back("portal_spec_somewhere")
    with pytest.raises(psycopg.errors.ObjectInUse):
        spares.close()
