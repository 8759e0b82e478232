from datetime import datetime, timezone

from portal.projects.recovery import AT_RISK, COVERED, NO_BACKUP, Backup, coverage

TAKEN = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)


def test_no_backup_recorded():
    point = coverage(24, None)
    assert (point.objective_hours, point.status, point.last_backup_at) == (24, NO_BACKUP, None)


def test_a_backup_within_the_objective_covers_the_project():
    assert coverage(24, Backup(TAKEN, 24.0)).status == COVERED


def test_a_backup_older_than_the_objective_puts_it_at_risk():
    point = coverage(24, Backup(TAKEN, 24.01))
    assert (point.status, point.last_backup_at) == (AT_RISK, TAKEN)
