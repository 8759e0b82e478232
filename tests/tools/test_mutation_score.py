"""tools/mutation_score.py: which mutants it keeps, how it samples, which scenarios it runs, how it scores."""
import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("mutation_score", ROOT / "tools" / "mutation_score.py")
mutation_score = importlib.util.module_from_spec(spec)
sys.modules["mutation_score"] = mutation_score  # dataclasses look their module up there
spec.loader.exec_module(mutation_score)
Mutant = mutation_score.Mutant


def mutant(module="portal/email/events.py", start=(10, 4), end=(10, 5), id_="m", operator="core/AddNot"):
    return Mutant(id=id_, job_id=id_, module=module, operator=operator, occurrence=0, start=start, end=end)


def test_a_package_is_the_folder_under_portal_and_top_level_modules_are_portal():
    assert mutation_score.package_of("portal/email/events.py") == "email"
    assert mutation_score.package_of("portal/app.py") == "portal"


def test_mutants_are_named_without_line_numbers_counting_within_their_definition():
    def item(job, occurrence, line, definition):
        spec_ = SimpleNamespace(module_path=Path("portal/a.py"), operator_name="core/AddNot", occurrence=occurrence,
                                start_pos=(line, 0), end_pos=(line, 3), definition_name=definition)
        return SimpleNamespace(job_id=job, mutations=(spec_,))

    named = mutation_score.mutant_ids([item("j2", 1, 9, "g"), item("j1", 0, 3, "f"), item("j3", 2, 12, "g")])
    assert [m.id for m in named] == ["portal/a.py::f AddNot #0", "portal/a.py::g AddNot #0", "portal/a.py::g AddNot #1"]


SOURCE = '''from __future__ import annotations
LIMIT: int | None = 1
def f(a: int | str, *, b: list[int] = [1 | 2]) -> dict[str, int]:
    return a | b
'''


def test_mutants_inside_annotations_are_recognised_and_code_is_not():
    spans = mutation_score.annotation_spans(SOURCE)
    in_annotation = lambda line, col: mutation_score.in_annotation(mutant(start=(line, col), end=(line, col + 1)), spans)
    assert in_annotation(2, 11)           # int | None
    assert in_annotation(3, 13)           # int | str
    assert in_annotation(3, 56)           # -> dict[str, int]
    assert not in_annotation(3, 43)       # the default 1 | 2 is code
    assert not in_annotation(4, 13)       # a | b in the body
    assert not in_annotation(2, 20)       # the value 1


def test_quotas_follow_package_sizes_and_add_up_to_the_sample():
    quotas = mutation_score.sample_quotas({"email": 600, "sharing": 300, "portal": 100}, 200)
    assert quotas == {"email": 120, "sharing": 60, "portal": 20}
    odd = mutation_score.sample_quotas({"a": 1, "b": 1, "c": 1}, 2)
    assert sum(odd.values()) == 2 and max(odd.values()) == 1
    assert mutation_score.sample_quotas({"a": 3}, 10) == {"a": 3}


def test_the_sample_is_seeded_stratified_and_skips_mutants_that_do_not_compile():
    mutants = [mutant(module=f"portal/{p}/x.py", id_=f"{p}{i}") for p in ("email", "tasks") for i in range(50)]
    first = mutation_score.draw(mutants, 10, seed=1, competent=lambda m: True)
    assert [m.id for m in first] == [m.id for m in mutation_score.draw(mutants, 10, seed=1, competent=lambda m: True)]
    assert [m.id for m in first] != [m.id for m in mutation_score.draw(mutants, 10, seed=2, competent=lambda m: True)]
    assert sum(m.package == "email" for m in first) == 5
    broken = {m.id for m in first}
    redrawn = mutation_score.draw(mutants, 10, seed=1, competent=lambda m: m.id not in broken)
    assert len(redrawn) == 10 and not broken & {m.id for m in redrawn}


def test_a_mutant_runs_the_scenarios_that_execute_its_lines_or_all_when_a_line_runs_at_import():
    coverage_map = {"portal/email/events.py": {10: {"features/a.feature:3"}, 11: {"features/b.feature:9"},
                                               2: {"", "features/a.feature:3"}}}
    assert mutation_score.scenarios_for(mutant(start=(10, 0), end=(11, 2)), coverage_map) == {
        "features/a.feature:3", "features/b.feature:9"}
    assert mutation_score.scenarios_for(mutant(start=(2, 0), end=(2, 1)), coverage_map) is None
    assert mutation_score.scenarios_for(mutant(start=(40, 0), end=(40, 1)), coverage_map) == set()
    assert mutation_score.scenarios_for(mutant(module="portal/app.py"), coverage_map) == set()


