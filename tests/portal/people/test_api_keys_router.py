import pytest
from pydantic import ValidationError

from portal.people.api_keys_router import KeyIn


def test_a_key_has_a_name_of_1_to_100_printable_characters():
    assert KeyIn(name="  Asset manager ").name == "Asset manager"
    for name in ("", "  ", "x" * 101, "a\tb"):
        with pytest.raises(ValidationError):
            KeyIn(name=name)


def test_nothing_else_is_accepted():
    with pytest.raises(ValidationError):
        KeyIn(name="Asset manager", scope="all")
