"""behave fixtures: the run (once) and the scenario's world (each time), with their clean-up."""
from __future__ import annotations

import time

from behave import fixture

from . import reporting
from .config import SuiteConfig
from .run import suite_run
from .world import World

# tags that say what a scenario needs from the harness
NEEDS_FAKES = "fakes"          # provider fakes (captured emails, scripted provider answers)
NEEDS_LOCAL_PORTAL = "local"   # a portal the suite starts itself (e.g. with other settings)


@fixture
def acceptance_run(context):
    config = SuiteConfig.from_sources(context.config.userdata)
    with suite_run(config) as run:
        context.run = run
        yield run
        if config.timings_file:
            write_timings(run, config.timings_file)


def write_timings(run, path: str) -> None:
    import json

    timings = dict(run.timings)
    timings["resets_ms"] = [round(s * 1000, 3) for s in timings.pop("resets", [])]
    timings["mode"] = run.database.mode.value
    timings["postgres_version"] = run.database.server_version
    with open(path, "w", encoding="utf-8") as out:
        json.dump(timings, out, indent=2)


def skip_reason(run, tags) -> str | None:
    if not run.live:
        return None
    if NEEDS_FAKES in tags:
        return "live mode: this scenario needs the provider fakes (captured emails), which only local mode has"
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
        return
    context.run.timings.setdefault("first_scenario_at", time.time())
    context.run.timings.setdefault("resets", []).append(context.run.start_scenario())
    world = World(context.run)
    context.world = world
    try:
        yield world
    finally:
        if context.run.resend is not None:
            context.run.resend.release()
        world.close()


def after_step_checks(context, step) -> None:
    """Attach the step's HTTP exchanges; fail the step if the portal tried to reach the network."""
    world = getattr(context, "world", None)
    if world is None:
        return
    reporting.attach_exchanges(world)
    network = context.run.network
    unexpected = network.take_unexpected() if network is not None else []
    if unexpected:
        raise AssertionError(
            "the portal made outbound request(s) no provider fake answers: "
            + "; ".join(str(u) for u in unexpected)
        )


@fixture
def portal_instance(context, **overrides):
    """A second portal of this run's code with other settings, stopped when the scenario ends."""
    from .run import start_portal

    database_url = overrides.pop("database_url", context.run.database.url)
    portal = start_portal(database_url, worker_enabled=False, **overrides)
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
def second_worker(context):
    """Another background worker on the run's database, as a second portal process runs one."""
    from portal.app import email_sender, job_handlers
    from portal.db import open_pool
    from portal.jobs.worker import Worker

    settings = context.run.portal.settings
    pool = open_pool(settings.database_url, 1, 4)
    worker = Worker(pool, settings.database_url, job_handlers(settings), email_sender(settings),
                    poll_seconds=settings.worker_poll_seconds)
    worker.start()
    try:
        yield worker
    finally:
        context.run.resend.release()  # a held provider would keep the worker from stopping
        worker.stop()
        pool.close()
