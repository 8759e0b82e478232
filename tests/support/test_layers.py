"""The harness's layers import one way (support/README.md): a driver never imports the World or a
fixture, the harness never imports a driver, and nothing in support/ imports the steps."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SUPPORT = Path(__file__).resolve().parents[2] / "support"
ALLOWED = {
    "data": set(),
    "evidence": {"data"},
    "fakes": {"data", "evidence"},
    "harness": {"data", "evidence", "fakes"},
    "drivers": {"harness", "evidence", "data", "fakes"},
}
TOP_LEVEL = {"world", "fixtures", "parameters"}  # behave's wiring: may import any layer


def layer_of(path: Path) -> str:
    parts = path.relative_to(SUPPORT).parts
    return parts[0] if len(parts) > 1 else path.stem


def imported_layers(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "steps":
                found.add("steps")
            elif parts[0] == "support" and len(parts) > 1:
                found.add(parts[1])
    return found


MODULES = sorted(p for p in SUPPORT.rglob("*.py") if layer_of(p) not in TOP_LEVEL and p.name != "__init__.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SUPPORT)))
def test_each_layer_imports_only_what_the_table_allows(path):
    layer = layer_of(path)
    assert layer in ALLOWED, f"{layer}/ is a folder support/README.md does not describe"
    wrong = imported_layers(path) - ALLOWED[layer] - {layer}
    assert not wrong, f"support/{path.relative_to(SUPPORT)} imports {', '.join(sorted(wrong))}: see support/README.md"


def test_nothing_in_support_imports_the_steps():
    offenders = [p for p in SUPPORT.rglob("*.py") if "steps" in imported_layers(p)]
    assert not offenders, offenders
