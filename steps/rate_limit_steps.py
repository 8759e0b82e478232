"""The JSON API's budget: requests a caller makes within a minute, and what the portal answers."""
import re

from behave import given, then, use_fixture, when
from hamcrest import assert_that, equal_to, greater_than_or_equal_to, less_than_or_equal_to

from support.drivers import api_access as api
from support.drivers import sessions, tasks
from support.fixtures import portal_instance, use_portal_configured
from support.harness import expect
from support.harness.http import PortalClient

SWEEP = "api.rate-window-sweep"
_RATE = re.compile(r'^"default";r=(\d+);t=(\d+)$')


def _caller(context, caller: str) -> PortalClient:
    callers = context.world.api_access.callers
    if caller not in callers:
        callers[caller] = api.CALLERS[caller](context.world)
    return callers[caller]


def _counted(context, caller: str, count: int) -> str:
    return api.burst_counted(context.world, _caller(context, caller), count)


# -- arranging --------------------------------------------------------------------------------------

@given("the portal allows {limit:count} API requests a minute")
def step_allows(context, limit):
    if context.run.portal is None or context.run.portal.settings.api_rate_limit != limit:
        use_portal_configured(context, api_rate_limit=limit)


@given("{caller:api_caller} has made {count:count} requests to the API within the last minute")
def step_made(context, caller, count):
    _counted(context, caller, count)


@given("{caller:api_caller} has made {count:count} requests to the API, the first of them {age:duration} ago")
def step_made_ago(context, caller, count, age):
    api.open_window_at(context.world, _counted(context, caller, count), age.total_seconds())


@given("a second portal process serves the same database")
def step_second_portal(context):
    world = context.world
    second = use_fixture(portal_instance, context, api_rate_limit=world.run.portal.settings.api_rate_limit
                         if world.run.portal is not None else 60)
    world.api_access.second_portal = second.url


@given("Theo's system has made 30 requests to each portal process within the last minute")
def step_made_to_each(context):
    world = context.world
    first = _caller(context, "Theo's system")
    second = world.client("Theo's system, at the second portal", base_url=world.api_access.second_portal,
                          Authorization=first.http.headers["Authorization"])
    world.api_access.second_system = second
    for client in (first, second):
        for answer in api.burst(client, 30):
            expect.answered(world, answer, 200, meaning="a request within the budget")


# -- acting -----------------------------------------------------------------------------------------

@when("{caller:api_caller} makes one more request")
def step_one_more(context, caller):
    context.world.last_answer = api.list_projects(_caller(context, caller))


@when("Theo's system makes one more request to the second portal process")
def step_one_more_second(context):
    world = context.world
    world.last_answer = api.list_projects(world.api_access.second_system)


@when("Uma's monitor checks the portal's health and readiness {count:count} times each")
def step_probes(context, count):
    world = context.world
    monitor = world.client("Uma's monitor")
    world.api_access.answers = [monitor.get(path) for path in ("/health", "/readyz") for _ in range(count)]


@when("Ada runs the rate-window sweep")
def step_sweep(context):
    world = context.world
    world.operations.task_run = tasks.run(world, sessions.ensure_signed_in(world, "Ada"), SWEEP)


# -- observing --------------------------------------------------------------------------------------

def _fields(world, answer) -> tuple[int, int]:
    policy = answer.header("RateLimit-Policy")
    limit = world.run.portal.settings.api_rate_limit if world.run.portal is not None else 60
    assert_that(policy, equal_to(f'"default";q={limit};w=60'))
    match = _RATE.match(answer.header("RateLimit") or "")
    assert match, f"the answer carries no RateLimit field the draft describes: {answer.header('RateLimit')!r}"
    return int(match.group(1)), int(match.group(2))


def _went_through(world) -> int:
    answer = world.last_answer
    assert answer.status != 429, f"the request was refused as too many: {answer.summary(world.secrets)}"
    remaining, reset = _fields(world, answer)
    assert_that(reset, less_than_or_equal_to(60))
    return remaining


@then("the request goes through")
def step_goes_through(context):
    _went_through(context.world)


@then("the request goes through, with {left:count} requests left this minute")
def step_goes_through_with(context, left):
    assert_that(_went_through(context.world), equal_to(left))


@then("the request is refused as too many, and told to come back when the minute is over")
def step_refused(context):
    world = context.world
    answer = expect.answered(world, world.last_answer, 429, meaning="the request to be refused as too many")
    assert_that(answer.json()["error"]["code"], equal_to("rate_limited"))
    remaining, reset = _fields(world, answer)
    assert_that(remaining, equal_to(0))
    retry_after = int(answer.header("Retry-After") or 0)
    assert_that(retry_after, equal_to(reset))
    assert_that(retry_after, greater_than_or_equal_to(1))
    assert_that(retry_after, less_than_or_equal_to(60))


@then("every check is answered")
def step_every_check(context):
    world = context.world
    for answer in world.api_access.answers:
        assert answer.status in (200, 503) and answer.status != 429, answer.summary(world.secrets)
        assert answer.header("RateLimit") is None, "a health probe was counted against a budget"


@then("the sweep removed {count:count} window that was over")
def step_swept(context, count):
    assert_that(context.world.operations.task_run["changed"], equal_to(count))


@then("Uma's browser's next request finds {left:count} requests left this minute")
def step_umas_next(context, left):
    world = context.world
    remaining, _ = _fields(world, api.list_projects(world.api_access.callers["Uma's browser"]))
    assert_that(remaining, equal_to(left))
