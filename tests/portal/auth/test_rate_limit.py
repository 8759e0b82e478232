import pytest

from portal.auth.rate_limit import Decision, decide

HOUR = 3600


def test_no_hits_is_allowed():
    assert decide([], 5, HOUR) == Decision(True, 0)


def test_under_the_limit_is_allowed():
    assert decide([10, 20, 30, 40], 5, HOUR) == Decision(True, 0)


def test_at_the_limit_is_refused_until_the_oldest_counted_hit_leaves_the_window():
    assert decide([10, 20, 30, 40, 50], 5, HOUR) == Decision(False, 3550)


def test_the_order_of_the_ages_does_not_matter():
    assert decide([50, 10, 40, 20, 30], 5, HOUR) == Decision(False, 3550)


def test_hits_older_than_the_window_are_ignored():
    assert decide([10, 20, 30, 40, HOUR, HOUR + 1, 99999], 5, HOUR) == Decision(True, 0)


def test_a_hit_exactly_window_old_has_left_the_window():
    assert decide([HOUR, 1, 2, 3, 4], 5, HOUR) == Decision(True, 0)


def test_over_the_limit_waits_for_enough_hits_to_leave():
    # six counted hits, limit five: both the 60 s and the 50 s old hit must go before a slot frees
    assert decide([60, 50, 40, 30, 20, 10], 5, HOUR) == Decision(False, 3550)
    assert decide([3000, 50, 40, 30, 20, 10], 5, HOUR) == Decision(False, 3550)
    assert decide([3000, 2000, 40, 30, 20, 10], 5, HOUR) == Decision(False, 1600)


def test_retry_after_is_rounded_up_to_whole_seconds():
    assert decide([10, 20, 30, 40, 50.5], 5, HOUR) == Decision(False, 3550)
    assert decide([10, 20, 30, 40, 50.1], 5, HOUR) == Decision(False, 3550)
    assert decide([10, 20, 30, 40, 49.9], 5, HOUR) == Decision(False, 3551)


@pytest.mark.parametrize("oldest", [3599.5, 3599.999, 3599.0])
def test_retry_after_is_never_below_one_second(oldest):
    assert decide([oldest, 1, 2, 3, 4], 5, HOUR) == Decision(False, 1)


def test_limit_of_one():
    assert decide([], 1, 60) == Decision(True, 0)
    assert decide([15], 1, 60) == Decision(False, 45)
    assert decide([60], 1, 60) == Decision(True, 0)


def test_a_fresh_burst_waits_the_whole_window():
    assert decide([0, 0, 0], 3, 600) == Decision(False, 600)

