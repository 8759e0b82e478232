import pytest

from portal.auth.rate_limit import Decision
from portal.sharing.policy import (
    DEFAULT_EXPIRY_HOURS,
    LOCKOUT_WINDOW_SECONDS,
    MAX_EXPIRY_HOURS,
    MIN_EXPIRY_HOURS,
    Permission,
    check_expiry_hours,
    password_attempt_allowed,
)


def test_the_default_expiry_is_a_week_and_the_range_one_hour_to_thirty_days():
    assert (MIN_EXPIRY_HOURS, DEFAULT_EXPIRY_HOURS, MAX_EXPIRY_HOURS) == (1, 168, 720)


@pytest.mark.parametrize("hours", [1, 2, 168, 719, 720])
def test_expiries_within_the_range_are_accepted(hours):
    assert check_expiry_hours(hours) == hours


@pytest.mark.parametrize("hours", [-1, 0, 721, 744, 10**9])
def test_expiries_outside_the_range_are_refused_with_a_clear_message(hours):
    with pytest.raises(ValueError) as raised:
        check_expiry_hours(hours)
    assert str(raised.value) == "Choose an expiry between 1 hour and 30 days (1 to 720 hours)"


@pytest.mark.parametrize("raw, permission, downloads", [("view", Permission.VIEW, False),
                                                        ("download", Permission.DOWNLOAD, True)])
def test_permissions(raw, permission, downloads):
    assert Permission(raw) is permission
    assert permission.allows_download is downloads


@pytest.mark.parametrize("raw", ["edit", "VIEW", "", "view,download"])
def test_unknown_permissions_are_refused(raw):
    with pytest.raises(ValueError):
        Permission(raw)


def test_four_recent_failures_leave_the_link_open():
    assert password_attempt_allowed([10, 20, 30, 40]) == Decision(True, 0)


def test_five_failures_within_the_window_lock_the_link_until_the_oldest_leaves_it():
    assert password_attempt_allowed([60, 50, 40, 30, 20]) == Decision(False, LOCKOUT_WINDOW_SECONDS - 60)


def test_the_lockout_ends_with_the_window_the_failures_opened():
    assert password_attempt_allowed([LOCKOUT_WINDOW_SECONDS, 50, 40, 30, 20]) == Decision(True, 0)
    assert password_attempt_allowed([16 * 60] * 5) == Decision(True, 0)


def test_failures_older_than_fifteen_minutes_do_not_count():
    assert password_attempt_allowed([901, 1000, 5000, 30, 20]) == Decision(True, 0)
