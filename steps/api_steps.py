"""The API's contract for bad requests: specific errors, one shape, nothing changed."""
from behave import then, when
from hamcrest import assert_that, equal_to, has_entries, has_key, instance_of, is_in, matches_regexp

from support.drivers import bad_requests


@when("an integration asks for a sign-in link with a body of {size}, {how}")
def step_sized_request(context, size, how):
    """A sign-in link request of exactly the size limit, or one byte over it, with Content-Length or sent in pieces without it."""
    ways = {"its length declared": True, "sent in pieces without its length": False}
    assert how in ways, f"no such way to send a body in the harness: {how!r} (known: {', '.join(ways)})"
    world = context.world
    world.last_answer = bad_requests.send_link_request_of_size(world, world.client("Integration"), size, ways[how])


@when("an integration asks for a sign-in link with {problem}")
def step_bad_request(context, problem):
    world = context.world
    world.last_answer = bad_requests.send_bad_link_request(world, world.client("Integration"), problem)


@then('the portal rejects the request as "{code}", in the standard error shape')
def step_rejected_as(context, code):
    world = context.world
    answer = world.last_answer
    assert_that(answer.status, is_in(range(400, 500)), answer.summary(world.secrets))
    assert_that(answer.status, equal_to(bad_requests.DOCUMENTED_STATUS.get(code, answer.status)),
                f"the status README documents for {code}: {answer.summary(world.secrets)}")
    body = answer.json()
    assert_that(list(body), equal_to(["error"]), f"the error shape has exactly one key, 'error': {body}")
    assert_that(body["error"], has_entries(code=code, message=instance_of(str)))
    assert set(body["error"]) <= {"code", "message", "fields"}, f"unexpected keys in the error: {body['error']}"
    assert body["error"]["message"].strip(), "the error message is empty"


@then("the request left no trace in the portal")
def step_no_trace(context):
    assert_that(bad_requests.traces_left(context.world),
                equal_to({"rate_limit_hits": 0, "jobs": 0, "audit_events": 0}))


@then('the error names the field "{field}"')
def step_names_field(context, field):
    body = context.world.last_answer.json()
    assert_that(body["error"], has_entries(code="validation_failed", fields=has_key(field)))


@then("the portal accepts the link request")
def step_link_request_accepted(context):
    """The sign-in link request was accepted (202)."""
    world = context.world
    answer = world.last_answer
    assert_that(answer.status, equal_to(202), f"the link request to be accepted: {answer.summary(world.secrets)}")


@then("the answer carries a request id")
def step_has_request_id(context):
    request_id = context.world.last_answer.header("x-request-id")
    assert_that(request_id or "", matches_regexp(r"^[A-Za-z0-9._-]{8,64}$"))


@then("the portal's log shows that request under the same id, without the request's secrets")
def step_log_has_request(context):
    world = context.world
    answer = world.last_answer
    lines = world.run.log.request_lines(answer.header("x-request-id"))
    assert lines, f"no log line carries request id {answer.header('x-request-id')}"
    assert any("/auth/sign-in-links" in line and str(answer.status) in line for line in lines), lines
    leaked = [line for line in lines if "@brightside.example" in line]
    assert not leaked, f"the log repeats the request's content: {leaked}"
