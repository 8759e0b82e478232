from datetime import datetime, timezone

import pytest

from portal.audit import query

SECRET = "s" * 32


def _entry(entry_id=7):
    return query.Entry(entry_id, datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=timezone.utc), "task.created",
                       "succeeded", "t***@brightside.example", 3, 2, None, None, {})


def test_a_cursor_reads_back_as_the_position_after_its_entry():
    cursor = query.make_cursor(_entry(), SECRET)
    assert query.read_cursor(cursor, SECRET) == (_entry().occurred_at, 7)


@pytest.mark.parametrize("cursor", ["", "abc", "abc.def", "!!!.x", "W10.AAAA"])
def test_a_cursor_the_portal_did_not_give_is_refused(cursor):
    with pytest.raises(query.BadFilter) as refused:
        query.read_cursor(cursor, SECRET)
    assert refused.value.field == "cursor"


def test_a_cursor_signed_under_another_key_is_refused():
    with pytest.raises(query.BadFilter):
        query.read_cursor(query.make_cursor(_entry(), SECRET), "t" * 32)


def test_a_cursor_moved_to_another_position_is_refused():
    body, _, signature = query.make_cursor(_entry(7), SECRET).partition(".")
    other_body, _, _ = query.make_cursor(_entry(8), SECRET).partition(".")
    with pytest.raises(query.BadFilter):
        query.read_cursor(f"{other_body}.{signature}", SECRET)


@pytest.mark.parametrize("text, key, value", [
    ("project:42", "project_id", "42"), ("cut:007", "asset_id", "7"), ("person:1", "user_id", "1"),
    ("scheduled_task:share-links.expiry-sweep", "task", "share-links.expiry-sweep"),
])
def test_a_subject_names_the_detail_it_is_about(text, key, value):
    assert query.parse_subject(text) == query.Subject(key, value)


@pytest.mark.parametrize("text", ["project", "project:", ":4", "spaceship:4", "project:harbour", "project:0",
                                  "project:-1", f"project:{2**63}", "project:４"])
def test_a_subject_the_portal_cannot_read_is_refused(text):
    with pytest.raises(query.BadFilter):
        query.parse_subject(text)
