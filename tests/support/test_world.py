"""The shape of scenario state: typed scenes, and a World that refuses names it does not have."""
from dataclasses import field

import pytest

from support.harness.scene import Scene, scene, unset
from support.world import EmailScene, SharingScene, SignInScene, WorkScene, World


@scene
class Example(Scene):
    link: str = unset("share link", "share the cut first")
    links: list = field(default_factory=list)


def test_a_field_never_set_fails_with_what_is_missing():
    with pytest.raises(AssertionError, match="this scenario has no share link yet: share the cut first"):
        Example().link


def test_a_field_with_a_default_reads_as_its_default():
    assert Example().links == []


def test_a_misspelt_field_fails_on_write_and_on_read():
    example = Example()
    with pytest.raises(AttributeError):
        example.lnik = "x"
    with pytest.raises(AttributeError, match="known: link, links"):
        example.lnik


def test_has_tells_whether_a_field_was_set():
    example = Example()
    assert not example.has("link")
    example.link = "x"
    assert example.has("link") and example.link == "x"
    assert repr(example) == "Example(link='x', links=[])"


@pytest.mark.parametrize("scene_type", [SignInScene, SharingScene, EmailScene, WorkScene])
def test_every_scene_of_the_world_is_slotted(scene_type):
    with pytest.raises(AttributeError):
        scene_type().no_such_field = 1


def test_the_world_refuses_a_name_it_does_not_have():
    world = World.__new__(World)  # no run needed to check the class's shape
    with pytest.raises(AttributeError):
        world.notes = {}


# -- the World's test data, against a migrated database of its own (skipped without a server) ----

class Run:
    """What a World needs of the run: its connection, and the clock the reset read (None: live mode)."""
    base_url = "http://127.0.0.1:1"
    live = True  # clients without an address of their own: none is used here

    def __init__(self, conn, began_at=None):
        self.conn, self.scenario_began_at = conn, began_at

    def harness_connection(self):
        return self.conn


def test_the_world_takes_the_clock_the_reset_read_and_reads_it_itself_only_without_one(harness_db):
    from datetime import datetime, timezone

    began = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
    assert World(Run(harness_db, began)).started_at == began and harness_db.statements == 0
    read = World(Run(harness_db)).started_at
    assert harness_db.statements == 1 and abs((datetime.now(timezone.utc) - read).total_seconds()) < 60


def test_signing_in_a_new_persona_writes_tenant_account_and_session_in_one_statement(harness_db):
    from support.data.factories import sha256_hex
    from support.drivers.sessions import ensure_signed_in, session_id_in

    world = World(Run(harness_db, "began"))
    theo = ensure_signed_in(world, "Theo")
    session_id = session_id_in(theo.client)
    assert harness_db.statements == 1 and session_id in world.secrets
    stored = harness_db.conn.execute("SELECT s.id_hash, u.name, u.tenant_id FROM sessions s JOIN users u ON u.id = s.user_id"
                                     " WHERE s.user_id = %s", (theo.user_id,)).fetchall()
    assert stored == [{"id_hash": sha256_hex(session_id), "name": "Theo", "tenant_id": world.tenant("Brightside Agency")}]
    assert ensure_signed_in(world, "Theo") is theo and harness_db.statements == 1  # already signed in

    pia = world.account("Pia")  # same organisation: its tenant is not written again
    assert harness_db.statements == 2 and harness_db.conn.execute(
        "SELECT tenant_id FROM users WHERE id = %s", (pia.user_id,)).fetchone()["tenant_id"] == world.tenant("Brightside Agency")
    ensure_signed_in(world, "Pia")  # an account already written: its session on its own
    assert harness_db.statements == 3 and harness_db.conn.execute(
        "SELECT id_hash FROM sessions WHERE user_id = %s", (pia.user_id,)).fetchone()["id_hash"] == sha256_hex(
        session_id_in(pia.client))
    world.close()
