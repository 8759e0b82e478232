"""What the invitation endpoints accept as input."""
import pytest
from pydantic import ValidationError

from portal.people.router import AcceptIn, InvitationIn


def test_an_invitation_names_an_address_and_a_role():
    body = InvitationIn(email=" nell@brightside.example ", role="producer")
    assert (body.email, body.role.value, body.organisation_id) == ("nell@brightside.example", "producer", None)


@pytest.mark.parametrize("body", [
    {"email": "not an address", "role": "producer"},
    {"email": "nell@brightside.example", "role": "owner"},
    {"email": "nell@brightside.example", "role": "producer", "organisation_id": 0},
    {"email": "nell@brightside.example", "role": "producer", "extra": 1},
])
def test_a_malformed_invitation_is_refused(body):
    with pytest.raises(ValidationError):
        InvitationIn(**body)


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "Nell\nWard"])
def test_a_name_is_1_to_100_printable_characters(name):
    with pytest.raises(ValidationError):
        AcceptIn(token="t" * 43, name=name)


def test_a_name_is_trimmed():
    assert AcceptIn(token="t" * 43, name="  Nell Ward ").name == "Nell Ward"
