"""What names, titles and descriptions may hold."""
import pytest

from portal.text import problem


@pytest.mark.parametrize("value", ["Harbour Lights", "Café — 港の光 ✨", "Ølstrand’s “Final” cut", "", "a\u00a0b"])
def test_ordinary_text_in_any_script_is_fine(value):
    assert problem(value) is None
    assert problem(value, multiline=True) is None


@pytest.mark.parametrize("character", ["\x00", "\x1f", "\x7f", "\x80", "\x85", "\x9f", "\u202e", "\u202a", "\u2066",
                                       "\u2069", "\u200f", "\u061c", "\u2028"])
def test_invisible_and_control_characters_are_refused_anywhere(character):
    assert problem(f"a{character}b") is not None
    assert problem(f"a{character}b", multiline=True) is not None


@pytest.mark.parametrize("character", ["\n", "\r", "\t"])
def test_line_breaks_and_tabs_only_in_multiline_text(character):
    assert problem(f"a{character}b") is not None
    assert problem(f"a{character}b", multiline=True) is None


def test_the_problem_names_the_character():
    assert "U+202E" in problem("cut_v3\u202evom.exe")
    assert "bidirectional" in problem("x\u202e")
