"""Measure the behave suite's catching power with an established mutation tool (cosmic-ray).

    ./dev python tools/mutation_score.py --sample 200 --seed 1      # the figure in the README
    ./dev python tools/mutation_score.py --sample 40 --package email  # a quick look at one package
    ./dev python tools/mutation_score.py --report-only               # rewrite the report from the session

cosmic-ray (configured in cosmic-ray.toml) makes every mutant of portal/. This command leaves out
the mutants that sit in type annotations (the portal imports `annotations` from `__future__`, so
they change nothing) and those that do not compile (cosmic-ray turns a keyword-only `*` into other
operators), then draws a seeded random sample of N, stratified by package (each package gets its
share of N in proportion to its mutants). It runs the whole suite once under coverage.py, one
dynamic context per scenario, to learn which scenarios execute each line. Each sampled mutant is
then applied to a scratch copy of the repository (the working tree is never touched) and judged by
`behave --stop` over the scenarios that execute its lines (all of them when the line runs at import
time); a mutant on a line that no scenario executes survives at once. A run over the time limit
counts as killed, as in cosmic-ray.

The results go into cosmic-ray's own session database (reports/mutation/session.sqlite, readable
with `./dev cr-report`) and into docs/mutation-report.md: the score per package and every survivor
with its diff. Survivors are triaged by hand in docs/mutation-triage.md (one table row per mutant
id: `equivalent` with the reason, or the scenario that now kills it); the score counts the
mutants triaged `equivalent` out, as the issue asks ("non-equivalent mutants killed").
"""
from __future__ import annotations

import argparse
import ast
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from behave.formatter.base import Formatter

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "cosmic-ray.toml"
SESSION = ROOT / "reports" / "mutation" / "session.sqlite"
REPORT = ROOT / "docs" / "mutation-report.md"
TRIAGE = ROOT / "docs" / "mutation-triage.md"
IMPORT_TIME = ""  # coverage's context for lines run outside any scenario (imports, before_all)


# ---------------------------------------------------------------------------------------------
# which mutants: ids, packages, annotation-only, sampling


@dataclass(frozen=True)
class Mutant:
    """One cosmic-ray mutant with a stable id (no line number, so edits elsewhere keep it)."""

    id: str
    job_id: str
    module: str          # portal/x/y.py
    operator: str        # core/ReplaceComparisonOperator_Lt_LtE
    occurrence: int      # cosmic-ray's occurrence of this operator in the module
    start: tuple[int, int]
    end: tuple[int, int]

    @property
    def package(self) -> str:
        return package_of(self.module)

    @property
    def lines(self) -> range:
        return range(self.start[0], self.end[0] + 1)


def package_of(module: str) -> str:
    """portal/email/events.py -> email; portal/app.py -> portal (its top-level modules)."""
    parts = Path(module).parts
    return parts[1] if len(parts) > 2 else "portal"


def mutant_ids(items) -> list[Mutant]:
    """Name each work item `module::definition operator #k`, k counting within that definition."""
    seen: Counter = Counter()
    mutants = []
    for item in sorted(items, key=lambda i: (str(i.mutations[0].module_path), i.mutations[0].operator_name,
                                             i.mutations[0].occurrence)):
        spec = item.mutations[0]
        module = Path(spec.module_path).as_posix()
        operator = spec.operator_name.split("/", 1)[-1]
        where = spec.definition_name or "<module>"
        key = (module, where, operator)
        mutants.append(Mutant(
            id=f"{module}::{where} {operator} #{seen[key]}", job_id=item.job_id, module=module,
            operator=spec.operator_name, occurrence=spec.occurrence,
            start=tuple(spec.start_pos), end=tuple(spec.end_pos)))
        seen[key] += 1
    return mutants


def annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(line, column) spans of every annotation in a module, columns in characters as parso counts."""
    lines = source.splitlines()

    def char_col(line: int, byte_col: int) -> int:
        return len(lines[line - 1].encode()[:byte_col].decode(errors="ignore")) if line <= len(lines) else byte_col

    spans = []
    for node in ast.walk(ast.parse(source)):
        found = []
        if isinstance(node, ast.arg) and node.annotation is not None:
            found.append(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            found.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
        for a in found:
            spans.append(((a.lineno, char_col(a.lineno, a.col_offset)),
                          (a.end_lineno, char_col(a.end_lineno, a.end_col_offset))))
    return spans


def in_annotation(mutant: Mutant, spans) -> bool:
    return any(start <= mutant.start and mutant.end <= end for start, end in spans)


def is_signature_marker(mutant: Mutant, source_lines: list[str]) -> bool:
    """cosmic-ray reads the bare `*` that starts keyword-only parameters as a multiplication and
    swaps it for other operators: not a mutant of the program, but of its syntax."""
    line, col = mutant.start
    if not mutant.operator.split("/")[-1].startswith("ReplaceBinaryOperator_Mul_") or line > len(source_lines):
        return False
    text = source_lines[line - 1]
    return text[col:col + 1] == "*" and text[col + 1:].lstrip()[:1] in (",", ")", "")


def statement_lines(source: str) -> dict[int, range]:
    """For each line, the lines of the innermost statement holding it (for a compound statement only
    its header: decorators, `def` with its parameters, an `if`'s condition...). coverage.py records
    a statement on one of its lines, a mutant may sit on any of them."""
    spans: list[tuple[int, int]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.stmt):
            continue
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        last = node.end_lineno or node.lineno
        body = getattr(node, "body", None)
        if isinstance(body, list) and body:
            last = max(first, body[0].lineno - 1)
        spans.append((first, last))
    found: dict[int, range] = {}
    for first, last in sorted(spans, key=lambda s: s[1] - s[0], reverse=True):  # innermost wins
        for line in range(first, last + 1):
            found[line] = range(first, last + 1)
    return found


def sample_quotas(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Share n among packages in proportion to their sizes (largest remainder), each at most its size."""
    total = sum(sizes.values())
    if total == 0:
        return {}
    n = min(n, total)
    exact = {p: n * s / total for p, s in sizes.items()}
    quotas = {p: int(e) for p, e in exact.items()}
    for p in sorted(exact, key=lambda p: (-(exact[p] - quotas[p]), p))[: n - sum(quotas.values())]:
        quotas[p] += 1
    return quotas


def draw(mutants: list[Mutant], n: int, seed: int, competent) -> list[Mutant]:
    """A seeded sample of n, stratified by package; `competent(m)` rejects mutants that do not compile."""
    by_package: dict[str, list[Mutant]] = defaultdict(list)
    for m in mutants:
        by_package[m.package].append(m)
    quotas = sample_quotas({p: len(ms) for p, ms in by_package.items()}, n)
    chosen = []
    for package in sorted(by_package):
        order = sorted(by_package[package],
                       key=lambda m: hashlib.sha256(f"{seed}:{m.id}".encode()).hexdigest())
        taken = 0
        for m in order:
            if taken == quotas.get(package, 0):
                break
            if competent(m):
                chosen.append(m)
                taken += 1
    return chosen


# ---------------------------------------------------------------------------------------------
# coverage: which scenarios execute which lines


class ScenarioContexts(Formatter):
    """A behave formatter that starts a coverage.py dynamic context for each scenario."""

    name = "scenario-contexts"
    description = "coverage.py dynamic context per scenario (tools/mutation_score.py)"

    _subprocess_config: dict | None = None

    def scenario(self, scenario):
        import base64

        import coverage

        where = f"{scenario.location.filename}:{scenario.location.line}"
        current = coverage.Coverage.current()
        if current is not None:
            current.switch_context(where)
        # Python processes a scenario starts (`python -m portal backup`, `migrate`, `serve`) are
        # measured too (coverage's `patch = subprocess`, which hands them its configuration in
        # COVERAGE_PROCESS_CONFIG): their static context names the scenario that started them.
        serialized = os.environ.get("COVERAGE_PROCESS_CONFIG")
        if serialized is not None:
            if ScenarioContexts._subprocess_config is None:
                ScenarioContexts._subprocess_config = json.loads(base64.b64decode(serialized))
            config = dict(ScenarioContexts._subprocess_config, context=where)
            os.environ["COVERAGE_PROCESS_CONFIG"] = base64.b64encode(json.dumps(config).encode()).decode()


def measure_coverage(scratch: Path, timeout: float) -> dict[str, dict[int, set[str]]]:
    """module -> line -> scenarios (feature:line) that execute it, or IMPORT_TIME."""
    data_file = scratch / ".coverage-mutation"
    rcfile = scratch / ".coveragerc-mutation"
    # parallel: the suite's process and every portal process it starts write their own data file
    rcfile.write_text("[run]\nsource = portal\nparallel = true\npatch = subprocess\n", encoding="utf-8")
    coverage_command = [sys.executable, "-m", "coverage"]
    command = [*coverage_command, "run", f"--rcfile={rcfile}", f"--data-file={data_file}",
               "-m", "behave", "features/", "-f", "tools.mutation_score:ScenarioContexts", "-o", "/dev/null",
               "--no-junit"]
    result = subprocess.run(command, cwd=scratch, capture_output=True, text=True, timeout=timeout,
                            env=scratch_env())
    if result.returncode != 0:
        raise SystemExit("the suite is not green without mutants; fix that first:\n" + result.stdout[-3000:])
    subprocess.run([*coverage_command, "combine", f"--rcfile={rcfile}", f"--data-file={data_file}"], cwd=scratch,
                   check=True, capture_output=True, env=scratch_env())
    import coverage

    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    lines: dict[str, dict[int, set[str]]] = {}
    for filename in data.measured_files():
        module = Path(filename).resolve().relative_to(scratch.resolve()).as_posix()
        lines[module] = {line: set(contexts) for line, contexts in data.contexts_by_lineno(filename).items()}
    return lines


def tree_digest() -> str:
    """A digest of everything that decides coverage: the portal, the features, steps and support."""
    digest = hashlib.sha256()
    for folder in ("portal", "features", "steps", "support"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update((ROOT / "environment.py").read_bytes())
    return digest.hexdigest()[:16]


def scenarios_for(mutant: Mutant, coverage_map, statements: dict[int, range] | None = None) -> set[str] | None:
    """The scenarios to run for a mutant: a set (empty: nothing executes it), or None for all.
    `statements` (from statement_lines) widens the mutant's lines to its whole statement."""
    module_lines = coverage_map.get(mutant.module, {})
    lines = set(mutant.lines)
    for line in mutant.lines:
        lines |= set((statements or {}).get(line, ()))
    found: set[str] = set()
    for line in lines:
        found |= module_lines.get(line, set())
    if IMPORT_TIME in found:
        return None
    return found


# ---------------------------------------------------------------------------------------------
# running one mutant


@dataclass
class Verdict:
    mutant: Mutant
    outcome: str                 # killed, survived, incompetent
    seconds: float
    scenarios: int | None        # how many scenarios ran (None: the whole suite)
    diff: str
    output: str = ""
    failed: list[str] = field(default_factory=list)


def scratch_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # a mutant never meets another mutant's cached bytecode
    env.pop("COVERAGE_PROCESS_START", None)
    env.pop("COVERAGE_PROCESS_CONFIG", None)
    return env


def make_scratch(parent: Path, name: str) -> Path:
    scratch = parent / name
    shutil.copytree(ROOT, scratch, ignore=shutil.ignore_patterns(
        ".venv", ".git", "reports", "node_modules", "__pycache__", ".coverage*"))
    return scratch


def mutated_source(mutant: Mutant, root: Path) -> tuple[str, str | None]:
    import cosmic_ray.plugins
    from cosmic_ray.mutating import mutate_code

    original = (root / mutant.module).read_text(encoding="utf-8")
    operator = cosmic_ray.plugins.get_operator(mutant.operator)()
    return original, mutate_code(original, operator, mutant.occurrence)


def compiles(mutant: Mutant) -> bool:
    _, mutated = mutated_source(mutant, ROOT)
    if mutated is None:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)  # e.g. `x is "a"`: still a mutant that runs
            compile(mutated, mutant.module, "exec")
    except SyntaxError:
        return False
    return True


def unified_diff(original: str, mutated: str, module: str) -> str:
    import difflib

    return "".join(difflib.unified_diff(original.splitlines(True), mutated.splitlines(True),
                                        f"a/{module}", f"b/{module}", n=0))


def run_mutant(mutant: Mutant, scratch: Path, coverage_map, timeout: float, whole_suite: bool = False) -> Verdict:
    started = time.perf_counter()
    original, mutated = mutated_source(mutant, scratch)
    if mutated is None:
        return Verdict(mutant, "incompetent", 0.0, 0, "", "cosmic-ray could not apply it")
    diff = unified_diff(original, mutated, mutant.module)
    chosen = None if whole_suite else scenarios_for(mutant, coverage_map, statement_lines(original))
    if chosen is not None and not chosen:
        return Verdict(mutant, "survived", 0.0, 0, diff, "no scenario executes this line")
    locations = ["features/"] if chosen is None else sorted(chosen)
    target = scratch / mutant.module
    target.write_text(mutated, encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "behave", "--stop", "-f", "progress", "-o", "/dev/null", "-f", "null",
             "--no-junit", *locations],
            cwd=scratch, capture_output=True, text=True, timeout=timeout, env=scratch_env())
        outcome = "killed" if result.returncode != 0 else "survived"
        output = (result.stdout[-1500:] + result.stderr[-1500:]) if outcome == "killed" else ""
        failed = re.findall(r"^\s*(features/\S+:\d+)\s", result.stdout, re.M)
    except subprocess.TimeoutExpired:
        outcome, output, failed = "killed", f"over the {timeout:.0f} s limit", []
    finally:
        target.write_text(original, encoding="utf-8")
    return Verdict(mutant, outcome, time.perf_counter() - started,
                   None if chosen is None else len(chosen), diff, output, failed)


