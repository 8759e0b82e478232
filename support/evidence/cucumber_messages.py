"""A behave formatter that writes Cucumber Messages (NDJSON), the format the Cucumber ecosystem's
reports read and behave cannot write (behave issue 267).

Each feature file is parsed again by Cucumber's own Gherkin parser (`gherkin-official`), which
gives the `source`, `gherkinDocument` and `pickle` messages with Cucumber's ids; each scenario
behave ran is then matched to its pickle by file and line (an outline's example by its row's line)
and reported as `testCase`, `testCaseStarted`, `testStep*` and `testCaseFinished`, with behave's
step definitions as `stepDefinition`s. Scenarios a filter left out get no test case, as in Cucumber.

    ./dev behave features/                      # writes reports/cucumber/messages.ndjson too
    ./dev python tools/build_cucumber_report.py # reports/cucumber/report.html (@cucumber/html-formatter)

A parallel worker writes `messages-<worker>.ndjson` beside it (one run's stream each); the
Cucumber report is built from a serial run.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

from behave.formatter.base import Formatter

PROTOCOL_VERSION = "34.2.0"  # the Cucumber Messages schema followed: PyPI's cucumber-messages 34.2.0 (the unit test checks)
STATUS = {"passed": "PASSED", "failed": "FAILED", "error": "FAILED", "hook_error": "FAILED",
          "skipped": "SKIPPED", "untested": "SKIPPED", "undefined": "UNDEFINED", "pending": "PENDING",
          "pending_warn": "PENDING"}


def timestamp(seconds: float) -> dict:
    return {"seconds": int(seconds), "nanos": int(round((seconds % 1) * 1e9)) % 1_000_000_000}


def duration(seconds: float) -> dict:
    seconds = max(seconds or 0.0, 0.0)
    return {"seconds": int(seconds), "nanos": int(round((seconds % 1) * 1e9)) % 1_000_000_000}


def node_lines(document: dict) -> dict[str, int]:
    """Every AST node's id -> its line, so a pickle's astNodeIds locate it in the file."""
    found: dict[str, int] = {}

    def walk(node):
        if isinstance(node, dict):
            if "id" in node and isinstance(node.get("location"), dict):
                found[node["id"]] = node["location"]["line"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(document)
    return found


class CucumberMessagesFormatter(Formatter):
    name = "cucumber-messages"
    description = "Cucumber Messages (NDJSON), for Cucumber's HTML report and other Cucumber tools"

    def __init__(self, stream_opener, config):
        worker = os.environ.get("PORTAL_SPEC_WORKER")
        if worker and stream_opener.name and stream_opener.name.endswith(".ndjson"):
            stream_opener.name = stream_opener.name[: -len(".ndjson")] + f"-{worker}.ndjson"
        if stream_opener.name:
            Path(stream_opener.name).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(stream_opener, config)
        self.stream = self.open()
        from gherkin.stream.gherkin_events import GherkinEvents

        self.gherkin = GherkinEvents(GherkinEvents.Options(print_source=True, print_ast=True, print_pickles=True))
        self.ids = self.gherkin.id_generator
        self.pickles: dict[tuple[str, int], dict] = {}
        self.step_definitions: dict[tuple[str, str], list[tuple[str, object]]] = {}
        self.matches: list = []
        self.current = None
        self.success = True
        self.run_id = self.ids.get_next_id()
        self.started = time.time()
        self._emit({"meta": {
            "protocolVersion": PROTOCOL_VERSION,
            "implementation": {"name": "behave (portal-spec formatter)", "version": _version("behave")},
            "runtime": {"name": platform.python_implementation(), "version": platform.python_version()},
            "os": {"name": platform.system(), "version": platform.release()},
            "cpu": {"name": platform.machine() or "unknown"},
        }})
        self._emit_step_definitions()
        self._emit({"testRunStarted": {"timestamp": timestamp(self.started), "id": self.run_id}})

    def _emit(self, message: dict) -> None:
        self.stream.write(json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n")

    def _emit_step_definitions(self) -> None:
        from behave import step_registry
        from behave.runner import the_step_registry

        # behave's run resets `step_registry.registry`, but the steps (`from behave import given`)
        # register in the registry the runner holds: take whichever has them
        registry = the_step_registry if any(the_step_registry.steps.values()) else step_registry.registry
        for matchers in registry.steps.values():
            for matcher in matchers:
                step_id = self.ids.get_next_id()
                location = str(matcher.location)
                uri, _, line = location.rpartition(":")
                key = (matcher.func.__name__, location)
                self.step_definitions.setdefault(key, []).append((step_id, matcher))
                self._emit({"stepDefinition": {
                    "id": step_id,
                    "pattern": {"source": matcher.pattern, "type": "CUCUMBER_EXPRESSION"},
                    "sourceReference": {"uri": uri, "location": {"line": int(line) if line.isdigit() else 1}},
                }})

    # -- behave's formatter API ----------------------------------------------------------------
    def feature(self, feature):
        from gherkin.stream.source_events import source_event

        uri = Path(feature.filename).as_posix()
        event = source_event(Path(feature.filename))
        event["source"]["uri"] = uri
        lines: dict[str, int] = {}
        for message in self.gherkin.enum(event):
            if "gherkinDocument" in message:
                lines = node_lines(message["gherkinDocument"])
            if "pickle" in message:
                pickle = message["pickle"]
                self.pickles[(uri, lines.get(pickle["astNodeIds"][-1], 0))] = pickle
            self._emit(message)

    def scenario(self, scenario):
        self._finish()
        self.current = scenario
        self.matches = []

    def match(self, match):
        self.matches.append(match)

    def eof(self):
        self._finish()

    def close(self):
        self._finish()
        self._emit({"testRunFinished": {"success": self.success, "timestamp": timestamp(time.time()),
                                        "testRunStartedId": self.run_id}})
        self.close_stream()

    # -- one scenario, after it ran ------------------------------------------------------------
    def _finish(self) -> None:
        scenario, self.current = self.current, None
        if scenario is None:
            return
        try:
            self._report(scenario)
        except Exception as problem:  # a report must never stop the run; say what is missing from it
            self.success = False
            print(f"cucumber messages: {scenario.location} is missing from {self.stream_opener.name}: "
                  f"{type(problem).__name__}: {problem}", file=sys.stderr)

    def _report(self, scenario) -> None:
        status = getattr(scenario.status, "name", str(scenario.status))
        if status == "untested" or (status == "skipped" and not scenario.should_run(self.config)):
            return  # left out by this run's filters: no test case, as in Cucumber
        pickle = self.pickles.get((Path(scenario.filename).as_posix(), scenario.line))
        if pickle is None:
            return
        steps = list(scenario.all_steps)
        test_case_id = self.ids.get_next_id()
        test_steps = []
        for pickle_step, step in zip(pickle["steps"], steps):
            definitions = self._definitions_for(step)
            test_steps.append({
                "id": self.ids.get_next_id(),
                "pickleStepId": pickle_step["id"],
                "stepDefinitionIds": definitions,
                "stepMatchArgumentsLists": [{"stepMatchArguments": []} for _ in definitions],
            })
        self._emit({"testCase": {"id": test_case_id, "pickleId": pickle["id"], "testSteps": test_steps,
                                 "testRunStartedId": self.run_id}})
        started_id = self.ids.get_next_id()
        clock = getattr(scenario, "start", None) or time.time() - sum(s.duration or 0 for s in steps)
        self._emit({"testCaseStarted": {"attempt": 0, "id": started_id, "testCaseId": test_case_id,
                                        "timestamp": timestamp(clock)}})
        for test_step, step in zip(test_steps, steps):
            self._emit({"testStepStarted": {"testCaseStartedId": started_id, "testStepId": test_step["id"],
                                            "timestamp": timestamp(clock)}})
            clock += step.duration or 0.0
            step_status = getattr(step.status, "name", str(step.status))
            result = {"duration": duration(step.duration), "status": STATUS.get(step_status, "UNKNOWN")}
            if step_status in ("failed", "error", "hook_error"):
                self.success = False
                exception = getattr(step, "exception", None)
                message = str(exception) if exception is not None else (step.error_message or "")
                result["message"] = message
                result["exception"] = {"type": type(exception).__name__ if exception else "Error", "message": message}
            elif step_status == "undefined":
                self.success = False
            self._emit({"testStepFinished": {"testCaseStartedId": started_id, "testStepId": test_step["id"],
                                             "testStepResult": result, "timestamp": timestamp(clock)}})
        self._emit({"testCaseFinished": {"testCaseStartedId": started_id, "timestamp": timestamp(clock),
                                         "willBeRetried": False}})

    def _definitions_for(self, step) -> list[str]:
        """The step definition behave matched for this step (a function may carry several patterns)."""
        for match in self.matches:
            if getattr(match, "func", None) is None:
                continue  # an undefined step: behave's NoMatch
            key = (match.func.__name__, str(match.location))
            candidates = self.step_definitions.get(key, [])
            for step_id, matcher in candidates:
                if matcher.match(step.name):
                    return [step_id]
        return []


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"
