from portal.backups import service


def test_identical_tables_differ_in_nothing():
    tables = {"a": {"rows": 2, "checksum": "x"}, "b": {"rows": 0, "checksum": ""}}
    assert service.compare(tables, dict(tables)) == []


def test_every_kind_of_difference_is_named():
    expected = {"a": {"rows": 2, "checksum": "x"}, "b": {"rows": 1, "checksum": "y"}, "gone": {"rows": 0, "checksum": ""}}
    found = {"a": {"rows": 3, "checksum": "x"}, "b": {"rows": 1, "checksum": "z"}, "new": {"rows": 0, "checksum": ""}}
    assert service.compare(expected, found) == [
        "gone: missing after the restore", "new: not in the backup",
        "a: 2 rows in the backup, 3 restored", "b: the rows differ from the backup's",
    ]
