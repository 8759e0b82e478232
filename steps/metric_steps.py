"""The portal's metrics: who may read them, and what they count."""
import secrets

from behave import given, then, when
from hamcrest import (all_of, assert_that, contains_string, equal_to, greater_than, greater_than_or_equal_to, is_not,
                      less_than, starts_with)

from support.drivers import jobs, metrics


@when("{who} asks for the portal's metrics")
def step_ask(context, who):
    world = context.world
    client = metrics.caller(world, who)
    world.operations.metrics_nowhere = metrics.nowhere(world)
    world.last_answer = metrics.read(client)


@then("the answer is the portal's metrics, in the Prometheus text format, outside the API's budget")
def step_metrics(context):
    answer = context.world.last_answer
    assert_that(answer.status, equal_to(200), answer.summary(context.world.secrets))
    assert_that(answer.header("content-type"), starts_with("text/plain; version=0.0.4"))
    assert_that(answer.response_body, is_not(equal_to("")))
    for family in ("portal_http_requests_total counter", "portal_http_request_duration_seconds histogram",
                   "portal_jobs_total counter", "portal_emails gauge", "portal_dead_letters gauge"):
        assert_that(answer.response_body, contains_string(f"# TYPE {family}"))
    assert_that(answer.header("ratelimit"), equal_to(None))


@then("the answer is the portal's plain not found, the same as for an address that does not exist")
def step_not_found(context):
    world = context.world
    answer, nowhere = world.last_answer, world.operations.metrics_nowhere
    assert_that(answer.status, equal_to(404), answer.summary(world.secrets))
    assert_that((answer.status, answer.response_body), equal_to((nowhere.status, nowhere.response_body)))
    varying = {"x-request-id", "date", "content-length", "ratelimit", "ratelimit-policy"}  # the budget's, not ours
    names = lambda exchange: sorted({name.lower() for name, _ in exchange.response_headers} - varying)
    assert_that(names(answer), equal_to(names(nowhere)))
    assert_that(answer.response_body, is_not(starts_with("# HELP")))


@given("the monitoring system has read the portal's metrics")
def step_read_before(context):
    context.world.operations.metrics_before = metrics.scrape(context.world)


@when("someone asks for a share page whose address holds a key, and for an address that does not exist holding one")
def step_share_page(context):
    world = context.world
    key = secrets.token_urlsafe(24)
    world.operations.metrics_key = key
    client = world.client("someone")
    client.get(f"/s/{key}")
    client.get(f"/no-such-address/{key}")


@then('the metrics count one more "{method} {route}" answered {status:d}, with its time in seconds in the latency histogram')
def step_counted(context, method, route, status):
    """The request counter and the histogram's count grew; the time it added is in seconds (a request
    here takes well under ten: in milliseconds or microseconds it would be thousands)."""
    world = context.world
    before, after = world.operations.metrics_before, metrics.scrape(world)
    labels = {"method": method, "route": route}
    count = lambda found: metrics.value(found, "portal_http_requests_total", status=str(status), **labels)
    timed = lambda found: metrics.value(found, "portal_http_request_duration_seconds_count", **labels)
    seconds = lambda found: metrics.value(found, "portal_http_request_duration_seconds_sum", **labels)
    assert_that(count(after) - count(before), equal_to(1))
    assert_that(timed(after) - timed(before), greater_than_or_equal_to(1))
    added = seconds(after) - seconds(before)
    assert_that(added / (timed(after) - timed(before)), all_of(greater_than(0), less_than(10)),
                "the mean time of the requests counted, in seconds")


@then("no metric names the key")
def step_no_key(context):
    world = context.world
    text = metrics.read(metrics.own_network(world)).response_body
    assert_that(world.operations.metrics_key in text, equal_to(False))


@then('the metrics count {retried:d} more retried and {dead:d} more dead-lettered job of {kind}, and {letters:d} more dead letter among jobs')
def step_jobs_counted(context, retried, dead, kind, letters):
    world = context.world
    before, after = world.operations.metrics_before, metrics.scrape(world)
    label = "(unknown)" if kind == "an unknown kind" else kind.strip('"')
    delta = lambda name, **labels: metrics.value(after, name, **labels) - metrics.value(before, name, **labels)
    assert_that(delta("portal_jobs_total", kind=label, outcome="retried"), equal_to(retried))
    assert_that(delta("portal_jobs_total", kind=label, outcome="dead_lettered"), equal_to(dead))
    assert_that(delta("portal_dead_letters", queue="jobs"), equal_to(letters))


@then("the metrics count the emails by status, as the outbox holds them")
def step_emails(context):
    world = context.world
    found = metrics.scrape(world)
    held = metrics.emails_by_status(world)
    shown = {dict(labels)["status"]: int(v) for (name, labels), v in found.items() if name == "portal_emails"}
    assert_that(shown, equal_to(held))
    assert_that(held.get("sent", 0), greater_than_or_equal_to(1))


@then('the metrics count {done:d} more job of the kind "{kind}" done, and none retried')
def step_jobs_done(context, done, kind):
    world = context.world
    world.wait_until_portal_idle()
    before, after = world.operations.metrics_before, metrics.scrape(world)
    delta = lambda outcome: (metrics.value(after, "portal_jobs_total", kind=kind, outcome=outcome)
                             - metrics.value(before, "portal_jobs_total", kind=kind, outcome=outcome))
    assert_that((delta("done"), delta("retried")), equal_to((done, 0)))
