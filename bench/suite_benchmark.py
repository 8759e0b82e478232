"""Benchmark of the acceptance suite: cold start to first scenario, per-scenario reset cost,
total wall time, for each database mode available here.

    ./dev python bench/suite_benchmark.py                 # embedded PostgreSQL, 3 runs
    ./dev python bench/suite_benchmark.py --runs 5 \\
        --database-url postgresql://postgres@127.0.0.1:5432/postgres

Each run is a fresh `behave features/` process (so every run is a cold start: PostgreSQL,
migrations and the portal start from nothing). Prints a table and writes reports/benchmark.json.
A measurement, never a test: nothing here passes or fails on speed.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run(database_url: str | None) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        timings_file = Path(scratch) / "timings.json"
        env = dict(os.environ, PORTAL_SPEC_TIMINGS=str(timings_file))
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        launched = time.time()
        result = subprocess.run(
            [sys.executable, "-m", "behave", "features/", "-f", "null",
             "-o", os.devnull, "--no-junit", "-D", "AllureFormatter.hide_excluded=true"],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )
        wall = time.time() - launched
        if result.returncode != 0:
            raise SystemExit(f"the suite failed; fix it before benchmarking:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
        timings = json.loads(timings_file.read_text())
    resets = timings["resets_ms"]
    return {
        "mode": timings["mode"],
        "postgres": timings["postgres_version"],
        "scenarios": len(resets),
        "cold_start_to_first_scenario_s": round(timings["first_scenario_at"] - launched, 3),
        "database_ready_s": round(timings["database_ready"], 3),
        "portal_ready_s": round(timings["portal_ready"], 3),
        "reset_median_ms": round(statistics.median(resets), 3),
        "reset_p95_ms": round(sorted(resets)[int(0.95 * (len(resets) - 1))], 3),
        "wall_s": round(wall, 3),
    }


def summarise(runs: list[dict]) -> dict:
    keys = ["cold_start_to_first_scenario_s", "reset_median_ms", "reset_p95_ms", "wall_s"]
    return {
        "mode": runs[0]["mode"],
        "postgres": runs[0]["postgres"],
        "scenarios": runs[0]["scenarios"],
        "runs": len(runs),
        **{f"{k} (median of runs)": round(statistics.median(r[k] for r in runs), 3) for k in keys},
        "each_run": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="also measure server mode against this PostgreSQL server")
    parser.add_argument("--output", default=str(ROOT / "reports" / "benchmark.json"))
    args = parser.parse_args()

    targets = [None] + ([args.database_url] if args.database_url else [])
    results = [summarise([one_run(url) for _ in range(args.runs)]) for url in targets]

    header = f"{'mode':<10} {'scenarios':>9} {'cold start to 1st scenario':>27} {'reset median':>13} {'reset p95':>10} {'wall time':>10}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['mode']:<10} {r['scenarios']:>9} {r['cold_start_to_first_scenario_s (median of runs)']:>25.2f} s "
              f"{r['reset_median_ms (median of runs)']:>10.2f} ms {r['reset_p95_ms (median of runs)']:>7.2f} ms "
              f"{r['wall_s (median of runs)']:>8.2f} s")
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "command": " ".join([Path(sys.argv[0]).as_posix()] + sys.argv[1:]),
        "results": results,
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(report, indent=2))
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
