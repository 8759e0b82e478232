import base64

import pytest

from support.drivers.secrets_at_rest import key_bits

TOKEN = "abcdefghijklmnopqrstuvwxyz0123456789ABCD_-Z"


def test_key_bits():
    assert key_bits(TOKEN) == 256
    assert key_bits(base64.urlsafe_b64encode(b"\x00" * 16).decode().rstrip("=")) == 128
    assert key_bits("") == 0


@pytest.mark.parametrize("bad", ["a", "A" * 42 + "!"])
def test_key_bits_of_something_undecodable_is_zero(bad):
    assert key_bits(bad) == 0


INFORMATION_SCHEMA_COLUMNS = (
    "SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c"
    " JOIN information_schema.tables t USING (table_schema, table_name)"
    " WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')")


def test_the_catalog_lists_the_columns_information_schema_lists_as_those_of_base_tables(harness_db):
    from support.drivers.secrets_at_rest import TABLE_COLUMNS

    db = harness_db.conn
    # besides the portal's tables: another schema, a partitioned table, a temporary table and a view
    db.execute("CREATE SCHEMA IF NOT EXISTS elsewhere; CREATE TABLE IF NOT EXISTS elsewhere.kept (note text);"
               " CREATE TABLE IF NOT EXISTS elsewhere.parts (at date, note text) PARTITION BY RANGE (at);"
               " CREATE TEMPORARY TABLE scratch (note text); CREATE OR REPLACE VIEW elsewhere.seen AS SELECT 1 AS one;"
               " ALTER TABLE elsewhere.kept ADD COLUMN gone int; ALTER TABLE elsewhere.kept DROP COLUMN gone")
    try:
        listed = lambda query: sorted(tuple(row.values()) for row in db.execute(query).fetchall())
        catalog = listed(TABLE_COLUMNS)
        assert catalog == listed(INFORMATION_SCHEMA_COLUMNS)
        assert ("elsewhere", "parts", "note") in catalog and ("public", "users", "email") in catalog
    finally:
        db.execute("DROP SCHEMA elsewhere CASCADE; DROP TABLE scratch")


def test_a_secret_is_found_in_every_column_holding_it_as_it_is_or_hex_encoded(harness_db):
    from support.drivers.secrets_at_rest import places_holding

    class World:
        db = harness_db.conn

    secret = "a-secret-of-the-test-9f3c"
    harness_db.conn.execute("INSERT INTO tenants (slug, name, kind) VALUES (%s, %s, 'studio')",
                            (f"x{secret}x", secret.encode().hex()))
    assert places_holding(World, secret) == ["public.tenants.name", "public.tenants.slug"]
    assert places_holding(World, "nowhere-9f3c") == []
