"""behave looks a step's definition up by trying its patterns one after another, for every step it
runs: several hundred patterns, a few hundred parse attempts per step. The definition a step's text
matches cannot change during a run (behave refuses ambiguous definitions when they are registered),
so it is looked up once per distinct text; each run of the step still matches its own text against
that definition, so its arguments (and any type-conversion error) are its own.

A text seen for the first time skips the definitions whose fixed words it does not contain (a
parse pattern matches only a text that starts with its first fixed words, ends with its last and
holds the others): a necessary condition, checked with plain string operations, so the first
definition that matches is still the one behave finds.
"""
from __future__ import annotations

import re

from behave.matchers import CFParseMatcher, ParseMatcher

_FIELD = re.compile(r"(\{\{|\}\}|\{[^{}]*\})")


def fixed_words(pattern: str) -> list[str]:
    """A parse pattern's literal text between its fields: ["", " signs in as ", ""] for "{who} signs in as {role}"."""
    pieces, current = [], ""
    for token in _FIELD.split(pattern):
        if token == "{{":
            current += "{"
        elif token == "}}":
            current += "}"
        elif token.startswith("{") and token.endswith("}"):
            pieces.append(current)
            current = ""
        else:
            current += token
    pieces.append(current)
    return pieces


def _could_match(definition):
    """A cheap test a text must pass for `definition` to match it; None when there is none to make."""
    if type(definition) not in (ParseMatcher, CFParseMatcher) or not definition.CASE_SENSITIVE:
        return None
    pieces = fixed_words(definition.pattern)
    first, last, middle = pieces[0], pieces[-1], [p for p in pieces[1:-1] if p]
    if len(pieces) == 1:
        return lambda text: text == first
    return lambda text: text.startswith(first) and text.endswith(last) and all(p in text for p in middle)


_UNKNOWN = object()


def remember_matches(registry) -> None:
    """Make `registry.find_match` remember which definition each (step type, text) matched; the
    look-up itself is behave's StepRegistry.find_match: the step type's definitions, then the
    generic `step` ones, first match wins."""
    if getattr(registry, "remembers_matches", False):
        return
    found: dict[tuple[str, str], object] = {}
    checks: dict[int, object] = {}  # id(definition) -> its cheap test (definitions live as long as the registry)
    registered = [None]

    def find_match(step):
        count = sum(len(definitions) for definitions in registry.steps.values())
        if count != registered[0]:  # a definition added since: look everything up afresh
            found.clear()
            checks.clear()
            registered[0] = count
        key = (step.step_type, step.name)
        if key in found:
            definition = found[key]
            return definition.match(step.name) if definition is not None else None
        candidates = list(registry.steps[step.step_type])
        if step.step_type != "step":
            candidates += registry.steps["step"]
        for definition in candidates:
            could_match = checks.get(id(definition), _UNKNOWN)
            if could_match is _UNKNOWN:
                could_match = checks[id(definition)] = _could_match(definition)
            if could_match is not None and not could_match(step.name):
                continue
            result = definition.match(step.name)
            if result:
                found[key] = definition
                return result
        found[key] = None
        return None

    registry.find_match = find_match
    registry.remembers_matches = True
