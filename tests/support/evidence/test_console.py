"""The default console, run for real: behave on a tiny project in a temporary folder."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

from support.evidence.console import announce, display_name, is_filtered, one_line

ROOT = Path(__file__).resolve().parents[3]

FEATURE = """\
Feature: Tiny
  A narrative.

  Rule: Things pass
    Scenario: one passes
      Given all is well

    Scenario Outline: <who> checks
      Given all is well
      Then <who> is fine

      Examples:
        | who   |
        | Ada   |
        | Theo  |

  Rule: Things break
    @negative
    Scenario: one fails
      Given all is well
      Then the portal answers 500

    Scenario: one crashes
      Given the suite itself crashes
"""

STEPS = """\
from behave import given, then

@given("all is well")
def well(context):
    pass

@then("{who} is fine")
def fine(context, who):
    assert who != "Theo", "expected Theo to be fine,\\nbut he was not"

@then("the portal answers 500")
def answers(context):
    raise AssertionError("expected 200, but Ada's request GET /x answered 500 with error 'internal_error'")

@given("the suite itself crashes")
def crashes(context):
    {}["missing"]
"""


def run_behave(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "features").mkdir(exist_ok=True)
    (tmp_path / "features" / "tiny.feature").write_text(FEATURE)
    (tmp_path / "steps").mkdir(exist_ok=True)
    (tmp_path / "steps" / "tiny_steps.py").write_text(STEPS)
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""\
        [tool.behave]
        default_format = "support.evidence.console:ConsoleFormatter"
        runner = "support.evidence.cli:SpecRunner"
        junit = false
        show_skipped = false
        """))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "support.evidence.cli", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_run_prints_progress_then_one_line_of_reason_per_failing_scenario(tmp_path):
    result = run_behave(tmp_path, "features/")
    out = result.stdout
    assert result.returncode == 1
    assert "USING RUNNER" not in out
    assert out.splitlines()[0].split() == ["..FFE", "5"]
    assert "3 scenario(s) did not pass:" in out
    assert "  F features/tiny.feature:15  Theo checks [who=Theo]" in out
    assert "      expected Theo to be fine, but he was not" in out
    assert "  F features/tiny.feature:19  one fails" in out
    assert "      expected 200, but Ada's request GET /x answered 500 with error 'internal_error'" in out
    assert "  E features/tiny.feature:23  one crashes" in out
    assert "test defect: KeyError: 'missing' at: Given the suite itself crashes (line 24)" in out
    assert "Traceback" not in out
    assert "Failing scenarios:" not in out  # behave's own list, without reasons, is left out
    assert "Report:  ./dev python tools/build_report.py" in out


def test_took_is_the_wall_clock_of_the_run_not_zero(tmp_path):
    out = run_behave(tmp_path, "features/").stdout
    took = next(line for line in out.splitlines() if line.startswith("Took "))
    assert took != "Took 0min 0.000s"


def test_a_selection_that_matches_no_scenario_says_so_and_fails(tmp_path):
    result = run_behave(tmp_path, "features/", "--tags=@no_such_tag")
    assert result.returncode == 1
    assert "No scenario matches this selection (--tags @no_such_tag" in result.stdout
    assert "." not in result.stdout.split("\n")[0][:1]


def test_a_selection_of_passing_scenarios_passes_and_prints_only_theirs(tmp_path):
    result = run_behave(tmp_path, "features/", "--name", "one passes")
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[0].split()[0] == "."


def test_pretty_stays_available(tmp_path):
    out = run_behave(tmp_path, "features/", "-f", "pretty", "--name", "one passes").stdout
    assert "Scenario: one passes" in out


def test_a_message_is_one_line_and_bounded():
    assert one_line("\nExpected: '/'\n     but: was 'x'\n") == "Expected: '/' but: was 'x'"
    assert len(one_line("x" * 1000)) == 300 and one_line("x" * 1000).endswith("[...]")


def test_an_outline_row_is_shown_by_its_values():
    row = SimpleNamespace(headings=["age", "outcome"], cells=["16", "refused"])
    scenario = SimpleNamespace(name="A link expires -- @2.1 Too late", _row=row)
    assert display_name(scenario) == "A link expires [age=16, outcome=refused]"
    assert display_name(SimpleNamespace(name="Plain", _row=None)) == "Plain"


def test_a_run_of_part_of_the_suite_is_filtered():
    whole = SimpleNamespace(tags=None, name=None, include_re=None, exclude_re=None, paths=["features"])
    assert not is_filtered(whole)
    assert is_filtered(SimpleNamespace(**{**vars(whole), "tags": ["@negative"]}))
    assert is_filtered(SimpleNamespace(**{**vars(whole), "name": ["racing"]}))
    assert is_filtered(SimpleNamespace(**{**vars(whole), "paths": ["features/api"]}))
    assert is_filtered(SimpleNamespace(**{**vars(whole), "paths": ["features/api/x.feature:12"]}))


def test_without_the_console_formatter_an_announcement_prints_at_once(capsys):
    announce(["Specification summary", "  all kept"])
    assert "Specification summary\n  all kept" in capsys.readouterr().out


def test_a_dry_run_counts_nothing_failed(tmp_path):
    """behave 1.3.3 counted an unrun outline as passed, then a plain scenario after it as an
    aborted run: "features failed" in a dry run (support/evidence/cli.py mends it)."""
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "outline_first.feature").write_text(
        "Feature: Outline first\n  Rule: R\n    Scenario Outline: <who> checks\n      Given all is well\n"
        "      Examples:\n        | who |\n        | Ada |\n\n    Scenario: then a plain one\n      Given all is well\n")
    out = run_behave(tmp_path, "--dry-run", "features/").stdout
    assert "0 features passed, 0 failed, 0 skipped, 2 untested" in out, out


def test_an_answer_breaking_the_contract_after_a_step_is_reported_with_its_sentence():
    from support.evidence.console import reason_of

    broken = SimpleNamespace(status=SimpleNamespace(name="hook_error"), keyword="When", name="Ada gets it", line=7,
                             exception=AssertionError("Ada's request POST /x answered 400 without x-request-id"),
                             error_message="HOOK-ERROR in after_step: ...")
    scenario = SimpleNamespace(all_steps=[broken], hook_failed=False, error_message=None)
    assert reason_of(scenario) == ("F", "Ada's request POST /x answered 400 without x-request-id")
    broken.exception = KeyError("world")
    assert reason_of(scenario)[0] == "E" and "KeyError" in reason_of(scenario)[1]
