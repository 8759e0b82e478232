"""The API's contract for bad requests: specific errors, one shape, nothing changed."""
from behave import then, when
from hamcrest import assert_that, equal_to, has_entries, has_key, is_in, matches_regexp

from support.drivers import answers, bad_requests, sessions
from support.harness import expect


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
    expect.in_error_shape(world, answer, code)


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


# -- what every answer carries, whichever layer of the portal gave it ------------------------------

@when("{who:persona} gets {answer}")
def step_gets_answer(context, who, answer):
    world = context.world
    world.last_answer, world.api.expected_status = answers.get(world.actor(who).client, answer)


@then("the answer is the one expected of it")
def step_expected_status(context):
    world = context.world
    expect.answered(world, world.last_answer, world.api.expected_status, meaning="the answer named in the scenario")


@then("the answer carries the security headers, tells caches not to keep it and names no server software")
def step_safeguards(context):
    world = context.world
    problems = answers.missing_safeguards(world.last_answer)
    assert not problems, f"{'; '.join(problems)}: {world.last_answer.summary(world.secrets)}"


@when("{who:persona} asks only for the headers of {answer}")
def step_head(context, who, answer):
    world = context.world
    world.api.head, world.api.full = answers.headers_only(world.actor(who).client, answer)


@then("{subject:subject} gets the status and headers of reading it, and no body")
def step_head_like_get(context, subject):
    world = context.world
    head, full = world.api.head, world.api.full
    assert head.status == full.status, f"HEAD answered {head.status}, GET {full.status}: {head.summary(world.secrets)}"
    assert_that(answers.comparable_headers(head), equal_to(answers.comparable_headers(full)))
    assert head.response_body == "", f"HEAD answered with a body: {head.summary(world.secrets)}"


@then('the portal answers that the address accepts only "{methods}"')
def step_allow(context, methods):
    world = context.world
    answer = expect.answered(world, world.last_answer, 405, meaning="the method to be refused")
    assert_that(answer.header("allow"), equal_to(methods))
    assert_that(answer.json()["error"], has_entries(code="method_not_allowed"))


@when('{who:persona} asks for {address} with a trailing slash, naming the host "{host}"')
def step_trailing_slash(context, who, address, host):
    world = context.world
    world.last_answer = answers.with_trailing_slash(world.actor(who).client, address, host)


@then('the portal sends nobody to "{host}"')
def step_no_redirect_to(context, host):
    world = context.world
    answer = world.last_answer
    assert host not in (answer.header("location") or ""), f"redirected to the claimed host: {answer.summary(world.secrets)}"
    expect.answered(world, answer, 404, meaning="an address that does not exist")


@then('the error is "{code}"')
def step_error_is(context, code):
    assert_that(context.world.last_answer.json()["error"], has_entries(code=code))


@when("{who:persona} reads the portal's API description")
def step_read_api_description(context, who):
    world = context.world
    actor = sessions.ensure_signed_in(world, who) if who.has_account else world.actor(who)
    world.last_answer = answers.api_description(actor.client)


@then("it is the description published for integrators, operation by operation")
def step_as_published(context):
    """The served document equals the committed snapshot (docs/openapi.json) that integrations are built against."""
    world = context.world
    answer = expect.answered(world, world.last_answer, 200, meaning="the API description")
    differences = answers.differences_from_published(answer)
    assert not differences, ("the API description is not the one published for integrators (a deliberate change "
                             "refreshes docs/openapi.json: ./dev python tools/openapi_snapshot.py --write):\n  "
                             + "\n  ".join(differences[:20]))


@then("it {lists} the studio's administration")
def step_lists_administration(context, lists):
    world = context.world
    answer = expect.answered(world, world.last_answer, 200, meaning="the API description")
    listed = answers.administration_listed(answer)
    assert listed == (lists == "lists"), f"the description {'lists' if listed else 'does not list'} the administration"
