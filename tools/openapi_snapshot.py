"""The committed snapshot of the portal's OpenAPI document, docs/openapi.json, and what changed since.

    ./dev python tools/openapi_snapshot.py            # compare the served document with the snapshot
    ./dev python tools/openapi_snapshot.py --write    # refresh the snapshot after a compatible change

Integrations are built against the snapshot. A change that can break one of them is named as
breaking: an operation removed, a status an operation answered removed, a field of an answer
removed or no longer always there, a type narrowed (another type, fewer enum values, a tighter
bound, a new pattern), a new required input (parameter, body, or body field). Anything else (a new
operation, status, optional input or answer field, a description) is compatible and only asks for
the snapshot to be refreshed. Exit status: 0 same, 1 compatible changes only, 2 breaking changes.
tests/tools/test_openapi_snapshot.py runs the same comparison in the unit tests.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "docs" / "openapi.json"
REFRESH = "./dev python tools/openapi_snapshot.py --write"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def served() -> dict:
    """The document this code serves at /openapi.json (no database needed to build it)."""
    sys.path.insert(0, str(ROOT))
    from portal.app import create_app
    from portal.config import Settings

    return create_app(Settings(database_url="postgresql://snapshot@127.0.0.1:9/none")).openapi()


def render(document: dict) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@dataclass
class Changes:
    breaking: list[str] = field(default_factory=list)
    compatible: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = []
        if self.breaking:
            lines.append(f"BREAKING changes to the API ({len(self.breaking)}): integrations built on docs/openapi.json may fail")
            lines += [f"  - {c}" for c in self.breaking]
        if self.compatible:
            lines.append(f"Compatible changes ({len(self.compatible)}): refresh the snapshot with `{REFRESH}`")
            lines += [f"  - {c}" for c in self.compatible]
        return "\n".join(lines) or "The served OpenAPI document matches docs/openapi.json."


class _Doc:
    def __init__(self, document: dict):
        self.document = document

    def resolve(self, node):
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 50:
            target = self.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target.get(part, {})
            node, seen = target, seen + 1
        return node if isinstance(node, dict) else {}


def compare(old: dict, new: dict) -> Changes:
    changes = Changes()
    before, after = _Doc(old), _Doc(new)
    old_paths, new_paths = old.get("paths", {}), new.get("paths", {})
    for path in sorted(set(old_paths) | set(new_paths)):
        for method in METHODS:
            was, now = old_paths.get(path, {}).get(method), new_paths.get(path, {}).get(method)
            name = f"{method.upper()} {path}"
            if was is None and now is None:
                continue
            if now is None:
                changes.breaking.append(f"{name}: the operation was removed")
            elif was is None:
                changes.compatible.append(f"{name}: a new operation")
            else:
                _operation(name, was, now, before, after, changes)
    if not changes.breaking and not changes.compatible and render(old) != render(new):
        old_parts, new_parts = old.get("components", {}), new.get("components", {})
        differ = sorted(f"{kind}/{name}" for kind in set(old_parts) | set(new_parts)
                        for name in set(old_parts.get(kind, {})) | set(new_parts.get(kind, {}))
                        if render(old_parts.get(kind, {}).get(name)) != render(new_parts.get(kind, {}).get(name)))
        changes.compatible.append(f"details changed in {', '.join(differ)}" if differ
                                  else "descriptions or other details changed")
    return changes


def _operation(name: str, was: dict, now: dict, before: _Doc, after: _Doc, changes: Changes) -> None:
    old_params = {(p.get("in"), p.get("name")): p for p in map(before.resolve, was.get("parameters", []))}
    new_params = {(p.get("in"), p.get("name")): p for p in map(after.resolve, now.get("parameters", []))}
    for key, param in new_params.items():
        label = f"{name}: {key[0]} parameter {key[1]}"
        if key not in old_params:
            (changes.breaking if param.get("required") else changes.compatible).append(
                f"{label} is new{' and required' if param.get('required') else ''}")
            continue
        if param.get("required") and not old_params[key].get("required"):
            changes.breaking.append(f"{label} is now required")
        _schema(label, old_params[key].get("schema", {}), param.get("schema", {}), before, after, changes, "input")
    for key in old_params.keys() - new_params.keys():
        changes.compatible.append(f"{name}: {key[0]} parameter {key[1]} is no longer read")
    old_body, new_body = was.get("requestBody"), now.get("requestBody")
    if new_body and not old_body:
        (changes.breaking if new_body.get("required") else changes.compatible).append(f"{name}: a request body is new")
    elif old_body and new_body:
        if new_body.get("required") and not old_body.get("required"):
            changes.breaking.append(f"{name}: the request body is now required")
        for media, content in new_body.get("content", {}).items():
            if media not in old_body.get("content", {}):
                changes.compatible.append(f"{name}: the request body may now be {media}")
                continue
            _schema(f"{name}: request body", old_body["content"][media].get("schema", {}), content.get("schema", {}),
                    before, after, changes, "input")
        for media in old_body.get("content", {}).keys() - new_body.get("content", {}).keys():
            changes.breaking.append(f"{name}: the request body may no longer be {media}")
    old_answers, new_answers = was.get("responses", {}), now.get("responses", {})
    for status in sorted(old_answers.keys() - new_answers.keys()):
        changes.breaking.append(f"{name}: the {status} answer was removed")
    for status in sorted(new_answers.keys() - old_answers.keys()):
        changes.compatible.append(f"{name}: a new {status} answer")
    for status in sorted(old_answers.keys() & new_answers.keys()):
        old_answer, new_answer = before.resolve(old_answers[status]), after.resolve(new_answers[status])
        for media, content in old_answer.get("content", {}).items():
            if media not in new_answer.get("content", {}):
                changes.breaking.append(f"{name}: the {status} answer is no longer {media}")
                continue
            _schema(f"{name}: {status} answer", content.get("schema", {}), new_answer["content"][media].get("schema", {}),
                    before, after, changes, "output")
        for header, spec in old_answer.get("headers", {}).items():
            if before.resolve(spec).get("required") and header not in new_answer.get("headers", {}):
                changes.breaking.append(f"{name}: the {status} answer no longer carries {header}")


_BOUNDS = {"maxLength": min, "maxItems": min, "maximum": min, "exclusiveMaximum": min,
           "minLength": max, "minItems": max, "minimum": max, "exclusiveMinimum": max}


def _types(schema: dict, doc: _Doc) -> set[str]:
    schema = doc.resolve(schema)
    if "anyOf" in schema or "oneOf" in schema:
        return set().union(*(_types(s, doc) for s in schema.get("anyOf", schema.get("oneOf", []))))
    kind = schema.get("type")
    if kind is None:
        return {"any"}
    return set(kind) if isinstance(kind, list) else {kind}


def _schema(label: str, old: dict, new: dict, before: _Doc, after: _Doc, changes: Changes, direction: str,
            depth: int = 0) -> None:
    """Input schemas break integrations when they accept less; output schemas when they promise less."""
    if depth > 12:
        return
    old, new = before.resolve(old), after.resolve(new)
    old_types, new_types = _types(old, before), _types(new, after)
    if direction == "input":
        refused = set() if "any" in new_types else old_types - new_types - ({"integer"} if "number" in new_types else set())
        if refused:
            changes.breaking.append(f"{label}: no longer accepts {', '.join(sorted(refused))}")
        for bound, tighter in _BOUNDS.items():
            if bound in new and (bound not in old or (tighter(old[bound], new[bound]) == new[bound] and old[bound] != new[bound])):
                changes.breaking.append(f"{label}: {bound} tightened to {new[bound]}")
        if "pattern" in new and new.get("pattern") != old.get("pattern"):
            shown = new["pattern"] if len(new["pattern"]) <= 60 else new["pattern"][:57] + "..."
            changes.breaking.append(f"{label}: a new pattern {shown}")
        if "enum" in new and ("enum" not in old or set(map(str, old["enum"])) - set(map(str, new["enum"]))):
            changes.breaking.append(f"{label}: accepts fewer values")
        for prop in set(new.get("required", [])) - set(old.get("required", [])):
            changes.breaking.append(f"{label}: the field {prop} is now required")
    else:
        widened = set() if "any" in old_types else new_types - old_types - ({"integer"} if "number" in old_types else set())
        if widened:
            changes.breaking.append(f"{label}: may now be {', '.join(sorted(widened))}")
        for prop in set(old.get("required", [])) - set(new.get("required", [])):
            changes.breaking.append(f"{label}: the field {prop} is no longer always there")
        if "enum" in old and "enum" in new and set(map(str, new["enum"])) - set(map(str, old["enum"])):
            changes.breaking.append(f"{label}: may now be values it never was")
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for prop in sorted(old_props.keys() - new_props.keys()):
        if direction == "output":
            changes.breaking.append(f"{label}: the field {prop} was removed")
        else:
            changes.compatible.append(f"{label}: the field {prop} is no longer read")
    for prop in sorted(new_props.keys() - old_props.keys()):
        changes.compatible.append(f"{label}: a new field {prop}")
    for prop in sorted(old_props.keys() & new_props.keys()):
        _schema(f"{label}.{prop}", old_props[prop], new_props[prop], before, after, changes, direction, depth + 1)
    if "items" in old and "items" in new:
        _schema(f"{label}[]", old["items"], new["items"], before, after, changes, direction, depth + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write the served document to docs/openapi.json")
    args = parser.parse_args(argv)
    document = served()
    if args.write:
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(render(document), encoding="utf-8")
        print(f"wrote {SNAPSHOT.relative_to(ROOT)} ({len(document.get('paths', {}))} paths)")
        return 0
    changes = compare(json.loads(SNAPSHOT.read_text(encoding="utf-8")), document)
    print(changes.report())
    return 2 if changes.breaking else 1 if changes.compatible else 0


if __name__ == "__main__":
    sys.exit(main())
