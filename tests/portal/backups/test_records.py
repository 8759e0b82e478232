from datetime import datetime, timezone

import pytest

from portal.backups.records import Newest, age_state

TAKEN = datetime(2026, 12, 1, tzinfo=timezone.utc)


@pytest.mark.parametrize("hours, state", [
    (0.5, "up"), (30.0, "up"), (30.01, "at_risk"), (36.0, "at_risk"), (36.01, "warning"),
    (60.0, "warning"), (60.01, "critical"),
])
def test_the_age_of_the_newest_backup_is_judged_at_30_36_and_60_hours(hours, state):
    assert age_state(Newest(TAKEN, hours)) == state


def test_no_backup_is_none_recorded():
    assert age_state(None) == "none_recorded"
