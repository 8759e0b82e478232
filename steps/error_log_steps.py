"""Errors in the portal's log: one JSON line per failed answer, keyed by the request id."""
from behave import given, then, use_fixture, when
from hamcrest import assert_that, empty, equal_to, has_entries, has_length, instance_of, is_not
from psycopg.conninfo import conninfo_to_dict

from support.drivers import error_log, readiness
from support.fixtures import portal_instance, unprivileged_database_account
from support.harness import expect


@then("the portal's log holds that answer as one JSON line with its request id, route and status")
def step_json_line(context):
    world = context.world
    line = error_log.the_error_line(world, world.last_answer)
    assert_that(line, has_entries(event="server_error", method="GET", route="/readyz", status=503))
    assert_that(world.last_answer.status, equal_to(503))


@then("the portal's log of that request shows no connection string or password")
def step_no_secret(context):
    world = context.world
    lines = error_log.lines_of(world, world.last_answer)
    # the unreachable database's password, and any the scenario made (a database account's)
    passwords = [conninfo_to_dict(readiness.UNREACHABLE_DATABASE)["password"], *world.secrets]
    assert_that([line for line in lines if "://" in line or any(p in line for p in passwords)], empty())


@given("a portal instance whose database account may read none of the portal's tables")
def step_portal_without_grants(context):
    url = use_fixture(unprivileged_database_account, context)
    context.world.operations.probed = use_fixture(portal_instance, context, database_url=url)


@when("the platform asks that portal for the list of projects")
def step_ask_projects(context):
    world = context.world
    world.last_answer = world.client("Hosting platform", base_url=world.operations.probed.url).get("/projects")


@then('that portal answers "internal_error" in the standard error shape, with the request id to quote')
def step_internal_error(context):
    world = context.world
    answer = world.last_answer
    expect.answered(world, answer, 500, meaning="the portal to say it failed")
    error = expect.in_error_shape(world, answer, "internal_error")
    assert_that(set(error), equal_to({"code", "message"}))
    assert "X-Request-ID" in error["message"], f"the message does not say what to quote: {error}"
    assert_that(answer.header("x-request-id"), is_not(None))


@then("the portal's log holds that answer as one JSON line with its request id, route, status and what failed")
def step_json_line_with_failure(context):
    line = error_log.the_error_line(context.world, context.world.last_answer)
    assert_that(line, has_entries(event="unhandled_error", method="GET", route="/projects", status=500,
                                  error="InsufficientPrivilege", traceback=instance_of(str)))


@then("the portal's log holds that answer, and no error line for it")
def step_no_error_line(context):
    world = context.world
    lines = error_log.lines_of(world, world.last_answer)  # once the answer's access line is in
    assert_that([line for line in lines if error_log.ACCESS in line], has_length(1))
    assert_that(error_log.error_entries(world, world.last_answer), empty())
