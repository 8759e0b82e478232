"""How the portal keeps secrets: how much randomness a key carries, and whether a secret can be
found anywhere in the portal's database."""
from __future__ import annotations

import base64
import binascii
import re

from psycopg import sql


def key_bits(token: str) -> int:
    """Bits of randomness a URL-safe base64 key carries; 0 for anything that is not one."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", token or ""):
        return 0
    try:
        decoded = base64.b64decode(token.replace("-", "+").replace("_", "/") + "=" * (-len(token) % 4), validate=True)
    except (ValueError, binascii.Error):
        return 0
    return len(decoded) * 8


# The columns of every table one may read, in any schema but the catalog's: the columns of
# information_schema's base tables, read from the catalog itself (the same list, by a unit test;
# information_schema's views took 40-60 ms of each look on a busy machine, the catalog a few).
TABLE_COLUMNS = (
    "SELECT n.nspname AS table_schema, c.relname AS table_name, a.attname AS column_name"
    "  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid"
    " WHERE c.relkind IN ('r', 'p') AND c.relpersistence <> 't' AND a.attnum > 0 AND NOT a.attisdropped"
    "   AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
    "   AND (pg_has_role(c.relowner, 'USAGE')"
    "        OR has_column_privilege(c.oid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES'))"
)


def places_holding(world, secret: str) -> list[str]:
    """Every column, of every table of the portal in any schema, whose value as text contains
    `secret` (as it is, or hex encoded as a bytea column would show it)."""
    columns = world.db.execute(TABLE_COLUMNS).fetchall()
    if not columns:
        return []
    # one statement: a look per column, each answering with the column's name when it holds the secret
    looks = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT {place} AS place WHERE EXISTS (SELECT 1 FROM {t} WHERE {c}::text LIKE %(plain)s"
                " OR {c}::text LIKE %(hex)s)").format(
            place=sql.Literal(f"{column['table_schema']}.{column['table_name']}.{column['column_name']}"),
            t=sql.Identifier(column["table_schema"], column["table_name"]), c=sql.Identifier(column["column_name"]))
        for column in columns)
    rows = world.db.execute(looks, {"plain": f"%{secret}%", "hex": f"%{secret.encode().hex()}%"}).fetchall()
    return sorted(row["place"] for row in rows)
