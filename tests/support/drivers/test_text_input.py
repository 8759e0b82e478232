import pytest

from support.drivers.text_input import CHARACTERS, ORDINARY, PLACES, _with


def test_each_character_is_put_inside_a_title():
    for name, character in CHARACTERS.items():
        assert _with(name) == f"Harbour{character}Lights"


def test_ordinary_text_holds_only_printable_characters_of_several_scripts():
    assert all(ch.isprintable() for ch in ORDINARY)
    assert any(ord(ch) > 0x3000 for ch in ORDINARY) and any(ord(ch) > 0x2700 for ch in ORDINARY)


def test_unknown_names_fail_naming_the_known_ones():
    with pytest.raises(AssertionError, match="a right-to-left override"):
        _with("a smiley")
    assert "a task's description" in PLACES
