"""Errors in the portal's log: one JSON line per failed answer, keyed by the request id."""
from behave import then
from hamcrest import assert_that, empty, equal_to, has_entries, has_length

from support.drivers import error_log, readiness


@then("the portal's log holds that answer as one JSON line with its request id, route and status")
def step_json_line(context):
    world = context.world
    answer = world.last_answer
    entries = error_log.error_entries(world, answer)
    assert_that(entries, has_length(1))
    assert_that(entries[0], has_entries(event="server_error", request_id=answer.header("x-request-id"),
                                        method="GET", route="/readyz", status=answer.status))
    assert_that(answer.status, equal_to(503))


@then("the portal's log of that request shows no connection string or password")
def step_no_secret(context):
    world = context.world
    lines = error_log.lines_of(world, world.last_answer)
    assert_that([line for line in lines if readiness.UNREACHABLE_DATABASE in line or "://" in line], empty())


@then("the portal's log holds that answer, and no error line for it")
def step_no_error_line(context):
    world = context.world
    lines = error_log.lines_of(world, world.last_answer)  # once the answer's access line is in
    assert_that([line for line in lines if error_log.ACCESS in line], has_length(1))
    assert_that(error_log.error_entries(world, world.last_answer), empty())
