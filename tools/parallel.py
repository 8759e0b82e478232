"""Run the acceptance suite in N worker processes on this machine, or one shard of it on a CI
machine, with results merged as if from one run.

    ./dev python tools/parallel.py --workers 2                 # the whole suite, two workers
    ./dev python tools/parallel.py --workers 2 --shard 1/3     # CI machine 1 of 3: its third, two workers
    ./dev python tools/parallel.py --workers 2 -- --tags=@negative   # extra behave options after --

Each worker is a `behave` process with its own throwaway database (created and migrated by the
worker on one shared PostgreSQL server) and its own in-process portal. Scenarios (each example of
an outline) are split between workers, and between shards, deterministically: longest first, each
to the least loaded bin, by the durations in tools/scenario_durations.json (`--record-durations`
refreshes them from this run; a scenario not listed counts as the median). Allure results and JUnit files of all workers land in
reports/allure-results and reports/junit (their names never collide); the runner then writes the
merged summary, environment and categories. Exit status: 1 if any worker failed.

Shards: run `--shard i/N` on each of N machines, collect each machine's reports/allure-results into
one folder (they merge by copying: every result file has a unique name), and build the report
from it. Each shard's reports/summary.json carries its part of the summary.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from support.evidence import run_summary  # noqa: E402
from support.evidence.run_summary import Endpoint, RunSummary  # noqa: E402
from support.harness.database import embedded_server  # noqa: E402

DURATIONS = ROOT / "tools" / "scenario_durations.json"
REPORTS = ROOT / "reports"


def scenarios() -> dict[str, str]:
    """Every scenario (each example of an outline) as key -> location: `file::name` -> `file:line`."""
    from behave.parser import parse_file

    found = {}
    for path in sorted((ROOT / "features").rglob("*.feature")):
        relative = path.relative_to(ROOT).as_posix()
        for scenario in parse_file(str(path)).walk_scenarios():
            found[f"{relative}::{scenario.name}"] = f"{relative}:{scenario.location.line}"
    return found


def known_durations() -> dict[str, float]:
    try:
        return json.loads(DURATIONS.read_text())
    except (OSError, ValueError):
        return {}


def split(keys: list[str], bins: int, durations: dict[str, float]) -> list[list[str]]:
    """Deterministic longest-processing-time split: the same inputs always give the same bins."""
    default = statistics.median(durations.values()) if durations else 1.0
    weight = {k: durations.get(k, default) for k in keys}
    loads = [[0.0, i, []] for i in range(bins)]
    for key in sorted(keys, key=lambda k: (-weight[k], k)):
        target = min(loads, key=lambda b: (b[0], b[1]))
        target[0] += weight[key]
        target[2].append(key)
    return [sorted(b[2]) for b in loads]


def parse_shard(text: str) -> tuple[int, int]:
    try:
        index, total = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--shard takes i/N, e.g. 1/3; got {text!r}") from None
    if not 1 <= index <= total:
        raise argparse.ArgumentTypeError(f"--shard {text}: i must be between 1 and N")
    return index, total


@contextlib.contextmanager
def shared_server():
    """The PostgreSQL server the workers share: DATABASE_URL's, else an embedded one."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"], None
        return
    with embedded_server() as url:
        yield url, "an embedded PostgreSQL (pgserver) shared by the parallel workers"


PROGRESS_MARKS = set(".FEsU")  # the console's marks, one per scenario (support/evidence/console.py)
PROGRESS_EVERY = 5.0  # seconds between progress lines


def progress_of(log_text: str) -> tuple[int, int]:
    """(scenarios done, of which did not pass) from a worker's console log so far."""
    done = bad = 0
    started = False
    for line in log_text.splitlines():
        if not started:
            started = line.startswith("portal-spec:")
            continue
        if not line.strip():
            break
        marks = line.split()[0] if line.split() else ""
        if not set(marks) <= PROGRESS_MARKS:
            break
        done += len(marks)
        bad += sum(marks.count(m) for m in "FEU")
    return done, bad


