"""behave fixtures: the run (once) and the scenario's world (each time), with their clean-up."""
from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from pathlib import Path

from behave import fixture, use_fixture

from support.evidence import attachments, console, run_summary
from support.harness.config import SuiteConfig
from support.harness.run import suite_run
from support.world import World

# tags that say what a scenario needs from the harness
NEEDS_FAKES = "fakes"          # provider fakes (captured emails, scripted provider answers)
NEEDS_LOCAL_PORTAL = "local"   # a portal the suite starts itself (e.g. with other settings)
NEEDS_MUX = "mux"              # the Mux fake, and the run's Mux signing keys to check playback tokens


@fixture
def acceptance_run(context):
    config = SuiteConfig.from_sources(context.config.userdata)
    if not os.environ.get(KEEP_RESULTS):
        clear_results(context.config)
    try:
        started = suite_run(config)
        run = started.__enter__()
    except Exception as problem:
        attachments.record_start_failure(problem, allure_results_dir(context.config))
        finish_clearing()
        raise
    try:
        context.run = run
        yield run
        report_contract(run)
        if config.worker_id:
            write_worker_report(run, config.worker_id)
        else:
            summarise_run(context, run)
        if config.timings_file:
            write_timings(run, config.timings_file)
    except BaseException:
        if not started.__exit__(*sys.exc_info()):
            raise
    else:
        started.__exit__(None, None, None)
    finally:
        finish_clearing()


def report_contract(run) -> None:
    """With PORTAL_SPEC_CONTRACT=report: what the OpenAPI document does not yet say, at the end."""
    if run.config.contract_mode != "report" or run._contract is None:
        return
    lines = [f"  {operation} answered {status} ({times}x), not in the document"
             for (operation, status), times in sorted(run.contract.undocumented.items(), key=lambda i: str(i[0]))]
    others = sorted(set(run.contract_violations))
    print(f"\nOpenAPI contract (report mode): {len(run.contract_violations)} violation(s); "
          f"undocumented statuses:\n" + ("\n".join(lines) or "  none") + "\nAll distinct violations:\n  "
          + ("\n  ".join(others) or "none") + "\n", flush=True)


# set (to 1) to keep earlier results and add this run's to them, as tools/parallel.py's workers do
KEEP_RESULTS = "PORTAL_SPEC_KEEP_RESULTS"


def clear_results(config) -> None:
    """Each run starts from empty result folders: a report built after two runs would otherwise
    show every scenario as retried, both runs' summaries and a duration spanning both.

    A full run leaves about 8,000 files, and deleting them one by one took up to 1.5 s of the
    start-up on a busy disk: each folder is renamed aside and made anew at once, and the old one is
    deleted in a thread meanwhile (`finish_clearing()` waits for it at the end of the run; one left
    by a run that was killed is deleted by the next)."""
    folders = [allure_results_dir(config)]
    if getattr(config, "junit", False):
        folders.append(Path(config.junit_directory))
    for folder in folders:
        if folder.resolve() in (Path("reports").resolve(), Path(".").resolve()):
            continue  # a results folder configured as the reports folder itself: history lives there
        old = sorted(folder.parent.glob(f".{folder.name}.old-*")) if folder.parent.is_dir() else []
        if folder.is_dir():
            aside = folder.with_name(f".{folder.name}.old-{os.getpid()}-{time.time_ns()}")
            try:
                folder.rename(aside)
                folder.mkdir()
                old.append(aside)
            except OSError:  # cannot rename it (a mount point, say): empty it in place
                if not folder.is_dir():
                    folder.mkdir(parents=True)
                for entry in folder.iterdir():
                    shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        if old:
            _clearing.append(threading.Thread(target=_remove, args=(old,), name="portal-spec-clear-results", daemon=True))
            _clearing[-1].start()
    Path("reports/summary.json").unlink(missing_ok=True)


_clearing: list = []  # threads deleting earlier runs' results


def _remove(folders) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def finish_clearing() -> None:
    """Wait until the earlier runs' results are deleted (clear_results)."""
    while _clearing:
        _clearing.pop().join()


def allure_results_dir(config) -> Path:
    for name, target in zip(config.format or [], config.outfiles or []):
        if "allure" in name.lower() or "Allure" in name:
            return Path(target)
    return Path("reports/allure-results")


