"""The machine's PostgreSQL server for the harness's tests that need a real one (skipped without one),
and a migrated database of its own on it for the tests of the harness's statements."""
import psycopg
import pytest

MACHINE_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="session")
def machine_server() -> str:
    """The URL of the machine's server, once it has answered; the test is skipped where none does."""
    try:
        psycopg.connect(MACHINE_PG, connect_timeout=2).close()
    except psycopg.OperationalError:
        pytest.skip(f"no PostgreSQL answers at {MACHINE_PG}")
    return MACHINE_PG


@pytest.fixture(scope="session")
def migrated_database(machine_server):
    from support.harness.database import Mode, migrate, throwaway_database

    with throwaway_database(machine_server, Mode.SERVER) as database:
        migrate(database)
        yield database.url


@pytest.fixture
def harness_db(migrated_database):
    """A connection to it as the harness's (autocommit, rows as dicts), counting its statements."""
    from psycopg.rows import dict_row

    with psycopg.connect(migrated_database, autocommit=True, row_factory=dict_row) as conn:
        yield CountingConnection(conn)


class CountingConnection:
    """A connection, counting the statements sent through it."""

    def __init__(self, conn):
        self.conn, self.statements = conn, 0

    def execute(self, *args, **kwargs):
        self.statements += 1
        return self.conn.execute(*args, **kwargs)
