from datetime import timedelta

import pytest

from support.drivers.projects import Cut
from support.drivers.sharing import Link, hours_of, mangled
from support.parameters import TYPES, parse_duration

parse_permission = TYPES["permission"]

TOKEN = "abcdefghijklmnopqrstuvwxyz0123456789ABCD_-Z"
CUT = Cut(7, 3, "Harbour Lights", 3, "a1b2", "Brightside Agency")


def test_a_link_knows_its_path_and_key():
    link = Link(url=f"http://127.0.0.1:8000/s/{TOKEN}", id=1, cut=CUT, created={})
    assert (link.path, link.token) == (f"/s/{TOKEN}", TOKEN)


def test_a_mangled_link_has_lost_the_end_of_its_key():
    link = mangled(Link(url=f"http://p/s/{TOKEN}", id=1, cut=CUT, created={}))
    assert link.token == TOKEN[:-5]


@pytest.mark.parametrize("text, duration, hours", [
    ("1 hour", timedelta(hours=1), 1), ("59 minutes", timedelta(minutes=59), 0),
    ("30 days", timedelta(days=30), 720), ("0 hours", timedelta(0), 0), ("1 day", timedelta(days=1), 24),
])
def test_durations_as_scenarios_say_them(text, duration, hours):
    assert parse_duration(text) == duration
    assert hours_of(duration) == hours


def test_permissions_as_scenarios_say_them():
    assert parse_permission("viewing only") == "view"
    assert parse_permission("viewing and download") == "download"