def test_the_score_counts_mutants_triaged_equivalent_out(tmp_path):
    triage = tmp_path / "triage.md"
    triage.write_text("| mutant | verdict | why |\n| --- | --- | --- |\n"
                      "| `portal/a/x.py::f AddNot #0` | equivalent | both branches give the same answer |\n"
                      "| `portal/a/x.py::f AddNot #1` | gap closed | features/a.feature: the limit from both sides |\n")
    equivalent = mutation_score.triaged_equivalent(triage)
    assert equivalent == {"portal/a/x.py::f AddNot #0": "both branches give the same answer"}
    verdicts = [{"id": "portal/a/x.py::f AddNot #0", "package": "a", "outcome": "survived"},
                {"id": "portal/a/x.py::f AddNot #1", "package": "a", "outcome": "survived"},
                {"id": "k1", "package": "a", "outcome": "killed"},
                {"id": "k2", "package": "b", "outcome": "killed"}]
    rows = {r["package"]: r for r in mutation_score.score_table(verdicts, equivalent)}
    assert (rows["a"]["killed"], rows["a"]["survived"], rows["a"]["equivalent"]) == (1, 1, 1)
    assert rows["a"]["score"] == 50.0 and rows["b"]["score"] == 100.0
    assert rows["all"]["sampled"] == 4 and round(rows["all"]["score"], 1) == 66.7


def test_the_report_shows_the_command_the_table_and_each_survivor_with_its_diff(tmp_path):
    state = {"arguments": "--sample 2 --seed 1", "seed": 1, "commit": "abc123", "date": "2026-12-02 03:00 UTC",
             "cosmic_ray": "8.7.0", "all": 10, "annotation": 3, "seconds": 120.0,
             "verdicts": [{"id": "portal/a/x.py::f AddNot #0", "package": "a", "line": 7, "outcome": "survived",
                           "scenarios": 0, "diff": "--- a\n+++ b\n@@ -7 +7 @@\n-    if x:\n+    if not x:\n"},
                          {"id": "k", "package": "a", "line": 3, "outcome": "killed", "scenarios": None, "diff": ""}]}
    report = tmp_path / "report.md"
    mutation_score.write_report(state, report, triage=tmp_path / "none.md")
    text = report.read_text()
    assert "./dev python tools/mutation_score.py --sample 2 --seed 1" in text
    assert "| a | 2 | 1 | 1 | 0 | 50.0% |" in text
    assert "### `portal/a/x.py::f AddNot #0`" in text and "+    if not x:" in text
    assert "no scenario executes it" in text


def test_a_bare_star_before_keyword_only_parameters_is_syntax_not_a_mutant():
    lines = ["def f(a, *, b=2 * 3):", "def g(", "    a,", "    *,", "    b,", "):"]
    marker = lambda line, col: mutation_score.is_signature_marker(
        mutant(start=(line, col), end=(line, col + 1), operator="core/ReplaceBinaryOperator_Mul_Div"), lines)
    assert marker(1, 9) and marker(4, 4)
    assert not marker(1, 17)  # 2 * 3 is a multiplication


def test_a_mutant_on_any_line_of_a_statement_runs_the_scenarios_of_the_whole_statement():
    source = "def f(a,\n      b=1):\n    x = g(a,\n          b)\n    if (a and\n            b):\n        return x\n"
    statements = mutation_score.statement_lines(source)
    assert list(statements[4]) == [3, 4]          # the call spans two lines
    assert list(statements[6]) == [5, 6]          # an if: its condition only, not its body
    assert list(statements[2]) == [1, 2]          # a def: its parameters
    coverage_map = {"portal/email/events.py": {3: {"features/a.feature:3"}}}
    assert mutation_score.scenarios_for(mutant(start=(4, 10), end=(4, 11)), coverage_map, statements) == {
        "features/a.feature:3"}


def test_mutants_run_in_turn_by_package_so_an_unfinished_run_still_samples_every_package():
    mutants = [mutant(module=f"portal/{p}/x.py", id_=f"{p}{i}") for p, n in (("email", 3), ("web", 1), ("auth", 2))
               for i in range(n)]
    assert [m.id for m in mutation_score.interleaved(mutants)] == ["auth0", "email0", "web0", "auth1", "email1", "email2"]
