"""Finding `pg_dump` and `pg_restore` whose major version matches the server's.

A newer pg_dump reads an older server but writes archives an older pg_restore cannot read, and
an older pg_dump refuses a newer server, so the portal asks the server for its version and uses
tools of the same major.

An operator's PORTAL_PG_BIN is obeyed strictly: when it is set, its directory is the only place
looked, so a setting is never silently overridden by another PostgreSQL's tools. When it is not
set, they are looked for, in order: the PostgreSQL bundled with the embedded server package
(pgserver), when installed; Debian's /usr/lib/postgresql/<major>/bin; and the PATH. When none
fits, ToolNotFound says each path tried and why it did not fit (absent, or its PostgreSQL
version) and how to fix it.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path


class ToolNotFound(RuntimeError):
    pass


def server_major(conn) -> int:
    return int(conn.execute("SHOW server_version_num").fetchone()["server_version_num"]) // 10000


def _major_of(binary: Path) -> int | None:
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(found.group(1)) if found else None


def candidates(tool: str, major: int, env: dict | None = None) -> list[Path]:
    env = os.environ if env is None else env
    if env.get("PORTAL_PG_BIN"):
        return [Path(env["PORTAL_PG_BIN"]) / tool]
    found: list[Path] = []
    spec = importlib.util.find_spec("pgserver")
    if spec is not None and spec.origin:
        found.append(Path(spec.origin).parent / "pginstall" / "bin" / tool)
    found.append(Path(f"/usr/lib/postgresql/{major}/bin") / tool)
    on_path = shutil.which(tool)
    if on_path:
        found.append(Path(on_path))
    return found


def find(tool: str, major: int, env: dict | None = None) -> Path:
    """The `tool` (pg_dump, pg_restore) of PostgreSQL `major`, or ToolNotFound saying what was tried."""
    env = os.environ if env is None else env
    tried = []
    for path in candidates(tool, major, env):
        if path.is_file() and os.access(path, os.X_OK):
            version = _major_of(path)
            if version == major:
                return path
            tried.append(f"{path} (PostgreSQL {version})")
        else:
            tried.append(f"{path} (absent)")
    if env.get("PORTAL_PG_BIN"):
        fix = (f"Set PORTAL_PG_BIN to the directory holding {tool} of PostgreSQL {major},"
               " or unset it to look where PostgreSQL installs its tools.")
    else:
        fix = f"Install {tool} of PostgreSQL {major} or set PORTAL_PG_BIN to its directory."
    raise ToolNotFound(f"no {tool} of PostgreSQL {major} found (the server's major version); tried: "
                       + "; ".join(tried) + ". " + fix)
