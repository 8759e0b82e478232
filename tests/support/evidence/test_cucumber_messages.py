"""The Cucumber Messages a run writes follow the schema of PyPI's cucumber-messages, and their ids
hold together: a real behave run of a tiny project, every line read back through the schema's types."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from importlib import metadata
from pathlib import Path

from cucumber_messages import Envelope, message_converter

from support.evidence.cucumber_messages import PROTOCOL_VERSION, duration, node_lines, timestamp

ROOT = Path(__file__).resolve().parents[3]

FEATURE = """\
Feature: Tiny
  A narrative.

  Background:
    Given all is well

  Rule: Things pass
    Scenario Outline: <who> checks
      Then <who> is fine

      Examples:
        | who  |
        | Ada  |
        | Theo |

    @negative
    Scenario: one is left out by the tags
      Then Ada is fine

  Rule: Things break
    Scenario: one has no step
      Given nobody wrote this step
"""

STEPS = """\
from behave import given, then

@given("all is well")
def well(context):
    pass

@then("{who} is fine")
def fine(context, who):
    assert who != "Theo", "expected Theo to be fine"
"""


def run(tmp_path: Path) -> list[dict]:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "tiny.feature").write_text(FEATURE)
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "tiny_steps.py").write_text(STEPS)
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""\
        [tool.behave]
        format = ["support.evidence.cucumber_messages:CucumberMessagesFormatter"]
        outfiles = ["reports/cucumber/messages.ndjson"]
        default_format = "support.evidence.console:ConsoleFormatter"
        runner = "support.evidence.cli:SpecRunner"
        junit = false
        show_skipped = false
        """))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PORTAL_SPEC_WORKER", None)
    subprocess.run([sys.executable, "-m", "support.evidence.cli", "features/", "--tags=not @negative"],
                   cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    lines = (tmp_path / "reports" / "cucumber" / "messages.ndjson").read_text().splitlines()
    return [json.loads(line) for line in lines]


def test_every_message_follows_the_cucumber_messages_schema(tmp_path):
    messages = run(tmp_path)
    for message in messages:
        envelope = message_converter.from_dict(message, Envelope)  # required fields, types, enums
        assert message_converter.to_dict(envelope) == message, f"a field the schema does not know: {message}"
    assert PROTOCOL_VERSION == metadata.version("cucumber-messages")
    kinds = [next(iter(m)) for m in messages]
    assert kinds[0] == "meta" and kinds[-1] == "testRunFinished"
    assert Counter(kinds)["testCase"] == 3  # two outline rows and the undefined step; the @negative one left out


def test_the_ids_hold_together_and_the_results_are_behaves(tmp_path):
    messages = run(tmp_path)
    by_kind: dict[str, list[dict]] = {}
    for message in messages:
        kind, body = next(iter(message.items()))
        by_kind.setdefault(kind, []).append(body)
    pickles = {p["id"]: p for p in by_kind["pickle"]}
    pickle_steps = {s["id"] for p in pickles.values() for s in p["steps"]}
    definitions = {d["id"] for d in by_kind["stepDefinition"]}
    results = {}
    for case in by_kind["testCase"]:
        assert case["pickleId"] in pickles
        for step in case["testSteps"]:
            assert step["pickleStepId"] in pickle_steps
            assert set(step["stepDefinitionIds"]) <= definitions
    cases = {c["id"]: c for c in by_kind["testCase"]}
    started = {s["id"]: cases[s["testCaseId"]] for s in by_kind["testCaseStarted"]}
    for finished in by_kind["testStepFinished"]:
        case = started[finished["testCaseStartedId"]]
        results.setdefault(pickles[case["pickleId"]]["name"], []).append(finished["testStepResult"]["status"])
    assert results == {"Ada checks": ["PASSED", "PASSED"], "Theo checks": ["PASSED", "FAILED"],
                       "one has no step": ["PASSED", "UNDEFINED"]}
    failed = next(f["testStepResult"] for f in by_kind["testStepFinished"] if f["testStepResult"]["status"] == "FAILED")
    assert failed["message"] == "expected Theo to be fine" and failed["exception"]["type"] == "AssertionError"
    assert by_kind["testRunFinished"][0]["success"] is False
    undefined_case = next(c for c in cases.values() if pickles[c["pickleId"]]["name"] == "one has no step")
    assert undefined_case["testSteps"][1]["stepDefinitionIds"] == []


def test_times_are_split_into_seconds_and_nanos():
    assert timestamp(12.5) == {"seconds": 12, "nanos": 500_000_000}
    assert duration(-1) == {"seconds": 0, "nanos": 0}
    assert node_lines({"a": [{"id": "1", "location": {"line": 3}, "b": {"id": "2", "location": {"line": 4}}}]}) == {"1": 3, "2": 4}