def summarise_run(context, run) -> None:
    """Print the run's summary before behave's own, and give the report the same figures."""
    endpoints = run_summary.endpoints_from_openapi(run.openapi())
    lines = run.summary.lines(endpoints, whole_suite=not console.is_filtered(context.config))
    console.announce(lines)
    root = Path(__file__).resolve().parent.parent
    run_summary.write_report_files(
        allure_results_dir(context.config),
        run_summary.environment_properties(
            run.summary, endpoints,
            portal=f"live portal at {run.base_url}" if run.live else run_summary.portal_version(root),
            run_mode="live" if run.live else "local (portal in-process)",
            database=run.database.description, postgres=run.database.server_version),
        run.summary.as_dict(endpoints),
    )
    attachments.attach_run_summary("\n".join(lines))


def write_worker_report(run, worker_id: str) -> None:
    """A parallel worker leaves its figures to the runner (tools/parallel.py), which merges them."""
    import json

    folder = Path("reports/workers")
    folder.mkdir(parents=True, exist_ok=True)
    report = {
        "summary": run.summary.to_json(),
        "endpoints": [[e.method, e.template] for e in run_summary.endpoints_from_openapi(run.openapi())],
        "database": run.database.description,
        "database_name": run.database.name,  # bench/suite_benchmark.py counts the CPU of its backends
        "postgres": run.database.server_version,
    }
    (folder / f"{worker_id}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")


def write_timings(run, path: str) -> None:
    import json

    timings = dict(run.timings)
    timings["resets_ms"] = [round(s * 1000, 3) for s in timings.pop("resets", [])]
    latencies: dict[str, list[float]] = {}
    crowded: dict[str, list[float]] = {}
    for endpoint, ms, in_crowd in (run.log.latencies if run.log else []):
        (crowded if in_crowd else latencies).setdefault(endpoint, []).append(round(ms, 3))
    timings["portal_ms_by_endpoint"] = latencies
    timings["portal_ms_by_endpoint_under_deliberate_load"] = crowded
    timings["portal_s"] = covered_seconds(run.log.intervals) if run.log else 0.0
    timings["mode"] = run.database.mode.value
    timings["postgres_version"] = run.database.server_version
    with open(path, "w", encoding="utf-8") as out:
        json.dump(timings, out, indent=2)


def covered_seconds(intervals) -> float:
    """Seconds covered by the union of (start, end) intervals: concurrent requests count once."""
    total, end = 0.0, float("-inf")
    for start, stop in sorted(intervals):
        if stop <= end:
            continue
        total += stop - max(start, end)
        end = stop
    return total


def skip_reason(run, tags) -> str | None:
    if not run.live:
        return None
    if NEEDS_FAKES in tags:
        return "live mode: this scenario needs the provider fakes (captured emails), which only local mode has"
    if NEEDS_MUX in tags:
        return ("live mode: this scenario needs the Mux fake (its uploads, its signed webhooks) or this run's "
                "Mux URL signing key to check playback tokens, which only local mode has")
    if NEEDS_LOCAL_PORTAL in tags:
        return ("live mode: this scenario needs a portal and database the suite controls "
                "(its own portal instance, the portal's log, or the whole database to itself)")
    return None


@fixture
def scenario_world(context, scenario):
    reason = skip_reason(context.run, scenario.effective_tags)
    if reason:
        scenario.skip(reason=reason)
        yield None
        context.run.summary.record(scenario, [])
        return
    context.run.timings.setdefault("first_scenario_at", time.time())
    context.run.timings.setdefault("resets", []).append(context.run.start_scenario())
    if context.run.log is not None:
        context.run.log.crowded = "concurrency" in scenario.effective_tags
    began = time.perf_counter()
    world = World(context.run)
    context.world = world
    try:
        yield world
    finally:
        context.run.summary.record(scenario, world.exchanges.all, time.perf_counter() - began)
        context.run.add_time("scenarios_s", time.perf_counter() - began)
        context.run.add_time("http_s", covered_seconds([e.interval for e in world.exchanges.all]))
        if context.run.resend is not None:
            context.run.resend.release()
        world.close()


