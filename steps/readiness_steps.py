"""What the hosting platform asks the portal: is it alive, is it ready."""
from behave import given, then, use_fixture, when
from hamcrest import assert_that, empty, equal_to, has_entries, has_length

from support.drivers import readiness, sign_in
from support.fixtures import held_portal_clock, portal_instance, worker_down
from support.harness import expect
from support.harness.run import AS_BY_DEFAULT
from support.harness.http import PortalClient


@given("a portal instance with no email provider configured")
def step_portal_without_email(context):
    context.world.operations.probed = use_fixture(portal_instance, context, resend_api_key="")


@given("a portal instance with no Mux access token configured")
def step_portal_without_mux(context):
    context.world.operations.probed = use_fixture(portal_instance, context, mux_token_id="", mux_token_secret="")


@then("the portal reports itself degraded, with the database up and the video service not configured")
def step_degraded_without_mux(context):
    world = context.world
    answer = expect.answered(world, world.last_answer, 200, meaning="the portal to be degraded")
    assert_that(answer.json(), has_entries(status="degraded", checks=has_entries(
        database=has_entries(status="up"), video_service=has_entries(status="not_configured"))))


@given("a portal instance whose database cannot be reached")
def step_portal_without_database(context):
    context.world.operations.probed = use_fixture(portal_instance, context, database_url=readiness.UNREACHABLE_DATABASE,
                                                readiness_timeout_seconds=0.3)


@given("the email provider cannot be reached")
def step_provider_unreachable(context):
    context.run.resend.unreachable(count=1)


@given("the portal has delivered an email")
@given("the portal has tried to deliver an email")
def step_portal_sent_email(context):
    world = context.world
    actor = world.account("Theo")
    sign_in.request_link(world, actor)
    world.wait_until_portal_idle()


def _platform(context) -> PortalClient:
    probed = context.world.operations.probed
    return context.world.client("Hosting platform", base_url=probed.url if probed else None)


@when("the platform checks whether the portal is ready")
@when("the platform checks whether that portal is ready")
def step_check_ready(context):
    context.world.last_answer = readiness.check_ready(_platform(context))


@when("the platform checks whether that portal is alive")
def step_check_alive(context):
    context.world.last_answer = readiness.check_alive(_platform(context))


@then("the portal reports itself {overall}, with the database {database} and the email provider {email}")
def step_report_with_email(context, overall, database, email):
    world = context.world
    status = {"ready": "ok", "degraded": "degraded"}[overall]
    answer = expect.answered(world, world.last_answer, 200, meaning=f"the portal to be {overall}")
    assert_that(answer.json(), has_entries(status=status, checks=has_entries(
        database=has_entries(status=database),
        email_provider=has_entries(status=email.replace(" ", "_")),
    )))


@then("the portal reports itself unavailable, with the database down")
def step_report_unavailable(context):
    world = context.world
    answer = expect.answered(world, world.last_answer, 503, meaning="the portal to be unavailable")
    assert_that(answer.json(), has_entries(status="unavailable", checks=has_entries(database=has_entries(status="down"))))


@then("the readiness report shows no connection string, password or key")
def step_no_secrets(context):
    assert_that(readiness.secrets_shown(context.world.last_answer), empty())


@then("the portal answers that it is alive")
def step_alive(context):
    answer = expect.answered(context.world, context.world.last_answer, 200, meaning="the portal to be alive")
    assert_that(answer.json(), equal_to({"status": "ok"}))


@then("the readiness report lists {dependency} as {criticality}")
def step_lists_dependency(context, dependency, criticality):
    answer = expect.answered(context.world, context.world.last_answer, 200, meaning="a readiness report")
    assert_that(answer.json()["checks"], has_entries({readiness.check_name(dependency): has_entries(
        critical=criticality == "critical")}))


@then("the readiness report names every dependency with its state and whether it is critical")
def step_report_shape(context):
    assert_that(readiness.shape_problems(context.world.last_answer), empty())


@given("the portal's newest verified backup was taken {age:duration} ago")
def step_backup_taken(context, age):
    readiness.arrange_backup(context.world, age)


@given("the background worker last reported {age:duration} ago")
def step_worker_reported(context, age):
    readiness.worker_silent_for(use_fixture(worker_down, context), context.world, age)


@then("the portal reports itself {overall}, with the {check:readiness_check} {state}")
def step_report_check(context, overall, check, state):
    world = context.world
    answer = expect.answered(world, world.last_answer, 200, meaning=f"the portal to be {overall}")
    status = {"ready": "ok", "degraded": "degraded"}[overall]
    assert_that(answer.json(), has_entries(status=status, checks=has_entries(
        {check: has_entries(status=state.replace(" ", "_"))})))


@given("a portal instance that keeps its readiness answer for {seconds:count} seconds")
def step_portal_with_cache(context, seconds):
    context.world.operations.probed = use_fixture(portal_instance, context, readiness_cache_seconds=float(seconds))


@given("a portal instance with the readiness settings it has by default, its clock standing still")
def step_portal_default_cache(context):
    operations = context.world.operations
    operations.probed = use_fixture(portal_instance, context, readiness_cache_seconds=AS_BY_DEFAULT)
    operations.held_clock = use_fixture(held_portal_clock, context, operations.probed)


@when("the platform checks whether that portal is ready, and again when its clock is {later:duration} later")
def step_check_twice(context, later):
    operations = context.world.operations
    platform = _platform(context)
    first = readiness.check_ready(platform)
    operations.held_clock.advance(later.total_seconds())
    operations.answers = [first, readiness.check_ready(platform)]


@then("both answers report one and the same check of each dependency")
def step_same_check(context):
    checks = readiness.checks_counted(context.world.operations.answers)
    assert_that(checks, equal_to({name: 1 for name in checks}))


@then("the second answer reports a new check of each dependency")
def step_new_check(context):
    checks = readiness.checks_counted(context.world.operations.answers)
    assert_that(checks, equal_to({name: 2 for name in checks}))


@when("the platform checks whether that portal is ready {count:count} times at once")
def step_burst(context, count):
    context.world.operations.answers = readiness.burst(_platform(context), count)


@then("all {count:count} answers report one and the same check of each dependency")
def step_one_check_each(context, count):
    answers = context.world.operations.answers
    assert_that(answers, has_length(count))
    checks = readiness.checks_counted(answers)
    assert_that(checks, equal_to({name: 1 for name in checks}))


@then("no answer shows a connection string, a password or a string of 20 or more key characters")
def step_burst_no_secrets(context):
    for answer in context.world.operations.answers:
        assert_that(readiness.secrets_shown(answer) + readiness.long_tokens(answer), empty())
