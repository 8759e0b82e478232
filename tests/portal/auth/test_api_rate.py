"""The JSON API's budget: what a window says, in the IETF RateLimit fields."""
from portal.auth.api_rate import Window, reset_after


def test_within_the_budget_the_fields_say_what_is_left():
    window = Window(limit=60, window_seconds=60, hits=60, reset_seconds=12)
    assert window.allowed and window.remaining == 0
    assert window.headers() == {"RateLimit-Policy": '"default";q=60;w=60', "RateLimit": '"default";r=0;t=12'}


def test_over_the_budget_the_answer_says_when_to_come_back():
    window = Window(limit=60, window_seconds=60, hits=61, reset_seconds=12)
    assert not window.allowed and window.remaining == 0
    assert window.headers()["Retry-After"] == "12"


def test_the_first_request_leaves_the_limit_less_one():
    assert Window(limit=60, window_seconds=60, hits=1, reset_seconds=60).remaining == 59


def test_the_reset_is_whole_seconds_and_never_zero():
    assert (reset_after(0.2), reset_after(0.0), reset_after(-3), reset_after(59.01), reset_after(60)) == (1, 1, 1, 60, 60)