def after_step_checks(context, step) -> None:
    """Attach the step's HTTP exchanges; fail the step if the portal tried to reach the network."""
    world = getattr(context, "world", None)
    if world is None:
        return
    exchanges = list(world.exchanges.pending)
    run = context.run
    run.add_time("steps", 1)  # counted for the benchmark's floors (bench/floors.py)
    run.add_time("requests", len(exchanges))
    began = time.perf_counter()
    attachments.attach_exchanges(world)
    checked = time.perf_counter()
    run.add_time("evidence_s", checked - began)
    try:
        check_contract(run, world, exchanges)
    finally:
        run.add_time("contract_s", time.perf_counter() - checked)
    network = context.run.network
    unexpected = network.take_unexpected() if network is not None else []
    if unexpected:
        raise AssertionError(
            "the portal made outbound request(s) no provider fake answers: "
            + "; ".join(str(u) for u in unexpected)
        )
    resend = context.run.resend
    violations = resend.take_violations() if resend is not None else []
    if violations:
        raise AssertionError("the portal made call(s) that break Resend's documented contract "
                             "(support/fakes/contracts/resend.schema.json):\n  " + "\n  ".join(violations))
    mux = getattr(context.run, "mux", None)
    violations = mux.take_violations() if mux is not None else []
    if violations:
        raise AssertionError("the portal made call(s) that break Mux's documented contract "
                             "(support/fakes/contracts/mux.schema.json):\n  " + "\n  ".join(violations))


def check_contract(run, world, exchanges) -> None:
    """Each answer the step received, against the portal's OpenAPI document (one sentence each)."""
    from support.evidence.redaction import redact_text

    problems = [redact_text(p, world.secrets) for e in exchanges for p in run.contract.problems(e, world.secrets)]
    if not problems:
        return
    if run.config.contract_mode == "report":
        run.contract_violations.extend(problems)
        return
    raise AssertionError("\n".join(problems))


@fixture
def portal_instance(context, **overrides):
    """A second portal of this run's code with other settings, stopped when the scenario ends. It makes
    its OpenAPI document at the first request for it, not at start-up: most such portals are asked
    for a page or two, and the warm-up's CPU would be taken from the scenario's own steps."""
    from support.harness.run import start_portal

    database_url = overrides.pop("database_url", context.run.database.url)
    portal = start_portal(database_url, worker_enabled=False, warm_up_at_start=False, **overrides)
    try:
        yield portal
    finally:
        portal.stop()


@fixture
def worker_down(context):
    """The run's portal serves requests but its background worker is stopped, until a step
    starts it again; started again at the end of the scenario in any case."""
    portal = context.run.portal
    portal.stop_worker()
    try:
        yield portal
    finally:
        if not portal.worker.running:
            portal.start_worker()


@fixture
def unprivileged_database_account(context):
    """A database account of the run's server that may connect to the run's database and read none
    of its tables, as after an operator's grants went wrong; dropped when the scenario ends. Yields
    its connection string (with a password, which the portal must never repeat)."""
    import secrets as token_source

    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    world = context.world
    role, password = f"portal_spec_no_grants_{world.suffix}", "pw-" + token_source.token_urlsafe(18)
    world.remember_secret(password)
    world.db.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(role), sql.Literal(password)))
    try:
        yield make_conninfo(context.run.database.url, user=role, password=password)
    finally:
        world.db.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@fixture
def held_portal_clock(context, portal=None):
    """The portal's process clock (the run's portal, or `portal`) held still from now until the
    scenario ends, when the system's clock is given back. In-process portals only (@local)."""
    from support.harness.clock import HeldClock

    app = (portal or context.run.portal).app
    held = HeldClock(float(int(time.time())))  # a whole second, as the times providers sign
    system, app.state.clock = app.state.clock, held
    try:
        yield held
    finally:
        app.state.clock = system


@fixture
def second_worker(context):
    """Another background worker on the run's database, as a second portal process runs one."""
    from portal.app import build_worker
    from portal.db import open_pool

    settings = context.run.portal.settings
    pool = open_pool(settings.database_url, 1, 4)
    worker = build_worker(settings, pool)
    worker.start()
    try:
        yield worker
    finally:
        context.run.resend.release()  # a held provider would keep the worker from stopping
        worker.stop()
        pool.close()


