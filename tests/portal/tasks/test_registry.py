from portal.tasks.registry import TASKS
from portal.tasks.service import is_due


def test_a_task_that_never_ran_is_due():
    assert is_due(None, 15)


def test_a_task_is_due_once_its_interval_has_passed_since_its_last_start():
    assert not is_due(14 * 60 + 59, 15)
    assert is_due(15 * 60, 15)
    assert is_due(10_000, 15)


def test_the_catalogue_names_the_expiry_sweep():
    sweep = TASKS["share-links.expiry-sweep"]
    assert (sweep.name, sweep.every_minutes) == ("share-links.expiry-sweep", 15)
