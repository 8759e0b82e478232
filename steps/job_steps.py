"""The job queue: every kind with its handler and retry schedule; unknown kinds dead-lettered."""
from behave import given, then, when
from hamcrest import assert_that, equal_to, has_entries, none, not_none

from support.drivers import jobs


def seconds(text: str) -> int:
    number, unit = text.split()
    return int(number) * {"s": 1, "min": 60, "h": 3600}[unit]


def schedule(text: str) -> tuple[int, ...]:
    return tuple(seconds(part.strip()) for part in text.split(","))


@then("the portal queues exactly these kinds of job, each retried on its schedule")
def step_registry(context):
    expected = {row["kind"]: schedule(row["waits before each retry"]) for row in context.table}
    assert_that(jobs.registry(context.world), equal_to(expected))


@given('a job of the kind "{kind}" that fails every time')
def step_failing_job(context, kind):
    jobs.queue_failing_job(context.world, kind)


@when("the background worker has tried the job {count:d} times, each retry brought forward")
def step_try(context, count):
    jobs.try_times(context.world, count)


@then("after each failed attempt the job waited {waits}, and then none")
def step_waits(context, waits):
    expected = list(schedule(waits)) + [None]
    assert_that(context.world.operations.job_waits, equal_to(expected))


@then("after attempt {attempt:d} the job waits {wait}")
def step_wait_after(context, attempt, wait):
    waits = context.world.operations.job_waits
    assert_that(waits[attempt - 1], equal_to(seconds(wait)))


@then("the job is dead-lettered after {count:d} attempts, with the reason it failed")
def step_dead(context, count):
    job = jobs.state(context.world, context.world.operations.job)
    assert_that(job, has_entries(status="failed", attempts=count, finished_at=not_none(), last_error=not_none()))


@then("another pass of the worker does not try the job again")
def step_not_again(context):
    world = context.world
    jobs.bring_due(world, world.operations.job)
    before = jobs.state(world, world.operations.job)
    jobs.worker_pass(world)
    assert_that(jobs.state(world, world.operations.job)["attempts"], equal_to(before["attempts"]))
