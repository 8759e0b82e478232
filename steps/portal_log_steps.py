"""The portal's log, as an operator reads it: what it says about a request, and what it must never hold."""
from behave import given, then, when
from hamcrest import assert_that, empty, has_item, matches_regexp

from support.drivers import email_delivery as delivery
from support.drivers import personal_data, portal_log, sharing, sign_in


@when("{guest:persona} asks for a page under her link that does not exist")
def step_page_under_link(context, guest):
    world = context.world
    link = sharing.the_link(world)
    world.last_answer = sharing.browser(world, guest).get(f"{link.path}/nothing-here")


@then("the portal's log of that request names its route and holds no part of the link's key")
def step_log_names_route(context):
    world = context.world
    lines = portal_log.lines_of(world, world.last_answer)
    assert_that(lines, has_item(matches_regexp(r".* portal\.access \[[^]]*\] GET /s/\{token\}")))
    assert_that(portal_log.holding(lines, sharing.the_link(world).token), empty())


@then("the portal's log of that request holds no part of the link's key")
def step_log_without_key(context):
    world = context.world
    lines = portal_log.lines_of(world, world.last_answer)
    assert_that(lines, has_item(matches_regexp(r".* portal\.access ")))
    assert_that(portal_log.holding(lines, sharing.the_link(world).token), empty())


# -- personal data in what the portal keeps ---------------------------------------------------------

@given("{who:persona} has signed in with the link from his email")
@given("{who:persona} has signed in with the link from her email")
def step_signed_in_from_email(context, who):
    world = context.world
    delivery.remember(world, personal_data.signed_in_from_email(world, world.account(who)))


@given("{who:persona} has given {other:persona} a task, and the email about it has gone out")
def step_gave_task(context, who, other):
    personal_data.gave_task(context.world, context.world.actor(who), context.world.account(other))


@given("{who:persona}, who has no account, has asked for a sign-in link")
def step_visitor_asked(context, who):
    world = context.world
    sign_in.request_link(world, world.actor(who))
    world.wait_until_portal_idle()


@when("an operator scans the audit log, Resend's stored reports, the emails sent and the portal's log")
def step_scan(context):
    context.world.operations.findings = personal_data.scan(context.world)


@then("the operator finds no email address, network address or live key in clear")
def step_nothing_found(context):
    assert_that([str(f) for f in context.world.operations.findings], empty())