# ---------------------------------------------------------------------------------------------
# the session database (cosmic-ray's) and the report


def init_session(session: Path) -> list[Mutant]:
    import cosmic_ray.commands
    import cosmic_ray.modules
    from cosmic_ray.config import load_config
    from cosmic_ray.work_db import WorkDB, use_db

    cfg = load_config(str(CONFIG))
    paths = [cfg["module-path"]] if isinstance(cfg["module-path"], str) else cfg["module-path"]
    os.chdir(ROOT)
    modules = cosmic_ray.modules.filter_paths(cosmic_ray.modules.find_modules([Path(p) for p in paths]),
                                              cfg.get("excluded-modules", ()))
    session.parent.mkdir(parents=True, exist_ok=True)
    if session.exists():
        session.unlink()
    with use_db(str(session), WorkDB.Mode.create) as db:
        cosmic_ray.commands.init(sorted(modules), db, cfg.operators_config)
        return mutant_ids(db.work_items)


def record(session: Path, results: dict[str, tuple[str, str, str]]) -> None:
    """Write outcomes into cosmic-ray's session: job id -> (outcome, output, diff)."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

    with use_db(str(session), WorkDB.Mode.open) as db:
        for job_id, (outcome, output, diff) in results.items():
            if outcome in ("annotation", "not sampled"):
                result = WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=outcome)
            else:
                result = WorkResult(worker_outcome=WorkerOutcome.NORMAL, output=output, diff=diff,
                                    test_outcome=TestOutcome(outcome))
            db.set_result(job_id, result)


def triaged_equivalent(path: Path = TRIAGE) -> dict[str, str]:
    """Mutant ids the triage marks `equivalent`, with the reason (rows `| id | equivalent | reason |`)."""
    found = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 3 and cells[1].lower() == "equivalent":
                found[cells[0].strip("`")] = cells[2]
    return found


def score_table(verdicts: list[dict], equivalent: dict[str, str]) -> list[dict]:
    """Per package, then 'all': sampled, killed, survived, equivalent, score over non-equivalent."""
    rows = []
    packages = sorted({v["package"] for v in verdicts})
    for package in packages + ["all"]:
        mine = [v for v in verdicts if package == "all" or v["package"] == package]
        killed = sum(v["outcome"] == "killed" for v in mine)
        equiv = sum(v["outcome"] == "survived" and v["id"] in equivalent for v in mine)
        survived = sum(v["outcome"] == "survived" for v in mine) - equiv
        counted = killed + survived
        rows.append({"package": package, "sampled": len(mine), "killed": killed, "survived": survived,
                     "equivalent": equiv, "score": (100.0 * killed / counted) if counted else 100.0})
    return rows


def write_report(state: dict, path: Path = REPORT, triage: Path = TRIAGE) -> list[dict]:
    equivalent = triaged_equivalent(triage)
    verdicts = state["verdicts"]
    rows = score_table(verdicts, equivalent)
    total = rows[-1]
    out = [
        "# Mutation score of the behave suite",
        "",
        "Written by `tools/mutation_score.py` (see its `--help` and the README's \"Mutation score\"); do not edit.",
        "Survivors are triaged by hand in [mutation-triage.md](mutation-triage.md).",
        "",
        f"- Command: `./dev python tools/mutation_score.py {state['arguments']}`",
        f"- Measured: {state['date']} on commit `{state['commit']}`",
        f"- Mutants made by cosmic-ray {state['cosmic_ray']}: {state['all']}; in annotations or keyword-only `*` markers (left out): "
        f"{state['annotation']}; sample: {len(verdicts)}, seed {state['seed']}",
        f"- Score (killed / non-equivalent): **{total['score']:.1f}%** ({total['killed']} killed, "
        f"{total['survived']} survived, {total['equivalent']} equivalent)",
        f"- Time: {state['seconds'] / 60:.0f} min" + (f" (**unfinished**: {state['partial']})" if state.get("partial") else ""),
        *([f"- Then: {state['again']}"] if state.get("again") else []),
        "",
        "| package | sampled | killed | survived | equivalent | score |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        out.append(f"| {r['package']} | {r['sampled']} | {r['killed']} | {r['survived']} | {r['equivalent']} "
                   f"| {r['score']:.1f}% |")
    survivors = [v for v in verdicts if v["outcome"] == "survived"]
    out += ["", f"## Survivors ({len(survivors)})", ""]
    for v in sorted(survivors, key=lambda v: v["id"]):
        why = equivalent.get(v["id"])
        ran = "no scenario executes it" if v["scenarios"] == 0 else (
            "whole suite" if v["scenarios"] is None else f"{v['scenarios']} scenario(s) ran")
        out += [f"### `{v['id']}`", "", f"line {v['line']}; {ran}" + (f"; equivalent: {why}" if why else ""),
                "", "```diff", *[l for l in v["diff"].splitlines() if not l.startswith(("---", "+++"))], "```", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out).rstrip() + "\n", encoding="utf-8")
    return rows


def interleaved(mutants: list[Mutant]) -> list[Mutant]:
    """Round robin over the packages, so that a run stopped early is still a sample of every package."""
    by_package: dict[str, list[Mutant]] = defaultdict(list)
    for m in mutants:
        by_package[m.package].append(m)
    order = []
    while any(by_package.values()):
        for package in sorted(by_package):
            if by_package[package]:
                order.append(by_package[package].pop(0))
    return order


def run_all(chosen: list[Mutant], scratches: list[Path], args, progress=None) -> list[Verdict]:
    cache = args.session.with_name("coverage-" + tree_digest() + ".json")
    if cache.exists():
        shown = cache.relative_to(ROOT) if cache.is_relative_to(ROOT) else cache  # a --session outside the repository
        print(f"which scenarios execute which lines: from {shown}", flush=True)
        coverage_map = {m: {int(l): set(c) for l, c in lines.items()}
                        for m, lines in json.loads(cache.read_text()).items()}
    else:
        print("measuring which scenarios execute which lines (the suite once, under coverage) ...", flush=True)
        coverage_map = measure_coverage(scratches[0], timeout=args.timeout * 4)
        cache.write_text(json.dumps({m: {l: sorted(c) for l, c in lines.items()}
                                     for m, lines in coverage_map.items()}))
    free = list(scratches)
    verdicts: list[Verdict] = []

    def one(mutant: Mutant) -> Verdict:
        scratch = free.pop()
        try:
            return run_mutant(mutant, scratch, coverage_map, args.timeout, getattr(args, "whole_suite", False))
        finally:
            free.append(scratch)

    with ThreadPoolExecutor(max_workers=len(scratches)) as pool:
        for i, verdict in enumerate(pool.map(one, chosen), 1):
            verdicts.append(verdict)
            ran = "all" if verdict.scenarios is None else verdict.scenarios
            print(f"[{i:>3}/{len(chosen)}] {verdict.outcome:<11} {verdict.seconds:5.1f}s "
                  f"({ran} scenarios) {verdict.mutant.id}", flush=True)
            if progress is not None:
                progress(verdicts)
    return verdicts


def _commit() -> str:
    """HEAD's short id, saying so when the suite's or the portal's files differ from it."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    if subprocess.run(["git", "status", "--porcelain", "portal", "features", "steps", "support"], cwd=ROOT,
                      capture_output=True, text=True).stdout.strip():
        commit += " plus uncommitted changes"
    return commit


