"""Scheduled tasks: the expiry sweep run on demand, the task catalogue and its history."""
from behave import given, then, when
from hamcrest import assert_that, equal_to, has_entries, has_length, none

from support.drivers import sessions, sharing, tasks
from support.harness import expect


def _run_sweep(context, who) -> dict:
    world = context.world
    run = tasks.run(world, sessions.ensure_signed_in(world, who), tasks.EXPIRY_SWEEP)
    world.operations.task_run = run
    return run


@given("{who:persona} has run the expiry sweep")
@when("{who:persona} runs the expiry sweep")
@when("{who:persona} runs the expiry sweep again")
def step_run_sweep(context, who):
    _run_sweep(context, who)


@given("{who:persona} has run the expiry sweep twice")
def step_run_sweep_twice(context, who):
    for _ in range(2):
        _run_sweep(context, who)


@given("the expiry sweep has not run since")
def step_sweep_not_run(context):
    world = context.world
    assert_that(sharing.as_seen_by(world, world.actor(sharing.the_link(world).created["created_by"]),
                                   sharing.the_link(world)), has_entries(expired_at=none()))


@then("the run reports {count:count} link marked as expired")
@then("the run reports {count:count} links marked as expired")
def step_run_reports(context, count):
    assert_that(context.world.operations.task_run, has_entries(outcome="succeeded", changed=count))


@when("{who:persona} reads the history of the expiry sweep")
def step_read_history(context, who):
    world = context.world
    world.last_answer = tasks.history(sessions.ensure_signed_in(world, who).client, tasks.EXPIRY_SWEEP)


@then("{who:persona} sees {count:count} successful runs, both started by {by:persona}")
def step_sees_runs(context, who, count, by):
    world = context.world
    runs = expect.answered(world, world.last_answer, 200, meaning="the task's history").json()["runs"]
    assert_that(runs, has_length(count))
    for run in runs:
        assert_that(run, has_entries(task=tasks.EXPIRY_SWEEP, outcome="succeeded", triggered_by=by.name))


@when("{who:persona} looks at the scheduled tasks")
def step_look_at_tasks(context, who):
    world = context.world
    world.last_answer = tasks.list_tasks(sessions.ensure_signed_in(world, who).client)


@then("{who:persona} sees these tasks, each with how often it runs:")
def step_sees_tasks(context, who):
    world = context.world
    listed = expect.answered(world, world.last_answer, 200, meaning="the scheduled tasks").json()["tasks"]
    expected = [(row["task"], row["every"]) for row in context.table]
    assert_that([(t["name"], f"{t['every_minutes']} minutes") for t in listed], equal_to(expected),
                "the portal's scheduled tasks differ from the specification: add the new task to this table "
                "and specify what it does")


@when("{who:persona} tries to run the expiry sweep")
def step_try_run_sweep(context, who):
    world = context.world
    world.last_answer = tasks.attempt_run(world.actor(who).client, tasks.EXPIRY_SWEEP)


@then("the portal answers {who:persona} as if the task did not exist")
def step_no_such_task(context, who):
    world = context.world
    tasks.expect_as_if_no_such_task(world, world.actor(who).client, world.last_answer)


# -- the schedule, and runs that fail ----------------------------------------------------------------

@given("{who:persona} ran the expiry sweep {age:duration} ago")
def step_ran_sweep_ago(context, who, age):
    """The person ran the expiry sweep, and the run is moved that long into the past."""
    _run_sweep(context, who)
    tasks.ran_back(context.world, tasks.EXPIRY_SWEEP, age.total_seconds() / 60)


@given("the database refuses every change to share links")
def step_share_links_refused(context):
    """Every change to share links fails with an error (a trigger, removed after the scenario)."""
    from behave import use_fixture

    from support.fixtures import changes_refused

    use_fixture(changes_refused, context, "share_links")


@when("the portal's schedule makes a pass")
def step_schedule_pass(context):
    """One pass of the portal's schedule over its scheduled tasks, as its background worker makes it."""
    tasks.schedule_pass(context.world)


@when("{who:persona} runs the expiry sweep while it fails")
def step_run_failing(context, who):
    """The person runs the expiry sweep on demand; the answer is kept, whatever it is."""
    world = context.world
    world.last_answer = tasks.attempt_run(sessions.ensure_signed_in(world, who).client, tasks.EXPIRY_SWEEP)


@then("the schedule {verdict} the expiry sweep")
def step_schedule_verdict(context, verdict):
    """Whether the history of the expiry sweep has a successful run started by the schedule."""
    world = context.world
    verdicts = {"has run": 1, "has not run": 0}
    assert verdict in verdicts, f"no such verdict in the harness: {verdict!r} (known: {', '.join(verdicts)})"
    by_schedule = [r for r in tasks.runs_of(world, sessions.ensure_signed_in(world, "Ada"), tasks.EXPIRY_SWEEP)
                   if r["triggered_by"] == "schedule"]
    assert_that(by_schedule, has_length(verdicts[verdict]), "the sweep's runs started by the schedule")
    for run in by_schedule:
        assert_that(run, has_entries(outcome="succeeded"))


@then("{who:persona} is told the run failed, and why")
def step_told_run_failed(context, who):
    """The run on demand is recorded as failed, changing nothing, with the reason."""
    world = context.world
    run = expect.answered(world, world.last_answer, 201, meaning="the failed run, as recorded").json()
    assert_that(run, has_entries(outcome="failed", changed=0, triggered_by=who.name))
    assert "refuses changes" in (run.get("error") or ""), f"the run does not say why it failed: {run}"


@then("the history of the expiry sweep keeps the failed run")
def step_history_keeps_failed(context):
    """The history of the expiry sweep holds exactly the one failed run."""
    world = context.world
    runs = tasks.runs_of(world, sessions.ensure_signed_in(world, "Ada"), tasks.EXPIRY_SWEEP)
    assert_that([r["outcome"] for r in runs], equal_to(["failed"]))


@then("{who:persona} sees the link not yet marked as expired by the sweep")
def step_not_marked(context, who):
    """The share link has no expired_at: the sweep has not marked it."""
    world = context.world
    seen = sharing.as_seen_by(world, sessions.ensure_signed_in(world, who), sharing.the_link(world))
    assert_that(seen, has_entries(expired_at=none()))
