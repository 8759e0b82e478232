"""Resend's documented errors and what the portal does with each: retried, dead-lettered, or the
whole outbox held (quota, refused settings), shown to studio admins and in readiness."""
from behave import given, then, when
from hamcrest import assert_that, equal_to, has_entries

from support.drivers import email_admin as admin_api
from support.drivers import email_delivery as delivery
from support.drivers import sessions


@given('the email provider has answered {who:persona}\'s sign-in email with "{answer:provider_answer}"')
@given('the email provider has answered {who:persona}\'s sign-in email with "{answer:provider_answer}" {times:count} times')
def step_answered_with(context, who, answer, times=1):
    world = context.world
    delivery.answered_sign_in_email(world, world.account(who), answer, times)


@given("a share notification for {who:persona} is waiting in the outbox too")
def step_notification_waiting_too(context, who):
    world = context.world
    with delivery.still_following(world):
        world.email.waiting_notification = delivery.queue_share_notification(world, world.actor(who))


@then("{who:persona}'s sign-in email waits {wait:duration} for its next attempt")
def step_waits(context, who, wait):
    world = context.world
    state = delivery.next_attempt(world, delivery.current(world))
    assert_that(dict(state), has_entries(status="queued", attempts=1, wait_s=wait.total_seconds()),
                f"the sign-in email to {who.name} should wait {wait} for its next attempt")


@then("{who:persona}'s sign-in email has spent none of its attempts")
def step_no_attempt_spent(context, who):
    world = context.world
    state = delivery.next_attempt(world, delivery.current(world))
    assert_that(state["attempts"], equal_to(0), f"attempts counted against the sign-in email to {who.name}")


@then("the provider is not asked for the share notification to {who:persona}")
def step_not_asked_for_notification(context, who):
    world = context.world
    calls = delivery.provider_calls(world, delivery.current(world))  # the one just written
    assert_that(calls, equal_to(0), f"the share notification to {who.name} was sent while the outbox was held")


@then("{who:persona} receives the share notification that waited with it")
def step_notification_arrives(context, who):
    delivery.delivered(context.world, context.world.email.waiting_notification)


@then('{admin:persona} sees email delivery held because Resend answered "{reason}", {count:count} time since the first')
@then('{admin:persona} sees email delivery held because Resend answered "{reason}", {count:count} times since the first')
def step_sees_held(context, admin, reason, count):
    world = context.world
    state = admin_api.delivery_state(world, sessions.ensure_signed_in(world, admin))
    assert_that(state, has_entries(state="held", emails_waiting=1,
                                   hold=has_entries(reason=reason, refusals=count)))


@then("{admin:persona} sees email delivery as sending")
def step_sees_sending(context, admin):
    world = context.world
    state = admin_api.delivery_state(world, sessions.ensure_signed_in(world, admin))
    assert_that(state, has_entries(state="sending", hold=None))


@then("studio admins were told once that delivery is held")
def step_told_once(context):
    assert_that(admin_api.times_admins_were_told(context.world), equal_to(1))


@when("{who:persona} looks at the state of email delivery")
def step_looks_at_state(context, who):
    world = context.world
    world.last_answer = admin_api.attempt_delivery_state(sessions.ensure_signed_in(world, who).client)
