"""Email administration: which ids and filters reach the database at all."""
import re

import pytest

from portal.email.admin_router import NO_CONTROL_CHARACTERS, _looks_like_uuid

ID = "8e9f2a2c-5d0b-4c59-9b1e-6f3f1f6f2a10"


@pytest.mark.parametrize("value, canonical", [
    (ID, True),
    (ID.upper(), True),
    (f"urn:uuid:{ID}", False),
    (f"{{{ID}}}", False),
    (ID.replace("-", ""), False),
    (f"{ID}\x00", False),
    ("", False),
])
def test_only_the_canonical_spelling_of_an_email_id_is_looked_up(value, canonical):
    assert _looks_like_uuid(value) is canonical


@pytest.mark.parametrize("recipient, allowed", [
    ("theo@brightside.example", True),
    ("a\x00b", False),
    ("a\nb", False),
    ("a\x7fb", False),
    ("", True),
])
def test_a_recipient_filter_holds_no_control_character(recipient, allowed):
    assert (re.fullmatch(NO_CONTROL_CHARACTERS, recipient) is not None) is allowed
