"""Finding `pg_dump` and `pg_restore` whose major version matches the server's.

A newer pg_dump reads an older server but writes archives an older pg_restore cannot read, and
an older pg_dump refuses a newer server, so the portal asks the server for its version and uses
tools of the same major. Looked for, in order: the directory in PORTAL_PG_BIN; the PostgreSQL
bundled with the embedded server package (pgserver), when installed; Debian's
/usr/lib/postgresql/<major>/bin; and the PATH.
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
    found: list[Path] = []
    if env.get("PORTAL_PG_BIN"):
        found.append(Path(env["PORTAL_PG_BIN"]) / tool)
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
    tried = []
    for path in candidates(tool, major, env):
        if path.is_file() and os.access(path, os.X_OK):
            version = _major_of(path)
            if version == major:
                return path
            tried.append(f"{path} (PostgreSQL {version})")
        else:
            tried.append(f"{path} (absent)")
    raise ToolNotFound(f"no {tool} of PostgreSQL {major} found (the server's major version); tried: "
                       + "; ".join(tried) + ". Install it or set PORTAL_PG_BIN to its directory.")
