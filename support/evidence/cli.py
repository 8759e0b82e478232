"""`./dev behave ...` runs behave through here: behave itself, minus its `USING RUNNER: ...` line.

The suite's runner (configured in pyproject.toml, so `python -m behave` uses it too) adds what
behave 1.3.3 lacks: a run that selects no scenario says so and fails, and "Took ..." is the run's
wall-clock time (behave's summary adds up the steps' own durations, leaving out start-up, hooks and
each scenario's reset: 8.9 s for a run that took 72 s, or 0.000 s).

It also mends one miscount of behave 1.3.3: a Scenario Outline none of whose examples ran (a dry
run, or a run stopped early) counted as *passed*, so a feature or rule holding an outline and then
a plain scenario was summed as "passed, then untested", which behave reads as an aborted run and
reports as FAILED: the dry run said "5 features failed" while no scenario had failed. Such an
outline now counts as untested, as its examples are.
"""
from __future__ import annotations

import builtins
import sys
import time

from behave.model import ScenarioOutline, Status
from behave.runner import Runner

NOTHING_SELECTED = ("No scenario matches this selection ({what}): nothing ran. "
                    "Check the tags, --name or file:line given.")


_outline_status = ScenarioOutline.compute_status


def outline_status(outline):
    scenarios = outline._scenarios  # noqa: SLF001  (the examples, as behave's own method reads them)
    if scenarios and all(s.status == Status.untested for s in scenarios):
        return Status.untested
    return _outline_status(outline)


ScenarioOutline.compute_status = outline_status


def selection_text(config) -> str:
    parts = []
    if config.tags:
        parts.append("--tags " + " ".join(str(t) for t in config.tags))
    if config.name:
        parts.append("--name " + " ".join(repr(n) for n in config.name))
    parts += [str(p) for p in (config.paths or [])]
    return ", ".join(parts) or "the whole suite"


def selected_scenarios(features, config) -> int:
    return sum(1 for feature in features for scenario in feature.walk_scenarios() if scenario.should_run(config))


def took(seconds: float) -> str:
    return f"Took {int(seconds // 60)}min {seconds % 60:.3f}s"


def wall_clock_printer(reporter, started: float):
    def print_duration(stream=None):
        (stream or reporter.stream).write(took(time.monotonic() - started) + "\n")
    return print_duration


class SpecRunner(Runner):
    def run_model(self, features=None):
        features = self.features if features is None else features
        if selected_scenarios(features, self.config) == 0:
            print(NOTHING_SELECTED.format(what=selection_text(self.config)), flush=True)
            return True  # failed: a selection that runs nothing is a mistake, not a green run
        from support.evidence.console import ConsoleFormatter

        compact = any(isinstance(f, ConsoleFormatter) for f in self.formatters)
        started = time.monotonic()
        for reporter in self.config.reporters:
            if hasattr(reporter, "print_duration"):
                reporter.print_duration = wall_clock_printer(reporter, started)
            if compact and hasattr(reporter, "show_failed_scenarios"):
                reporter.show_failed_scenarios = False  # the console lists them, each with its reason
        return super().run_model(features)


def main(argv: list[str] | None = None) -> int:
    import behave.__main__ as behave_main

    def quieter_print(*args, **kwargs):
        if args and isinstance(args[0], str) and args[0].startswith("USING RUNNER:"):
            return
        builtins.print(*args, **kwargs)

    behave_main.print = quieter_print  # the module's own name shadows the builtin, for behave's main only
    return behave_main.main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