def progress_line(workers: list[dict], elapsed: float) -> str:
    parts = []
    for worker in workers:
        try:
            done, bad = progress_of((REPORTS / "workers" / f"{worker['id']}.log").read_text(encoding="utf-8", errors="replace"))
        except OSError:
            done, bad = 0, 0
        state = "" if worker["process"].poll() is None else " done"
        parts.append(f"{worker['id']} {done}/{len(worker['files'])}" + (f" ({bad} not passed)" if bad else "") + state)
    return f"  {elapsed:5.1f} s  " + "   ".join(parts)


def start_workers(groups: list[list[str]], behave_args: list[str], server_url: str, origin: str | None) -> list[dict]:
    logs = REPORTS / "workers"
    workers = []
    for number, files in enumerate(groups, start=1):
        if not files:
            continue
        # the runner cleared the result folders; the workers add to them side by side
        env = dict(os.environ, PORTAL_SPEC_WORKER=f"w{number}", DATABASE_URL=server_url, PORTAL_SPEC_KEEP_RESULTS="1")
        env.pop("PORTAL_SPEC_DB", None)
        if origin:
            env["PORTAL_SPEC_DB_ORIGIN"] = origin
        log = open(logs / f"w{number}.log", "w", encoding="utf-8")
        command = [sys.executable, "-m", "behave", *files, *behave_args]  # the default console: progress marks
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        workers.append({"id": f"w{number}", "files": files, "process": process, "log": log, "started": started})
    return workers


def wait_for(workers: list[dict], began: float) -> None:
    """Wait for every worker, printing each one's progress every few seconds."""
    last = time.perf_counter()
    while any(w["process"].poll() is None for w in workers):
        time.sleep(0.2)
        for worker in workers:
            if "seconds" not in worker and worker["process"].poll() is not None:
                worker["seconds"] = time.perf_counter() - worker["started"]
        if time.perf_counter() - last >= PROGRESS_EVERY:
            last = time.perf_counter()
            print(progress_line(workers, last - began), flush=True)
    for worker in workers:
        worker["returncode"] = worker["process"].wait()
        worker.setdefault("seconds", time.perf_counter() - worker["started"])
        worker["log"].close()


def stop(workers: list[dict]) -> None:
    """Ctrl-C: end every worker (each drops its own database on the way out), then return."""
    for worker in workers:
        if worker["process"].poll() is None:
            worker["process"].send_signal(signal.SIGINT)  # behave stops and runs its clean-up
    for worker in workers:
        try:
            worker["process"].wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker["process"].kill()
            worker["process"].wait()
        worker["log"].close()


def run_workers(groups: list[list[str]], behave_args: list[str], server_url: str, origin: str | None) -> list[dict]:
    began = time.perf_counter()
    workers = start_workers(groups, behave_args, server_url, origin)
    try:
        wait_for(workers, began)
    except KeyboardInterrupt:
        stop(workers)
        raise
    print(progress_line(workers, time.perf_counter() - began), flush=True)
    return workers


def merge(workers: list[dict]) -> tuple[RunSummary, list[Endpoint], dict]:
    parts, endpoints, info = [], [], {}
    for worker in workers:
        path = REPORTS / "workers" / f"{worker['id']}.json"
        if not path.exists():
            continue  # the worker could not start; its log says why
        data = json.loads(path.read_text())
        parts.append(data["summary"])
        endpoints = [Endpoint(m, t) for m, t in data["endpoints"]] or endpoints
        info = {"database": data["database"], "postgres": data["postgres"]}
    return RunSummary.merged(parts), endpoints, info


def write_merged_report(summary: RunSummary, endpoints: list[Endpoint], info: dict, workers: int, shard: str | None):
    from allure_commons.logger import AllureFileLogger
    from allure_commons.model2 import Attachment, Globals
    from allure_commons.types import AttachmentType

    results = REPORTS / "allure-results"
    properties = run_summary.environment_properties(
        summary, endpoints, portal=run_summary.portal_version(ROOT),
        run_mode=f"local, {workers} parallel workers" + (f", shard {shard}" if shard else ""),
        database=info.get("database", "unknown"), postgres=info.get("postgres", "unknown"))
    run_summary.write_report_files(results, properties, summary.as_dict(endpoints))
    text = "\n".join(summary.lines(endpoints))
    logger = AllureFileLogger(str(results), clean=False)
    name = f"summary-{int(time.time() * 1000)}-attachment.txt"
    (results / name).write_text(text, encoding="utf-8")
    logger.report_globals(Globals(attachments=[Attachment(name="Specification summary", source=name,
                                                          type=AttachmentType.TEXT.mime_type)]))
    return text


