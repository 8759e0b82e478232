"""Benchmark of the acceptance suite, measured in one go:

- wall time cold (embedded PostgreSQL started from nothing) and warm (a PostgreSQL server that is
  already running, given with --database-url);
- serial against N parallel workers (tools/parallel.py), in each of those modes;
- milliseconds per scenario, serial and parallel;
- the CPU time of each process of a parallel run (each worker, the runner, the PostgreSQL backends
  serving the workers' databases) against its wall time, and how busy the whole machine was: what
  keeps a core idle;
- per-scenario reset cost (median and p95);
- the floors of the chosen tools on this machine (bench/floors.py), per scenario of the suite;
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
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import floors  # noqa: E402  (bench/floors.py, beside this script)

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
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run([sys.executable, "-m", "behave", "features/", *QUIET], cwd=ROOT,
                                env=_env(database_url, PORTAL_SPEC_TIMINGS=str(timings_file)),
                                capture_output=True, text=True)
        wall = time.time() - launched
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            raise SystemExit(f"the suite failed; fix it before benchmarking:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
        t = json.loads(timings_file.read_text())
    resets = t["resets_ms"]
    inside = t["scenarios_s"] + sum(resets) / 1000
    return {
        "requests": t.get("requests", 0),
        "steps": t.get("steps", 0),
        "mode": t["mode"],
        "postgres": t["postgres_version"],
        "scenarios": len(resets),
        "wall_s": wall,
        # the behave process (the in-process portal included); PostgreSQL's backends are not its children
        "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "cold_start_to_first_scenario_s": t["first_scenario_at"] - launched,
        "reset_median_ms": statistics.median(resets),
        "reset_p95_ms": _pct(resets, 95),
        "shares": {
            "portal request handling": t["portal_s"] / wall,
            "HTTP transport (client, loopback, server stack)": max(0.0, t["http_s"] - t["portal_s"]) / wall,
            "waiting for the portal's background work": t["waiting_s"] / wall,
            "start-up and shut-down (interpreter, PostgreSQL, migrations, portal)": (wall - inside) / wall,
            "harness: resets between scenarios": sum(resets) / 1000 / wall,
            "harness: each exchange written to the report, secrets masked": t.get("evidence_s", 0.0) / wall,
            "harness: each answer checked against the OpenAPI document": t.get("contract_s", 0.0) / wall,
            "harness: the rest (test data, steps' own checks, behave, allure-behave, Cucumber messages)":
                max(0.0, inside - t["http_s"] - t["waiting_s"] - sum(resets) / 1000 - t.get("evidence_s", 0.0)
                    - t.get("contract_s", 0.0)) / wall,
        },
        "latency_ms": _latency(t["portal_ms_by_endpoint"]),
        "latency_under_deliberate_load_ms": _latency(t["portal_ms_by_endpoint_under_deliberate_load"]),
    }


def parallel_run(database_url: str | None, workers: int) -> dict:
    """One run of tools/parallel.py, with the CPU time of each of its processes sampled as it runs."""
    sampler = CpuSampler()
    launched = time.time()
    with tempfile.TemporaryFile("w+") as output:
        runner = psutil.Popen([sys.executable, "tools/parallel.py", "--workers", str(workers), "--", *QUIET],
                              cwd=ROOT, env=_env(database_url), stdout=output, stderr=subprocess.STDOUT, text=True)
        sampler.watch(runner)
        wall = time.time() - launched
        if runner.returncode != 0:
            output.seek(0)
            raise SystemExit(f"the parallel run failed:\n{output.read()[-3000:]}")
    databases = set()
    for report in (ROOT / "reports" / "workers").glob("w*.json"):
        databases.add(json.loads(report.read_text()).get("database_name"))
    return {"wall_s": wall, "cpu": sampler.figures(wall, databases)}


class CpuSampler:
    """CPU seconds (user + system) of the runner, its workers and the PostgreSQL backends, read from
    the operating system every 0.2 s while the run lasts (a process's last reading before it ends counts)."""

    EVERY = 0.2

    def __init__(self):
        self.seen: dict[int, tuple[str, float]] = {}  # pid -> (label, CPU seconds at its last reading)
        self.machine_before = psutil.cpu_times()

    def watch(self, runner: psutil.Popen) -> None:
        while runner.poll() is None:
            self._sample(runner)
            time.sleep(self.EVERY)
        self.machine_after = psutil.cpu_times()

    def _sample(self, runner: psutil.Popen) -> None:
        try:
            workers = runner.children()
            processes = [(runner, "runner (tools/parallel.py)")] + [(w, self._worker(w)) for w in workers] + [
                (p, "the workers' subprocesses (e.g. the portal's command line)")
                for w in workers for p in w.children(recursive=True)]
        except psutil.Error:
            return
        for process in psutil.process_iter(["cmdline"]):
            # a backend's title: "postgres: [cluster:] user database client state"
            words = " ".join(process.info["cmdline"] or []).split()
            if words[:1] == ["postgres:"]:
                database = next((w for w in words if w.startswith("portal_spec_")), None)
                if database:
                    processes.append((process, "postgres " + database))
        for process, label in processes:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            label = self.seen.get(process.pid, (label,))[0] if label is None else label
            self.seen[process.pid] = (label, times.user + times.system)

    def _worker(self, process: psutil.Process) -> str | None:
        """'worker wN', read once from its environment; None: keep the label it already has."""
        if process.pid in self.seen and self.seen[process.pid][0]:
            return self.seen[process.pid][0]
        try:
            worker = process.environ().get("PORTAL_SPEC_WORKER")
        except psutil.Error:
            return None
        return f"worker {worker}" if worker else None

    def figures(self, wall: float, databases: set[str]) -> dict:
        per_process: dict[str, float] = {}
        backends = 0.0
        for label, seconds in self.seen.values():
            label = label or "other processes of the runner"  # its environment could not be read
            if label.startswith("postgres "):
                if label.split()[1] in databases:
                    backends += seconds
                continue
            per_process[label] = per_process.get(label, 0.0) + seconds
        per_process["PostgreSQL backends of the workers' databases"] = backends
        busy = _busy(self.machine_after) - _busy(self.machine_before)
        return {"per_process_s": dict(sorted(per_process.items())), "machine_busy_core_s": busy,
                "machine_cores": psutil.cpu_count(), "wall_s": wall}


def _busy(times) -> float:
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


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
    floor_figures = floors.measure(args.database_url)
    report["floors"] = floor_figures
    for label, url in modes:
        serial = [serial_run(url) for _ in range(args.runs)]
        parallel = [parallel_run(url, args.workers) for _ in range(args.runs)]
        middle = sorted(serial, key=lambda r: r["wall_s"])[len(serial) // 2]
        middle_parallel = sorted(parallel, key=lambda r: r["wall_s"])[len(parallel) // 2]
        scenarios = serial[0]["scenarios"]
        report["modes"].append({
            "mode": label,
            "postgres": serial[0]["postgres"],
            "scenarios": scenarios,
            "serial_wall_s": _median_of(serial, "wall_s"),
            "serial_ms_per_scenario": _median_of(serial, "wall_s") * 1000 / scenarios,
            "serial_cpu_s": middle["cpu_s"],
            f"parallel_{args.workers}_workers_wall_s": _median_of(parallel, "wall_s"),
            "parallel_ms_per_scenario": _median_of(parallel, "wall_s") * 1000 / scenarios,
            "speed-up": _median_of(serial, "wall_s") / _median_of(parallel, "wall_s"),
            "parallel_cpu": middle_parallel["cpu"],
            "cold_start_to_first_scenario_s": _median_of(serial, "cold_start_to_first_scenario_s"),
            "reset_median_ms": _median_of(serial, "reset_median_ms"),
            "reset_p95_ms": _median_of(serial, "reset_p95_ms"),
            "shares_of_serial_wall_time": middle["shares"],
            "requests_per_scenario": middle["requests"] / scenarios,
            "steps_per_scenario": middle["steps"] / scenarios,
            "floors_ms_per_scenario": floors.per_scenario(floor_figures, middle["requests"] / scenarios,
                                                          middle["steps"] / scenarios),
            "portal_latency_ms": middle["latency_ms"],
            "portal_latency_under_deliberate_load_ms": middle["latency_under_deliberate_load_ms"],
        })

    fl = report["floors"]
    print("floors of the chosen tools on this machine (bench/floors.py):")
    client = fl["http_client_cpu_us_per_request"]
    print(f"  HTTP client CPU per request: httpx {client['httpx, loopback transport']:.0f} us with the harness's "
          f"loopback transport, {client['httpx']:.0f} us with its default one (http.client {client['http.client']:.0f} us)")
    print(f"  server CPU per request, uvicorn and FastAPI with one endpoint: {fl['asgi_server_cpu_us_per_request']:.0f} us")
    print(f"  a step that does nothing: {fl['behave_ms_per_step']['with allure-behave']:.2f} ms with allure-behave, "
          f"{fl['behave_ms_per_step']['without a report']:.2f} ms without a report")
    st = fl["start"]
    print(f"  start: Python {st['python_s']:.2f} s, with the chosen tools imported {st['python_and_the_chosen_tools_s']:.2f} s; "
          f"an embedded PostgreSQL made and started {st['embedded_postgresql_s']:.2f} s")
    if "postgres_round_trip" in fl:
        print(f"  a PostgreSQL round trip (SELECT 1): {fl['postgres_round_trip']['wall_us']:.0f} us")
    for m in report["modes"]:
        print(f"\n{m['mode']}: {m['scenarios']} scenarios, PostgreSQL {m['postgres']}")
        print(f"  wall time: serial {m['serial_wall_s']:.1f} s, {args.workers} workers "
              f"{m[f'parallel_{args.workers}_workers_wall_s']:.1f} s (speed-up {m['speed-up']:.2f}x)")
        print(f"  per scenario: serial {m['serial_ms_per_scenario']:.1f} ms, "
              f"{args.workers} workers {m['parallel_ms_per_scenario']:.1f} ms; the serial run's behave process "
              f"used {m['serial_cpu_s']:.1f} s of CPU ({m['serial_cpu_s'] * 1000 / m['scenarios']:.1f} ms per scenario)")
        cpu = m["parallel_cpu"]
        print(f"  CPU of the {args.workers}-worker run ({cpu['wall_s']:.1f} s wall), per process:")
        for name, seconds in cpu["per_process_s"].items():
            if seconds < 0.05:
                continue
            print(f"    {seconds:7.1f} s  {seconds / cpu['wall_s']:6.1%} of a core  {name}")
        print(f"    the whole machine: {cpu['machine_busy_core_s']:.1f} of {cpu['machine_cores'] * cpu['wall_s']:.1f} "
              f"core-seconds busy ({cpu['machine_busy_core_s'] / (cpu['machine_cores'] * cpu['wall_s']):.0%}; "
              "other programs included)")
        print(f"  start to first scenario {m['cold_start_to_first_scenario_s']:.2f} s; "
              f"reset per scenario median {m['reset_median_ms']:.2f} ms, p95 {m['reset_p95_ms']:.2f} ms")
        f = m["floors_ms_per_scenario"]
        print(f"  floors (bench/floors.py), for the {m['requests_per_scenario']:.1f} requests and "
              f"{m['steps_per_scenario']:.1f} steps of a scenario: {f['together']:.1f} ms per scenario "
              f"(httpx client {f['httpx client']:.1f}, uvicorn and FastAPI serving {f['uvicorn and FastAPI serving']:.1f}, "
              f"behave and allure-behave {f['behave and allure-behave']:.1f})")
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
