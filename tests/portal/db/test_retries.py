import psycopg
import pytest

from portal.db import DatabaseBusy, with_retries


class Attempts:
    def __init__(self, failures: int, error=psycopg.errors.DeadlockDetected):
        self.failures, self.error, self.calls = failures, error, 0

    def __call__(self):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error("deadlock detected")
        return "done"


def test_a_deadlocked_change_is_tried_again():
    attempt = Attempts(failures=2)
    assert with_retries(attempt, attempts=3) == "done"
    assert attempt.calls == 3


def test_after_the_last_try_the_portal_is_busy():
    attempt = Attempts(failures=3)
    with pytest.raises(DatabaseBusy):
        with_retries(attempt, attempts=3)
    assert attempt.calls == 3


def test_serialization_failures_are_tried_again_too():
    assert with_retries(Attempts(1, psycopg.errors.SerializationFailure), attempts=2) == "done"


def test_other_errors_are_not_retried():
    attempt = Attempts(failures=1, error=psycopg.errors.UniqueViolation)
    with pytest.raises(psycopg.errors.UniqueViolation):
        with_retries(attempt, attempts=3)
    assert attempt.calls == 1
