import os
import stat
from pathlib import Path

import pytest

from portal.backups import tools


def _fake_tool(directory, name, major):
    path = directory / name
    path.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {major}.3'\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_tool_of_the_servers_major_version_is_chosen(tmp_path):
    wanted = _fake_tool(tmp_path, "pg_dump", 14)
    assert tools.find("pg_dump", 14, env={"PORTAL_PG_BIN": str(tmp_path), "PATH": os.environ.get("PATH", "")}) == wanted


def test_without_a_matching_tool_the_error_says_what_was_tried(tmp_path):
    _fake_tool(tmp_path, "pg_dump", 13)
    with pytest.raises(tools.ToolNotFound) as missing:
        tools.find("pg_dump", 99, env={"PORTAL_PG_BIN": str(tmp_path)})
    assert "no pg_dump of PostgreSQL 99" in str(missing.value)
    assert f"{tmp_path / 'pg_dump'} (PostgreSQL 13)" in str(missing.value)
    assert "PORTAL_PG_BIN" in str(missing.value)


def test_an_operators_portal_pg_bin_is_the_only_place_looked(tmp_path):
    assert tools.candidates("pg_dump", 15, env={"PORTAL_PG_BIN": str(tmp_path), "PATH": os.environ.get("PATH", "")}) \
        == [tmp_path / "pg_dump"]


def test_a_portal_pg_bin_without_the_tool_fails_even_where_postgresql_installs_it(tmp_path):
    with pytest.raises(tools.ToolNotFound) as missing:
        tools.find("pg_dump", 15, env={"PORTAL_PG_BIN": str(tmp_path), "PATH": os.environ.get("PATH", "")})
    message = str(missing.value)
    assert f"tried: {tmp_path / 'pg_dump'} (absent)." in message
    assert "/usr/lib/postgresql" not in message
    assert "Set PORTAL_PG_BIN to the directory holding pg_dump of PostgreSQL 15, or unset it" in message


def test_without_portal_pg_bin_the_usual_places_are_looked(tmp_path):
    places = tools.candidates("pg_dump", 15, env={"PATH": str(tmp_path)})
    assert Path("/usr/lib/postgresql/15/bin/pg_dump") in places
