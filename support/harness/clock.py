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
