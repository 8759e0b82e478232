"""Benchmark of the acceptance suite, measured in one go:

- wall time cold (embedded PostgreSQL started from nothing) and warm (a PostgreSQL server that is
  already running, given with --database-url);
- serial against N parallel workers (tools/parallel.py), in each of those modes;
- per-scenario reset cost (median and p95);
- where the serial run's wall time goes: inside the portal's request handling, HTTP transport,
  waiting for the portal's background work, start-up and shut-down, and the harness's own work;
- portal latency p50 and p95 per endpoint, as the portal itself measured it during the run, with
  the requests of the @concurrency scenarios (deliberate crowds of 50 and 100) shown apart.

    ./dev python bench/suite_benchmark.py --database-url postgresql://postgres@127.0.0.1:5432/postgres

Every run is a fresh process. Prints a table and writes the same figures to reports/benchmark.json.
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
QUIET = ["-f", "null", "-o", os.devnull, "--no-junit"]


def _env(database_url: str | None, **extra: str) -> dict:
    env = dict(os.environ, **extra)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def serial_run(database_url: str | None) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        timings_file = Path(scratch) / "timings.json"
        launched = time.time()
        result = subprocess.run([sys.executable, "-m", "behave", "features/", *QUIET], cwd=ROOT,
                                env=_env(database_url, PORTAL_SPEC_TIMINGS=str(timings_file)),
                                capture_output=True, text=True)
        wall = time.time() - launched
        if result.returncode != 0:
            raise SystemExit(f"the suite failed; fix it before benchmarking:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
        t = json.loads(timings_file.read_text())
    resets = t["resets_ms"]
    inside = t["scenarios_s"] + sum(resets) / 1000
    return {
        "mode": t["mode"],
        "postgres": t["postgres_version"],
        "scenarios": len(resets),
        "wall_s": wall,
        "cold_start_to_first_scenario_s": t["first_scenario_at"] - launched,
        "reset_median_ms": statistics.median(resets),
        "reset_p95_ms": _pct(resets, 95),
        "shares": {
            "portal request handling": t["portal_s"] / wall,
            "HTTP transport (client, loopback, server stack)": max(0.0, t["http_s"] - t["portal_s"]) / wall,
            "waiting for the portal's background work": t["waiting_s"] / wall,
            "start-up and shut-down (interpreter, PostgreSQL, migrations, portal)": (wall - inside) / wall,
            "harness's own work (resets, test data, steps, report evidence)":
                max(0.0, inside - t["http_s"] - t["waiting_s"]) / wall,
        },
        "latency_ms": _latency(t["portal_ms_by_endpoint"]),
        "latency_under_deliberate_load_ms": _latency(t["portal_ms_by_endpoint_under_deliberate_load"]),
    }


def parallel_run(database_url: str | None, workers: int) -> float:
    launched = time.time()
    result = subprocess.run([sys.executable, "tools/parallel.py", "--workers", str(workers), "--", *QUIET],
                            cwd=ROOT, env=_env(database_url), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"the parallel run failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return time.time() - launched


def _latency(by_endpoint: dict[str, list[float]]) -> dict:
    return {endpoint: {"requests": len(v), "p50": _pct(v, 50), "p95": _pct(v, 95)}
            for endpoint, v in sorted(by_endpoint.items())}


def _pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each kind; medians are reported")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="a running PostgreSQL server, for the warm figures")
    parser.add_argument("--output", default=str(ROOT / "reports" / "benchmark.json"))
    args = parser.parse_args()

    modes = [("cold (embedded PostgreSQL)", None)]
    if args.database_url:
        modes.append(("warm (running PostgreSQL server)", args.database_url))

    report = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
              "command": "./dev python bench/suite_benchmark.py " + " ".join(sys.argv[1:]), "modes": []}
    for label, url in modes:
        serial = [serial_run(url) for _ in range(args.runs)]
        parallel = [parallel_run(url, args.workers) for _ in range(args.runs)]
        middle = sorted(serial, key=lambda r: r["wall_s"])[len(serial) // 2]
        report["modes"].append({
            "mode": label,
            "postgres": serial[0]["postgres"],
            "scenarios": serial[0]["scenarios"],
            "serial_wall_s": _median_of(serial, "wall_s"),
            f"parallel_{args.workers}_workers_wall_s": statistics.median(parallel),
            "speed-up": _median_of(serial, "wall_s") / statistics.median(parallel),
            "cold_start_to_first_scenario_s": _median_of(serial, "cold_start_to_first_scenario_s"),
            "reset_median_ms": _median_of(serial, "reset_median_ms"),
            "reset_p95_ms": _median_of(serial, "reset_p95_ms"),
            "shares_of_serial_wall_time": middle["shares"],
            "portal_latency_ms": middle["latency_ms"],
            "portal_latency_under_deliberate_load_ms": middle["latency_under_deliberate_load_ms"],
        })

    for m in report["modes"]:
        print(f"\n{m['mode']}: {m['scenarios']} scenarios, PostgreSQL {m['postgres']}")
        print(f"  wall time: serial {m['serial_wall_s']:.1f} s, {args.workers} workers "
              f"{m[f'parallel_{args.workers}_workers_wall_s']:.1f} s (speed-up {m['speed-up']:.2f}x)")
        print(f"  start to first scenario {m['cold_start_to_first_scenario_s']:.2f} s; "
              f"reset per scenario median {m['reset_median_ms']:.2f} ms, p95 {m['reset_p95_ms']:.2f} ms")
        print("  where the serial wall time goes:")
        for name, share in m["shares_of_serial_wall_time"].items():
            print(f"    {share:6.1%}  {name}")
        for title, key in (("portal latency per endpoint (ms)", "portal_latency_ms"),
                           ("... in the @concurrency scenarios' crowds", "portal_latency_under_deliberate_load_ms")):
            print(f"  {title:<42} {'requests':>8} {'p50':>7} {'p95':>7}")
            for endpoint, l in m[key].items():
                print(f"    {endpoint:<40} {l['requests']:>8} {l['p50']:>7.2f} {l['p95']:>7.2f}")
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(report, indent=2))
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    main()
