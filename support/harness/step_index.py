"""behave looks a step's definition up by trying its patterns one after another, for every step it
runs: several hundred patterns, a few hundred parse attempts per step. The definition a step's text
matches cannot change during a run (behave refuses ambiguous definitions when they are registered),
so it is looked up once per distinct text; each run of the step still matches its own text against
that definition, so its arguments (and any type-conversion error) are its own."""
from __future__ import annotations


def remember_matches(registry) -> None:
    """Make `registry.find_match` remember which definition each (step type, text) matched; the
    look-up itself is behave's StepRegistry.find_match: the step type's definitions, then the
    generic `step` ones, first match wins."""
    if getattr(registry, "remembers_matches", False):
        return
    found: dict[tuple[str, str], object] = {}
    registered = [None]

    def find_match(step):
        count = sum(len(definitions) for definitions in registry.steps.values())
        if count != registered[0]:  # a definition added since: look everything up afresh
            found.clear()
            registered[0] = count
        key = (step.step_type, step.name)
        if key in found:
            definition = found[key]
            return definition.match(step.name) if definition is not None else None
        candidates = list(registry.steps[step.step_type])
        if step.step_type != "step":
            candidates += registry.steps["step"]
        for definition in candidates:
            result = definition.match(step.name)
            if result:
                found[key] = definition
                return result
        found[key] = None
        return None

    registry.find_match = find_match
    registry.remembers_matches = True