def use_portal_configured(context, **settings) -> None:
    """From now on the scenario talks to a portal instance of its own with these settings
    (same code, same database; the run's worker delivers its email)."""
    instance = use_fixture(portal_instance, context, **settings)
    context.world.switch_portal(instance.url)


@fixture
def outbox_refusing(context, address: str):
    """The outbox refuses every email to `address` (a trigger on the run's database), as a full
    disk or a broken outbox would; removed when the scenario ends."""
    db = context.world.db
    db.execute(
        "CREATE OR REPLACE FUNCTION spec_refuse_email() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN IF lower(NEW.recipient) = lower(TG_ARGV[0]) THEN"
        "   RAISE EXCEPTION 'the outbox is out of order (arranged by the scenario)'; END IF; RETURN NEW; END $$")
    db.execute(f"CREATE TRIGGER spec_refuse_email BEFORE INSERT ON emails FOR EACH ROW"
               f" EXECUTE FUNCTION spec_refuse_email('{address}')")
    try:
        yield
    finally:
        db.execute("DROP TRIGGER IF EXISTS spec_refuse_email ON emails")
        db.execute("DROP FUNCTION IF EXISTS spec_refuse_email()")


# -- backups and the restore drill ---------------------------------------------------------------------

@fixture
def backup_directory(context):
    """A directory for the scenario's backups, removed with everything in it when the scenario ends."""
    import shutil
    import tempfile
    from pathlib import Path

    directory = Path(tempfile.mkdtemp(prefix="portal-backup-"))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@fixture
def drill_database(context, marked: bool = True):
    """A throwaway database on the run's server for a restore, dropped when the scenario ends
    (whatever a step did with it): (name, URL)."""
    from support.drivers import backups

    name, url = backups.drill_database(context.world, marked)
    try:
        yield name, url
    finally:
        context.run.spares.give_back(name)


@fixture
def changes_conflicting(context, tables: tuple[str, ...], times: int):
    """The next `times` changes to any of `tables` fail as PostgreSQL fails a change caught in a
    deadlock (SQLSTATE 40P01, the whole transaction rolled back), as when other changes keep meeting
    it; a trigger on each table of the run's database, counting with one sequence (which a rollback
    does not undo; a try that fails stops at its first change). Removed when the scenario ends."""
    db = context.world.db
    db.execute("CREATE SEQUENCE IF NOT EXISTS spec_conflicts")
    db.execute("SELECT setval('spec_conflicts', 1, false)")
    db.execute(
        "CREATE OR REPLACE FUNCTION spec_conflict() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN IF nextval('spec_conflicts') <= TG_ARGV[0]::int THEN"
        "   RAISE EXCEPTION 'deadlock detected (arranged by the scenario)' USING ERRCODE = '40P01'; END IF;"
        " RETURN NEW; END $$")
    for table in tables:
        db.execute(f"CREATE TRIGGER spec_conflict BEFORE UPDATE ON {table} FOR EACH ROW"
                   f" EXECUTE FUNCTION spec_conflict('{int(times)}')")
    try:
        yield
    finally:
        for table in tables:
            db.execute(f"DROP TRIGGER IF EXISTS spec_conflict ON {table}")
        db.execute("DROP FUNCTION IF EXISTS spec_conflict()")
        db.execute("DROP SEQUENCE IF EXISTS spec_conflicts")


@fixture
def changes_refused(context, table: str):
    """Every change to `table` fails with an error, as a full disk or a broken table would; a trigger
    on the run's database, removed when the scenario ends."""
    db = context.world.db
    db.execute(
        "CREATE OR REPLACE FUNCTION spec_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN RAISE EXCEPTION 'the table refuses changes (arranged by the scenario)'; END $$")
    db.execute(f"CREATE TRIGGER spec_refuse_change BEFORE UPDATE ON {table} FOR EACH ROW"
               f" EXECUTE FUNCTION spec_refuse_change()")
    try:
        yield
    finally:
        db.execute(f"DROP TRIGGER IF EXISTS spec_refuse_change ON {table}")
        db.execute("DROP FUNCTION IF EXISTS spec_refuse_change()")
