"""The suite's default console: progress, then one line of reason per failing scenario, the
specification summary (with the business rules broken) and where the results are.

behave's `pretty` format prints every step of every scenario (about 2,200 lines for a full run);
this one prints a dot per scenario, as pytest and cucumber-js do. `-f pretty` still gives the full
text. It is the default through `default_format` in pyproject.toml's `[tool.behave]`.

    .  passed    F  failed (the portal broke a rule)    E  error (the suite's own code, a hook)
    s  skipped with a reason (e.g. live mode)            U  a step has no definition
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from behave.formatter.base import Formatter

WIDTH = 70  # progress marks per line

# Lines other parts of the run want printed after the progress (the specification summary): the
# console formatter prints them when the run closes; with another format they print at once.
_active: list["ConsoleFormatter"] = []


def announce(lines: list[str]) -> None:
    if _active:
        _active[-1].late_lines.extend(lines)
    else:
        print("\n" + "\n".join(lines) + "\n", flush=True)


def is_filtered(config) -> bool:
    """A run of part of the suite (tags, name, some files or lines), whose figures say nothing
    about the whole specification (its negative share, the endpoints no scenario exercises)."""
    if getattr(config, "tags", None):
        return True
    if getattr(config, "name", None) or getattr(config, "include_re", None) or getattr(config, "exclude_re", None):
        return True
    paths = [str(p) for p in (getattr(config, "paths", None) or [])]
    return any(Path(p.split(":")[0]).resolve() != Path("features").resolve() for p in paths)


@dataclass
class Failure:
    location: str
    name: str
    reason: str
    mark: str


def one_line(text: str, limit: int = 300) -> str:
    """A message as one line (a matcher's "Expected: ... but: ..." included), cut at `limit`."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 6] + " [...]"


def display_name(scenario) -> str:
    """The scenario's name, an outline's example row as named values rather than `-- @1.2`."""
    name = scenario.name.split(" -- @")[0].rstrip()
    row = getattr(scenario, "_row", None)
    if row is not None:
        name += " [" + ", ".join(f"{h}={c}" for h, c in zip(row.headings, row.cells)) + "]"
    return name


def reason_of(scenario) -> tuple[str, str]:
    """(mark, one-line reason) of a scenario that did not pass."""
    for step in scenario.all_steps:
        status = getattr(step.status, "name", str(step.status))
        where = f"{step.keyword} {step.name} (line {step.line})"
        if status == "undefined":
            return "U", f"test defect: no step definition for: {where}"
        if status in ("failed", "error", "hook_error"):
            # a hook after the step raises AssertionError for an answer that breaks the API contract:
            # the portal broke a rule, as a failing step says
            exception = getattr(step, "exception", None)
            if isinstance(exception, AssertionError):
                return "F", one_line(str(exception)) or f"failed at: {where}"
            if exception is not None:
                return "E", f"test defect: {type(exception).__name__}: {one_line(str(exception), 200)} at: {where}"
            return "F", one_line(step.error_message or "") or f"failed at: {where}"
    if getattr(scenario, "hook_failed", False) or getattr(scenario, "error_message", None):
        return "E", f"test defect: a hook failed: {one_line(getattr(scenario, 'error_message', '') or '')}"
    return "F", "failed"


class ConsoleFormatter(Formatter):
    name = "compact"
    description = "Progress, then one line of reason per failing scenario (the suite's default)"

    def __init__(self, stream_opener, config):
        super().__init__(stream_opener, config)
        self.stream = self.open()
        self.current = None
        self.column = 0
        self.count = 0
        self.failures: list[Failure] = []
        self.late_lines: list[str] = []
        _active.append(self)

    # behave tells the formatter when a scenario starts; it ends when the next starts or the file does
    def scenario(self, scenario):
        self._finish()
        self.current = scenario

    def eof(self):
        self._finish()

    def _finish(self) -> None:
        scenario, self.current = self.current, None
        if scenario is None:
            return
        status = getattr(scenario.status, "name", str(scenario.status))
        if status in ("untested",) or (status == "skipped" and not scenario.should_run(self.config)):
            return  # not selected by this run's filters
        if status == "passed":
            mark = "."
        elif status == "skipped":
            mark = "s"
        else:
            mark, reason = reason_of(scenario)
            self.failures.append(Failure(str(scenario.location), display_name(scenario), reason, mark))
        self._mark(mark)

    def _mark(self, mark: str) -> None:
        self.stream.write(mark)
        self.column += 1
        self.count += 1
        if self.column == WIDTH:
            self.stream.write(f"  {self.count}\n")
            self.column = 0
        self.stream.flush()

    def close(self):
        self._finish()
        if self.column:
            self.stream.write(f"{' ' * (WIDTH - self.column)}  {self.count}\n")
            self.column = 0
        out = []
        if self.failures:
            out += ["", f"{len(self.failures)} scenario(s) did not pass:"]
            for failure in self.failures:
                out.append(f"  {failure.mark} {failure.location}  {failure.name}")
                out.append(f"      {failure.reason}")
        if self.late_lines:
            out += [""] + self.late_lines
        if not self.config.dry_run:
            out += ["", "Results: reports/allure-results (Allure), reports/junit (JUnit), reports/summary.json",
                    "Report:  ./dev python tools/build_report.py [--single-file]", ""]
        self.stream.write("\n".join(out) + ("\n" if out else ""))
        self.stream.flush()
        if self in _active:
            _active.remove(self)
        self.close_stream()
