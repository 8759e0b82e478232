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


def places_holding(world, secret: str) -> list[str]:
    """Every column, of every table of the portal in any schema, whose value as text contains
    `secret` (as it is, or hex encoded as a bytea column would show it)."""
    columns = world.db.execute(
        "SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c"
        " JOIN information_schema.tables t USING (table_schema, table_name)"
        " WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')"
    ).fetchall()
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
