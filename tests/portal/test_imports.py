"""Imports in the portal run one way: entrypoints (the app, the command line, each package's
router) -> domain packages -> shared infrastructure (config, db, security, request_id). A domain's
own code never imports the web layer, and no two domain packages import each other, directly or
round a longer cycle. Domains that must react to each other do it through a registry wired in
portal/app.py (e.g. portal/projects/removal.py, portal/accounts/leaving.py)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[2] / "portal"
COMPOSITION_ROOTS = {"portal.app", "portal.__main__"}
WEB = "web"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PORTAL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every portal module `path` imports, at any depth of the file (function-level imports too)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
            elif node.module:
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
    return {f for f in found if f == "portal" or f.startswith("portal.")}


def _package_of(module: str) -> str | None:
    """The top-level package a module belongs to, or None for a top-level module (config, db...)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PORTAL / parts[1]).is_dir()) else None


def _is_entrypoint(module: str) -> bool:
    leaf = module.rsplit(".", 1)[-1]
    return module in COMPOSITION_ROOTS or leaf == "router" or leaf.endswith("_router")


MODULES = {_module_name(p): p for p in PORTAL.rglob("*.py")}
DOMAIN_MODULES = sorted(m for m in MODULES if _package_of(m) not in (None, WEB) and not _is_entrypoint(m))


def package_graph() -> dict[str, set[str]]:
    """Which packages each package's own (non-entrypoint) code imports."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        source = _package_of(module)
        if source is None or _is_entrypoint(module):
            continue
        for target in _imports(path):
            target_package = _package_of(target)
            if target_package is not None and target_package != source:
                graph.setdefault(source, set()).add(target_package)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    visiting, done = [], set()

    def visit(node):
        if node in visiting:
            return visiting[visiting.index(node):] + [node]
        if node in done:
            return None
        visiting.append(node)
        for nxt in sorted(graph.get(node, ())):
            cycle = visit(nxt)
            if cycle:
                return cycle
        visiting.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start)
        if cycle:
            return cycle
    return None


def test_no_two_portal_packages_import_each_other():
    cycle = find_cycle(package_graph())
    assert cycle is None, "an import cycle between the portal's packages: " + " -> ".join(cycle)


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_a_domains_own_code_never_imports_the_web_layer(module):
    web = sorted(i for i in _imports(MODULES[module]) if _package_of(i) == WEB)
    assert not web, f"{module} imports {', '.join(web)}: only a package's router (entrypoint) may"


def test_the_cycle_finder_finds_a_cycle_and_names_it():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_walk_sees_function_level_and_relative_imports():
    graph = package_graph()
    assert "projects" in graph.get("sharing", set())  # sharing.guest reads the cut it shows
    assert "jobs" in graph.get("email", set())        # the outbox wakes the worker on the queue's channel
