import pytest
from pydantic import ValidationError

from portal.projects.router import AssetIn, ProjectChangeIn, ProjectIn

CUT = {"title": "Harbour Lights", "file_name": "harbour-lights-v3.mov", "size_bytes": 1_000_000,
       "content_type": "video/quicktime"}


def fields_at_fault(model, body) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(body)
    return [".".join(map(str, e["loc"])) for e in raised.value.errors()]


def test_a_cut_with_defaults():
    cut = AssetIn.model_validate(CUT)
    assert (cut.version, cut.size_bytes, cut.content_type) == (1, 1_000_000, "video/quicktime")


@pytest.mark.parametrize("name", ["", "a" * 201, "Harbour\x00Lights", "Harbour\nLights", "\x7f"])
def test_names_and_titles_are_1_to_200_printable_characters(name):
    assert fields_at_fault(ProjectIn, {"name": name}) == ["name"]
    assert fields_at_fault(AssetIn, {**CUT, "title": name}) == ["title"]
    assert fields_at_fault(AssetIn, {**CUT, "file_name": name}) == ["file_name"]


@pytest.mark.parametrize("field", ["playback_id", "storage_key", "status", "duration_seconds"])
def test_what_only_mux_says_cannot_be_supplied(field):
    assert fields_at_fault(AssetIn, {**CUT, field: "a1B2c3"}) == [field]


@pytest.mark.parametrize("field, value", [("version", 0), ("version", "3"), ("size_bytes", 0), ("size_bytes", "10"),
                                          ("content_type", ""), ("content_type", "v" * 101)])
def test_other_fields_out_of_shape(field, value):
    assert fields_at_fault(AssetIn, {**CUT, field: value}) == [field]


def test_unknown_fields_are_refused():
    assert fields_at_fault(ProjectIn, {"name": "Tidewater", "client": "x"}) == ["client"]


def test_data_residency_is_anywhere_or_australia():
    assert ProjectIn.model_validate({"name": "Tidewater"}).data_residency == "anywhere"
    assert ProjectIn.model_validate({"name": "Tidewater", "data_residency": "australia"}).data_residency == "australia"
    assert fields_at_fault(ProjectIn, {"name": "Tidewater", "data_residency": "eu"}) == ["data_residency"]
    assert fields_at_fault(ProjectChangeIn, {"data_residency": "mars"}) == ["data_residency"]
