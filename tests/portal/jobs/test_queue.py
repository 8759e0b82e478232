"""Job kinds: a retry schedule exact at every attempt, and a bound for kinds nobody handles."""
import pytest

from portal.jobs import queue


def noop(conn, payload):
    return None


def test_the_default_schedule_doubles_from_30_seconds_and_stops_after_the_fifth_attempt():
    kind = queue.JobKind("k", noop, "k")
    assert [kind.delay_after(n) for n in range(1, 6)] == [30, 60, 120, 240, None]
    assert kind.max_attempts == 5


def test_a_kind_may_have_a_schedule_of_its_own():
    kind = queue.JobKind("k", noop, "k", retry_delays=(5,))
    assert (kind.delay_after(1), kind.delay_after(2), kind.max_attempts) == (5, None, 2)


def test_a_job_of_an_unknown_kind_is_retried_a_bounded_number_of_times():
    assert queue.UNKNOWN.max_attempts == queue.MAX_JOB_ATTEMPTS == 5
    with pytest.raises(LookupError):
        queue.UNKNOWN.handler(None, {})


def test_plain_handlers_get_the_default_schedule():
    kinds = queue.as_kinds({"a": noop, "b": queue.JobKind("b", noop, "b", (1,))})
    assert kinds["a"].retry_delays == queue.DEFAULT_RETRY_DELAYS and kinds["b"].retry_delays == (1,)
