import pytest
from pydantic import ValidationError

from portal.sharing.policy import Permission
from portal.sharing.router import ShareLinkIn


def errors(**body) -> dict[str, str]:
    with pytest.raises(ValidationError) as raised:
        ShareLinkIn.model_validate(body)
    return {".".join(map(str, e["loc"])): e["msg"] for e in raised.value.errors()}


def test_an_empty_request_means_a_week_for_viewing_without_a_password():
    link = ShareLinkIn.model_validate({})
    assert (link.expires_in_hours, link.permission, link.password) == (168, Permission.VIEW, None)


def test_a_full_request():
    link = ShareLinkIn.model_validate({"expires_in_hours": 1, "permission": "download", "password": "p" * 128})
    assert (link.expires_in_hours, link.permission, len(link.password)) == (1, Permission.DOWNLOAD, 128)


@pytest.mark.parametrize("hours", [0, 721])
def test_an_expiry_out_of_range_says_what_is_allowed(hours):
    assert errors(expires_in_hours=hours) == {
        "expires_in_hours": "Choose an expiry between 1 hour and 30 days (1 to 720 hours)"}


@pytest.mark.parametrize("hours", ["24", 24.5, True, None])
def test_an_expiry_must_be_a_whole_number(hours):
    assert list(errors(expires_in_hours=hours)) == ["expires_in_hours"]


def test_a_whole_number_written_with_a_point_is_that_number():
    # JSON (and the OpenAPI document's `integer`) does not tell 24.0 from 24
    assert ShareLinkIn.model_validate({"expires_in_hours": 24.0}).expires_in_hours == 24


def test_unknown_permissions_and_fields_are_refused():
    assert list(errors(permission="edit")) == ["permission"]
    assert list(errors(color="red")) == ["color"]


@pytest.mark.parametrize("password", ["p" * 7, "p" * 129, ""])
def test_passwords_are_8_to_128_characters(password):
    assert list(errors(password=password)) == ["password"]
