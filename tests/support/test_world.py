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
