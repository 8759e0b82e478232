"""The audit kinds catalogue and the portal's code list the same kinds, both ways.

The walk finds every call that writes an audit entry: `audit.record(conn, KIND, ...)` and the
calls of any helper that passes one of its own parameters on as the kind (such as
`service.audit_work(conn, user, KIND, ...)`). A kind must be a string literal, or a conditional
between literals, so that the catalogue can be checked without running the portal."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from portal.audit import kinds

PORTAL = Path(__file__).resolve().parents[3] / "portal"


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _literals(node: ast.expr) -> list[str] | None:
    """The kinds an expression can be, or None when it is not made of string literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _kind_argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PORTAL.rglob("*.py"))}


def written_kinds(trees: dict[Path, ast.Module] | None = None) -> tuple[dict[str, list[str]], list[str]]:
    """Every kind the code writes (kind -> where), and the writes whose kind could not be read."""
    trees = _trees() if trees is None else trees
    # writers: function name -> (position of the kind argument, its keyword name)
    writers: dict[str, tuple[int, str]] = {"record": (1, "action")}
    passing: set[tuple[Path, int]] = set()  # calls that hand a helper's own parameter on
    changed = True
    while changed:  # a helper of a helper is a writer too
        changed = False
        for path, tree in trees.items():
            for func in ast.walk(tree):
                if not isinstance(func, ast.FunctionDef) or func.name in writers:
                    continue
                params = [a.arg for a in func.args.args]
                for call in ast.walk(func):
                    if not _writes(call, writers):
                        continue
                    argument = _kind_argument(call, *writers[_name(call.func)])
                    if isinstance(argument, ast.Name) and argument.id in params:
                        writers[func.name] = (params.index(argument.id), argument.id)
                        passing.add((path, call.lineno))
                        changed = True
    found: dict[str, list[str]] = {}
    unreadable: list[str] = []
    for path, tree in trees.items():
        for call in ast.walk(tree):
            if not _writes(call, writers) or (path, call.lineno) in passing:
                continue
            where = f"{path.relative_to(PORTAL.parent)}:{call.lineno}"
            argument = _kind_argument(call, *writers[_name(call.func)])
            values = _literals(argument) if argument is not None else None
            if values is None:
                unreadable.append(where)
                continue
            for value in values:
                found.setdefault(value, []).append(where)
    return found, unreadable


def _writes(node: ast.AST, writers: dict[str, tuple[int, str]]) -> bool:
    """A call of a writer; `record` only as `audit.record(...)`, not another module's `record`."""
    if not isinstance(node, ast.Call) or _name(node.func) not in writers:
        return False
    if _name(node.func) != "record":
        return True
    return isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and node.func.value.id == "audit"


def test_every_kind_the_portal_writes_is_in_the_catalogue():
    found, _ = written_kinds()
    missing = {kind: where for kind, where in found.items() if kind not in kinds.KINDS}
    assert not missing, f"audit kinds written but not in portal/audit/kinds.py: {missing}"


def test_every_kind_in_the_catalogue_is_written_somewhere():
    found, _ = written_kinds()
    unused = sorted(set(kinds.KINDS) - set(found))
    assert not unused, f"audit kinds in the catalogue that no code writes: {unused}"


def test_every_audit_write_names_its_kind_as_a_literal():
    _, unreadable = written_kinds()
    assert not unreadable, f"audit writes whose kind is not a string literal (the catalogue cannot be checked): {unreadable}"


def test_the_walk_follows_helpers_and_conditionals():
    source = '''
from portal.audit import log as audit
def helper(conn, user, action, details):
    audit.record(conn, action, "succeeded", actor_label="x")
def outer(conn, user, what):
    helper(conn, user, what, {})
def use(conn, user, done):
    helper(conn, user, "thing.made", {})
    outer(conn, user, "thing.nested")
    audit.record(conn, "a.yes" if done else "a.no", "succeeded", actor_label="x")
    other.record(conn, "not.an.audit.kind")
'''
    found, unreadable = written_kinds({PORTAL / "x" / "sample.py": ast.parse(source)})
    assert sorted(found) == ["a.no", "a.yes", "thing.made", "thing.nested"]
    assert unreadable == []


def test_a_kind_computed_at_run_time_is_reported_as_unreadable():
    source = 'from portal.audit import log as audit\ndef f(conn, x):\n    audit.record(conn, "k." + x, "ok", actor_label="a")\n'
    _, unreadable = written_kinds({PORTAL / "x" / "sample.py": ast.parse(source)})
    assert unreadable == ["portal/x/sample.py:3"]


def test_every_kind_has_a_description_and_says_whether_it_names_a_person():
    for kind in kinds.KINDS.values():
        assert kind.description.strip() and isinstance(kind.names_person, bool), kind


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(kinds.UnknownAuditKind, match="'no.such.kind'"):
        kinds.get("no.such.kind")


FEATURE = PORTAL.parent / "features" / "audit" / "reading_the_audit_log.feature"


def outline_rows() -> dict[str, tuple[str, bool]]:
    """The catalogue outline's Examples: kind -> (description, names a person)."""
    text = FEATURE.read_text(encoding="utf-8")
    table = text.split('Scenario Outline: The catalogue explains "<kind>"', 1)[1]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in table.splitlines() if line.strip().startswith("|")]
    return {kind: (description, names == "yes") for kind, description, names in rows[1:]}


def test_the_feature_specifies_every_kind_in_the_catalogue_and_no_other():
    specified = outline_rows()
    listed = {k.name: (k.description, k.names_person) for k in kinds.KINDS.values()}
    assert sorted(set(listed) - set(specified)) == [], "kinds in the catalogue that no scenario specifies"
    assert sorted(set(specified) - set(listed)) == [], "kinds a scenario specifies that the catalogue lacks"
    differing = {k: (specified[k], listed[k]) for k in listed if specified[k] != listed[k]}
    assert differing == {}, "description or names-a-person differs between the feature and the catalogue"
