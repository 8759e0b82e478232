import pytest

from portal.email.delivery import MAX_ATTEMPTS, RETRY_SCHEDULE_MINUTES, retry_delay_seconds


def test_the_schedule_is_1_2_4_8_16_minutes_then_give_up():
    assert RETRY_SCHEDULE_MINUTES == (1, 2, 4, 8, 16)
    assert MAX_ATTEMPTS == 6  # the first attempt and five retries


@pytest.mark.parametrize("attempts_made, delay", [(1, 60), (2, 120), (3, 240), (4, 480), (5, 960)])
def test_delay_follows_the_schedule(attempts_made, delay):
    assert retry_delay_seconds(attempts_made) == delay


@pytest.mark.parametrize("attempts_made", [6, 7, 100])
def test_no_retry_after_the_last_attempt(attempts_made):
    assert retry_delay_seconds(attempts_made) is None


def test_the_last_attempt_gives_up_even_when_the_provider_names_a_time():
    assert retry_delay_seconds(MAX_ATTEMPTS, retry_after_seconds=30) is None


def test_retry_after_wins_when_longer_than_the_schedule():
    assert retry_delay_seconds(1, retry_after_seconds=300) == 300
    assert retry_delay_seconds(5, retry_after_seconds=961) == 961


def test_the_schedule_wins_when_retry_after_is_shorter_or_absent():
    assert retry_delay_seconds(1, retry_after_seconds=30) == 60
    assert retry_delay_seconds(3, retry_after_seconds=240) == 240
    assert retry_delay_seconds(2, retry_after_seconds=0) == 120
    assert retry_delay_seconds(2, retry_after_seconds=None) == 120


@pytest.mark.parametrize("seconds, words", [(60, "1 minute"), (120, "2 minutes"), (960, "16 minutes"),
                                            (300, "5 minutes"), (90, "90 seconds"), (7, "7 seconds")])
def test_the_timeline_says_when_the_next_attempt_comes(seconds, words):
    from portal.email.delivery import _duration

    assert _duration(seconds) == words