def clear_earlier_results() -> threading.Thread:
    """The earlier run's result folders renamed aside at once and deleted in a thread while the
    workers start (about 8,000 files: deleting them first took up to 1.5 s on a busy disk)."""
    aside = sorted(REPORTS.glob(".*.old-*"))  # left by a run that was killed while deleting
    for folder in ("allure-results", "junit", "workers", "cucumber"):
        path = REPORTS / folder
        if path.exists():
            target = REPORTS / f".{folder}.old-{os.getpid()}-{time.time_ns()}"
            path.rename(target)
            aside.append(target)
    thread = threading.Thread(target=lambda: [shutil.rmtree(p, ignore_errors=True) for p in aside], daemon=True)
    thread.start()
    return thread


def main(argv: list[str]) -> int:
    if "--" in argv:
        cut = argv.index("--")
        argv, behave_args = argv[:cut], argv[cut + 1:]
    else:
        behave_args = []
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--shard", type=parse_shard, help="i/N: run only this machine's share of the features")
    parser.add_argument("--record-durations", action="store_true", help="save this run's feature durations for balancing")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")

    durations = known_durations()
    locations = scenarios()
    keys = sorted(locations)
    shard_label = None
    if args.shard:
        index, total = args.shard
        keys = split(keys, total, durations)[index - 1]
        shard_label = f"{index}/{total}"
    groups = [[locations[k] for k in group] for group in split(keys, args.workers, durations)]

    clearing = clear_earlier_results()
    (REPORTS / "workers").mkdir(parents=True)

    started = time.perf_counter()
    try:
        with shared_server() as (server_url, origin):
            mode = origin or "a PostgreSQL server from DATABASE_URL (a throwaway database per worker)"
            print(f"parallel: {sum(map(len, groups))} scenario(s) in {sum(1 for g in groups if g)} worker(s) on {mode}"
                  + (f", shard {shard_label}" if shard_label else ""), flush=True)
            workers = run_workers(groups, behave_args, server_url, origin)
    except KeyboardInterrupt:
        clearing.join()
        print("\nparallel: stopped (Ctrl-C); every worker ended and dropped its database. "
              "Partial logs are in reports/workers/; the results are incomplete, so no summary was written.",
              file=sys.stderr, flush=True)
        return 130
    wall = time.perf_counter() - started
    clearing.join()

    summary, endpoints, info = merge(workers)
    text = write_merged_report(summary, endpoints, info, len(workers), shard_label)
    print(text)
    print()
    for worker in workers:
        verdict = "passed" if worker["returncode"] == 0 else f"FAILED (exit {worker['returncode']})"
        print(f"  worker {worker['id']}: {len(worker['files'])} scenario(s), {worker['seconds']:.1f} s, {verdict}; "
              f"log: reports/workers/{worker['id']}.log")
    if args.record_durations:
        measured = {k: round(v, 3) for k, v in summary.scenario_seconds.items() if k in locations}
        kept = {k: v for k, v in durations.items() if k in locations and k not in measured}
        DURATIONS.write_text(json.dumps(dict(sorted({**kept, **measured}.items())), indent=2) + "\n")
        print(f"  durations recorded in {DURATIONS.relative_to(ROOT)}")
    statuses = summary.statuses
    print(f"\n{statuses.get('passed', 0)} passed, {statuses.get('failed', 0) + statuses.get('error', 0)} failed, "
          f"{statuses.get('skipped', 0)} skipped in {wall:.1f} s with {len(workers)} worker(s)")
    failed = any(w["returncode"] != 0 for w in workers) or not workers
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
