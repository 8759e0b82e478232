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


@then("the portal answers {who:persona} as if there were no such task")
def step_no_such_task(context, who):
    world = context.world
    tasks.expect_as_if_no_such_task(world, world.actor(who).client, world.last_answer)
