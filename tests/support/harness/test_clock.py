"""Moving records back in time, against a migrated database of its own (skipped without a server)."""
from support.harness import clock


class World:
    def __init__(self, db):
        self.db = db


def test_a_move_shifts_the_columns_of_the_matching_rows_and_says_how_many_moved(harness_db):
    db = harness_db.conn
    tenant = db.execute("INSERT INTO tenants (slug, name, kind) VALUES (gen_random_uuid()::text, 'A', 'studio')"
                        " RETURNING id, created_at").fetchone()
    assert clock.move_back(World(db), "tenants", ("created_at",), 90, "id = %s", (tenant["id"],)) == 1
    moved = db.execute("SELECT created_at FROM tenants WHERE id = %s", (tenant["id"],)).fetchone()["created_at"]
    assert (tenant["created_at"] - moved).total_seconds() == 90 * 60
    assert clock.move_back(World(db), "tenants", ("created_at",), 90, "id = %s", (-1,)) == 0


def test_moves_in_a_pipeline_say_how_many_moved_once_it_is_synced(harness_db):
    db = harness_db.conn
    ids = [db.execute("INSERT INTO tenants (slug, name, kind) VALUES (gen_random_uuid()::text, 'A', 'studio')"
                      " RETURNING id").fetchone()["id"] for _ in range(2)]
    with db.pipeline():
        both = clock.moving_back(World(db), "tenants", ("created_at",), 1, "id = ANY(%s)", (ids,))
        none = clock.moving_back(World(db), "tenants", ("created_at",), 1, "id = %s", (-1,))
    assert (both.rowcount, none.rowcount) == (2, 0)
