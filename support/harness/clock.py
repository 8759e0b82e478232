"""Moving records back in time: the portal reads time from the database clock, so a record
whose timestamps are earlier is, to the portal, older. No step ever waits for time to pass."""
from __future__ import annotations

from psycopg import sql


def move_back(world, table: str, columns: tuple[str, ...], minutes: float, where: str, params: tuple) -> int:
    """Shift `columns` of the matching rows `minutes` into the past; return how many rows moved."""
    return moving_back(world, table, columns, minutes, where, params).rowcount


def moving_back(world, table: str, columns: tuple[str, ...], minutes: float, where: str, params: tuple):
    """`move_back`, returning its cursor: inside the connection's pipeline, its rowcount is known
    once the pipeline has been synced (several moves in one round trip)."""
    assignments = sql.SQL(", ").join(
        sql.SQL("{col} = {col} - make_interval(secs => %s)").format(col=sql.Identifier(c)) for c in columns
    )
    statement = sql.SQL("UPDATE {table} SET {assignments} WHERE ").format(
        table=sql.Identifier(table), assignments=assignments
    ) + sql.SQL(where)
    return world.db.execute(statement, (minutes * 60,) * len(columns) + params)


def database_now(world):
    """The database's clock: the only clock the portal decides by."""
    return world.db.execute("SELECT now() AS now").fetchone()["now"]


class HeldClock:
    """A portal's process clock (portal/clock.py), held by the scenario: it reads what it was set to
    and moves only when a step moves it, so a request lands exactly where the step says, not at
    some fraction of a second after. It starts at the real time, so that what the portal compares
    with it (a signature's time, made by the suite) stays within the real world's order."""

    def __init__(self, at: float):
        self._time = at
        self._monotonic = 1_000_000.0

    def time(self) -> float:
        return self._time

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, seconds: float) -> None:
        self._time += seconds
        self._monotonic += seconds
