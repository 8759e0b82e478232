"""Makes the repository root importable (portal, support) however pytest is started."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_configure(config):
    # Starlette's TestClient still works on httpx; the notice about httpx2 is not about this project
    config.addinivalue_line(
        "filterwarnings", "ignore:Using `httpx` with `starlette.testclient` is deprecated"
    )
