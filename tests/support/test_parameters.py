"""Step parameter types accept exactly their phrases, longest first, and know their values."""
import parse
import pytest

from support.parameters import TYPES, phrases


def test_a_phrase_type_matches_only_its_phrases():
    kinds = phrases(["a link", "a link to a deleted cut"], "A link.")
    pattern = parse.compile("Gina holds {kind:kind}", extra_types={"kind": kinds})
    assert pattern.parse("Gina holds a link to a deleted cut")["kind"] == "a link to a deleted cut"
    assert pattern.parse("Gina holds a link")["kind"] == "a link"
    assert pattern.parse("Gina holds a ticket") is None


def test_a_phrase_type_converts_and_lists_its_values():
    on_off = TYPES["on_off"]
    assert (on_off("on"), on_off("off")) == (True, False)
    assert on_off.values == ["off", "on"]


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_type_says_what_it_stands_for(name):
    assert (TYPES[name].__doc__ or "").strip(), f"the parameter type {name} has no description"


def test_personas_resolve_to_the_glossary():
    assert TYPES["persona"]("Theo").role == "producer"