def survivors_again(args, state: dict, state_file: Path) -> int:
    """Run the survivors of the last run again on today's code; update their verdicts and the report."""
    started = time.perf_counter()
    commit = _commit()  # the code the scratch copies are made from, not whatever HEAD is at the end
    survivors = {v["id"] for v in state["verdicts"] if v["outcome"] == "survived"}
    if args.whole_suite:  # the triaged-equivalent ones are left as they are
        survivors -= set(triaged_equivalent())
    mutants = {m.id: m for m in init_session(args.session.with_name("again.sqlite"))}
    again = [mutants[i] for i in sorted(survivors) if i in mutants]
    gone = sorted(survivors - set(mutants))
    print(f"{len(again)} survivors to run again" + (f"; {len(gone)} no longer exist: {gone}" if gone else ""),
          flush=True)
    with tempfile.TemporaryDirectory(prefix="portal-mutation-score-") as tmp:
        scratches = [make_scratch(Path(tmp), f"repo{i}") for i in range(max(1, args.workers))]
        verdicts = {v.mutant.id: v for v in run_all(again, scratches, args)}
    for v in state["verdicts"]:
        if v["id"] in verdicts:
            new = verdicts[v["id"]]
            v.update(outcome=new.outcome, scenarios=new.scenarios, diff=new.diff or v["diff"], line=new.mutant.start[0])
        elif v["id"] in gone:
            v["outcome"] = "rewritten"  # its code changed; neither killed nor survived
    state["again"] = (f"survivors run again on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC "
                      f"on commit `{commit}` ({(time.perf_counter() - started) / 60:.0f} min)")
    state_file.write_text(json.dumps(state, indent=1))
    rows = write_report(state, args.report)
    print(f"score {rows[-1]['score']:.1f}% -> {args.report}")
    return 0


