import pytest
from pydantic import ValidationError

from portal.projects.router import AssetIn, ProjectIn

CUT = {"title": "Harbour Lights", "playback_id": "a1B2c3", "storage_key": "cuts/harbour-lights/v3.mov"}


def fields_at_fault(model, body) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(body)
    return [".".join(map(str, e["loc"])) for e in raised.value.errors()]


def test_a_cut_with_defaults():
    cut = AssetIn.model_validate(CUT)
    assert (cut.version, cut.duration_seconds, cut.status) == (1, None, "ready")


@pytest.mark.parametrize("name", ["", "a" * 201, "Harbour\x00Lights", "Harbour\nLights", "\x7f"])
def test_names_and_titles_are_1_to_200_printable_characters(name):
    assert fields_at_fault(ProjectIn, {"name": name}) == ["name"]
    assert fields_at_fault(AssetIn, {**CUT, "title": name}) == ["title"]


@pytest.mark.parametrize("key", ["../etc/passwd", "cuts//v3.mov", "/cuts/v3.mov", "cuts/v3 final.mov", "a" * 513])
def test_a_storage_key_is_a_plain_relative_path(key):
    assert fields_at_fault(AssetIn, {**CUT, "storage_key": key}) == ["storage_key"]


@pytest.mark.parametrize("field, value", [("playback_id", "a-b"), ("version", 0), ("version", "3"),
                                          ("duration_seconds", 0), ("duration_seconds", 86_401), ("status", "done")])
def test_other_fields_out_of_shape(field, value):
    assert fields_at_fault(AssetIn, {**CUT, field: value}) == [field]


def test_unknown_fields_are_refused():
    assert fields_at_fault(ProjectIn, {"name": "Tidewater", "client": "x"}) == ["client"]
