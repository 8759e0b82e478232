"""Break each business rule in the portal, one at a time, and check that the scenarios guarding
it go red. A scenario that stays green while its rule is broken guards nothing.

    ./dev python tools/rule_mutations.py                # every mutation
    ./dev python tools/rule_mutations.py consume-once   # only those whose id contains this text
    ./dev python tools/rule_mutations.py --list [TEXT]  # list them (id, rule, feature) without running

The mutations live in tools/mutations/, one module per domain of the portal. Each is applied to a
scratch copy of the repository (the working tree is never touched) and the named scenarios are
run there with behave. Exit status 1 if any mutation survives (its scenarios all pass), no longer
applies (the code it patches has changed) or selects no scenario; 2 if TEXT matches no mutation.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import mutations  # noqa: E402
from mutations.common import Mutation  # noqa: E402,F401  (re-exported for the unit test)

sys.path.insert(0, str(ROOT))
NOTHING_SELECTED = "No scenario matches this selection"  # what the suite's runner says (support/evidence/cli.py)


def all_mutations() -> list:
    found = []
    for module in sorted(m.name for m in pkgutil.iter_modules(mutations.__path__)):
        if module != "common":
            found += importlib.import_module(f"mutations.{module}").MUTATIONS
    return found


MUTATIONS = all_mutations()


def run(mutation: Mutation, scratch: Path) -> tuple[str, str]:
    target = scratch / mutation.file
    original = target.read_text()
    if original.count(mutation.old) != 1:
        return "STALE", f"the code to patch was found {original.count(mutation.old)} times in {mutation.file}"
    target.write_text(original.replace(mutation.old, mutation.new))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "behave", mutation.feature, "--name", mutation.scenario,
             "-f", "progress", "--no-junit", "-o", "/dev/null", "-f", "null"],
            cwd=scratch, capture_output=True, text=True, timeout=300,
        )
    finally:
        target.write_text(original)
    summary = next((l for l in result.stdout.splitlines() if " scenarios passed" in l or " scenario passed" in l), "")
    if NOTHING_SELECTED in result.stdout or (
            "0 scenarios passed" in summary and "0 failed" in summary and "0 error" in summary):
        return "NO SCENARIO", f"--name {mutation.scenario!r} selected nothing"
    return ("KILLED" if result.returncode != 0 else "SURVIVED"), summary.strip()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tools/rule_mutations.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("text", nargs="?", default="", help="run only the mutations whose id contains this text")
    parser.add_argument("--list", action="store_true", help="list the chosen mutations without running them")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if args.text in m.id]
    if not chosen:
        print(f"no mutation's id contains {args.text!r}; --list shows all {len(MUTATIONS)}", file=sys.stderr)
        return 2
    if args.list:
        for m in chosen:
            print(f"{m.id:<36} {m.rule:<60} {m.feature}")
        print(f"\n{len(chosen)} mutation(s)")
        return 0
    with tempfile.TemporaryDirectory(prefix="portal-mutations-") as tmp:
        scratch = Path(tmp) / "repo"
        shutil.copytree(ROOT, scratch, ignore=shutil.ignore_patterns(".venv", ".git", "reports", "node_modules", "__pycache__"))
        bad = 0
        for mutation in chosen:
            started = time.perf_counter()
            verdict, detail = run(mutation, scratch)
            bad += verdict != "KILLED"
            print(f"{verdict:<11} {mutation.id:<32} {mutation.rule:<52} ({time.perf_counter() - started:4.1f}s) {detail}", flush=True)
    print(f"\n{len(chosen) - bad} of {len(chosen)} mutations caught by their scenarios")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