# ---------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tools/mutation_score.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--sample", type=int, default=200, help="how many mutants to run (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the sample (default 1)")
    parser.add_argument("--package", action="append", default=[],
                        help="only this package of portal/ (email, sharing, portal for top-level modules...); repeatable")
    parser.add_argument("--workers", type=int, default=1, help="mutants run at once, each in its own scratch copy")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds one mutant's run may take (default 300)")
    parser.add_argument("--session", type=Path, default=SESSION, help=f"cosmic-ray session (default {SESSION.relative_to(ROOT)})")
    parser.add_argument("--report", type=Path, default=REPORT, help=f"report to write (default {REPORT.relative_to(ROOT)})")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report from the last run's results")
    parser.add_argument("--resume", action="store_true",
                        help="keep the kills of the last run (a mutant the suite killed stays killed as scenarios are "
                             "added) and run the rest of the sample")
    parser.add_argument("--whole-suite", action="store_true",
                        help="with --survivors-again: run each survivor not triaged equivalent against the whole "
                             "suite, not only the scenarios that execute its lines (a line whose result is cached, "
                             "such as the OpenAPI document built once, runs in one scenario but matters in others)")
    parser.add_argument("--survivors-again", action="store_true",
                        help="run the last run's survivors again against today's code (after closing gaps) "
                             "and update its results; the sample stays the same")
    args = parser.parse_args(argv)
    state_file = args.session.with_suffix(".json")

    if args.report_only:
        state = json.loads(state_file.read_text())
        rows = write_report(state, args.report)
        print(f"score {rows[-1]['score']:.1f}% -> {args.report}")
        return 0

    if args.survivors_again:
        return survivors_again(args, json.loads(state_file.read_text()), state_file)

    started = time.perf_counter()
    commit = _commit()
    from importlib.metadata import version as importlib_version

    print("cosmic-ray: making the mutants of portal/ ...", flush=True)
    mutants = init_session(args.session)
    spans = {m: annotation_spans((ROOT / m).read_text(encoding="utf-8")) for m in {x.module for x in mutants}}
    sources = {m: (ROOT / m).read_text(encoding="utf-8").splitlines() for m in spans}
    annotation = [m for m in mutants if in_annotation(m, spans[m.module])
                  or is_signature_marker(m, sources[m.module])]
    left_out = {m.job_id for m in annotation}
    eligible = [m for m in mutants if m.job_id not in left_out
                and (not args.package or m.package in args.package)]
    chosen = draw(eligible, args.sample, args.seed, compiles)
    print(f"{len(mutants)} mutants, {len(annotation)} in annotations or keyword-only markers; {len(chosen)} sampled "
          f"from {len(eligible)} (seed {args.seed}): " +
          ", ".join(f"{p} {n}" for p, n in sorted(Counter(m.package for m in chosen).items())), flush=True)

    shown = [f"--sample {args.sample}", f"--seed {args.seed}"] + [f"--package {p}" for p in args.package]

    def save(done: list[Verdict], partial: bool = False) -> dict:
        state = {
            "arguments": " ".join(shown), "seed": args.seed, "commit": commit,
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cosmic_ray": importlib_version("cosmic-ray"), "all": len(mutants), "annotation": len(annotation),
            "seconds": time.perf_counter() - started,
            "partial": f"{len(done)} of {len(chosen)} mutants run so far" if partial else "",
            "verdicts": [{"id": v.mutant.id, "package": v.mutant.package, "line": v.mutant.start[0],
                          "outcome": v.outcome, "scenarios": v.scenarios, "diff": v.diff, "failed": v.failed[:5]}
                         for v in done if v.outcome != "incompetent"],
        }
        state_file.write_text(json.dumps(state, indent=1))
        write_report(state, args.report)
        return state

    kept: list[Verdict] = []
    if args.resume and state_file.exists():
        previous = {v["id"]: v for v in json.loads(state_file.read_text())["verdicts"] if v["outcome"] == "killed"}
        kept = [Verdict(m, "killed", 0.0, previous[m.id]["scenarios"], previous[m.id]["diff"]) for m in chosen
                if m.id in previous]
        print(f"resuming: {len(kept)} mutants of the sample were killed by the last run", flush=True)
    done_ids = {v.mutant.id for v in kept}
    pending = interleaved([m for m in chosen if m.id not in done_ids])
    with tempfile.TemporaryDirectory(prefix="portal-mutation-score-") as tmp:
        scratches = [make_scratch(Path(tmp), f"repo{i}") for i in range(max(1, args.workers))]
        verdicts = kept + run_all(pending, scratches, args, progress=lambda done: save(kept + done, partial=True))

    results = {m.job_id: ("annotation", "", "") for m in annotation}
    chosen_ids = {m.job_id for m in chosen}
    results.update({m.job_id: ("not sampled", "", "") for m in mutants
                    if m.job_id not in chosen_ids and m.job_id not in results})
    results.update({v.mutant.job_id: (v.outcome, v.output, v.diff) for v in verdicts})
    record(args.session, results)
    save(verdicts)
    rows = score_table(json.loads(state_file.read_text())["verdicts"], triaged_equivalent())
    for r in rows:
        print(f"{r['package']:<12} {r['sampled']:>4} sampled  {r['killed']:>4} killed  {r['survived']:>4} survived"
              f"  {r['equivalent']:>3} equivalent  {r['score']:5.1f}%")
    print(f"report: {args.report}; session: {args.session} (./dev cr-report {args.session})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
