"""What the suite counts of a database to compare it with a backup's manifest, against a migrated
database of its own (skipped without a server)."""
import hashlib

from support.drivers.backups import counted


def test_every_table_is_counted_with_the_md5_of_its_rows_in_text_order(migrated_database, harness_db):
    db = harness_db.conn
    slugs = [db.execute("INSERT INTO tenants (slug, name, kind) VALUES (gen_random_uuid()::text, 'A', 'studio')"
                        " RETURNING id").fetchone()["id"] for _ in range(2)]
    # in the database's own text order (its collation, not Python's)
    rows = [r["t"] for r in db.execute("SELECT t::text AS t FROM tenants t ORDER BY t::text").fetchall()]
    tables = [r["tablename"] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]

    counts = counted(migrated_database)

    assert sorted(counts) == sorted(tables) and len(slugs) == 2
    assert counts["tenants"] == {"rows": len(rows), "checksum": hashlib.md5("\n".join(rows).encode()).hexdigest()}
    empty = next(name for name in tables if db.execute(f'SELECT count(*) AS n FROM "{name}"').fetchone()["n"] == 0)
    assert counts[empty] == {"rows": 0, "checksum": ""}
