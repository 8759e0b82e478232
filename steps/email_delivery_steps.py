"""Email delivery: the outbox, the provider's answers, retries in time, dead letters, workers."""
from behave import given, then, use_fixture, when
from hamcrest import assert_that, equal_to, has_length

from support.drivers import email_delivery as delivery
from support.drivers import sign_in
from support.fixtures import second_worker, worker_down

# -- arranging the provider and the outbox -------------------------------------------------------

@given("{who:persona} has asked for a sign-in link")
def step_has_asked(context, who):
    world = context.world
    actor = world.account(who)
    sign_in.request_link(world, actor)
    world.email.waiting_for = actor
    if not world.email.worker_down:
        world.wait_until_portal_idle()


@given("the portal's background worker is down")
def step_worker_down(context):
    use_fixture(worker_down, context)
    context.world.email.worker_down = True


@when("the background worker starts again")
def step_worker_starts(context):
    context.run.portal.start_worker()
    context.world.email.worker_down = False


@given("the email provider will accept the next email but its answer will be lost")
def step_answer_lost(context):
    context.run.resend.lose_next_answer()


@given("the email provider has failed to deliver {who:persona}'s sign-in email {failures:count} times")
def step_failed_n_times(context, who, failures):
    world = context.world
    delivery.failing_sign_in_email(world, world.account(who), failures)


@given("the email provider turned {who:persona}'s sign-in email away as too busy, asking to wait {minutes:count} minutes")
def step_rate_limited(context, who, minutes):
    world = context.world
    delivery.failing_sign_in_email(world, world.account(who), 1, "rate_limit_exceeded",
                                   headers={"retry-after": str(minutes * 60)})


@given("the email provider has rejected {who:persona}'s sign-in email as invalid")
def step_rejected(context, who):
    world = context.world
    world.email.provider_reason = "invalid_parameter"
    delivery.failing_sign_in_email(world, world.account(who), 1, "invalid_parameter",
                                   message="Invalid `to` field. The email address needs to follow the "
                                           "`email@example.com` or `Name <email@example.com>` format.")


@given("the last attempt was {elapsed:duration} ago")
def step_last_attempt_ago(context, elapsed):
    world = context.world
    # counted before time moves: the worker's own periodic pass may make a now-due attempt at once
    world.email.calls_before = delivery.provider_calls(world, delivery.current(world))
    delivery.move_email_back(world, delivery.current(world), elapsed.total_seconds())


@given("a share notification for {who:persona} has become a dead letter")
def step_dead_notification(context, who):
    world = context.world
    world.run.resend.fail_next(6, "internal_server_error")
    email = delivery.queue_share_notification(world, world.actor(who))
    world.wait_until_portal_idle()
    for _ in range(5):
        delivery.bring_next_attempt_due(world, email)


@given("{who:persona}'s sign-in email went out on the second attempt")
def step_second_attempt(context, who):
    world = context.world
    actor = world.account(who)
    email = delivery.ask_for_sign_in_email(world, actor)
    delivery.bring_next_attempt_due(world, email)
    sign_in.receive_link(world, actor)
    delivery.delivered(world, email)


@given("{who:persona} has received {count:count} sign-in emails")
def step_received_n(context, who, count):
    for _ in range(count):
        delivery.sent_sign_in_email(context.world, context.world.account(who))


@given("{who:persona} has received a share notification")
def step_received_notification(context, who):
    delivery.sent_share_notification(context.world, context.world.actor(who))


# -- time passes ------------------------------------------------------------------------------------

@when("the next delivery attempt falls due")
def step_next_attempt_due(context):
    world = context.world
    world.wait_until_portal_idle()
    if not world.email.has("email"):
        delivery.remember(world, delivery.newest(world, world.email.waiting_for, "sign-in email"))
    delivery.bring_next_attempt_due(world, world.email.email)


@when("the portal works through its outbox")
def step_work_through(context):
    world = context.world
    if not world.email.has("calls_before"):
        world.email.calls_before = delivery.provider_calls(world, delivery.current(world))
    delivery.work_through_outbox(world)


@then("the provider is asked to deliver the email again")
def step_asked_again(context):
    world = context.world
    calls = delivery.provider_calls(world, delivery.current(world))
    assert_that(calls, equal_to(world.email.calls_before + 1),
                "the provider should have been asked once more, now that the next attempt is due")


@then("the provider is not asked again yet")
@then("the provider is not asked again")
def step_not_asked_again(context):
    world = context.world
    calls = delivery.provider_calls(world, delivery.current(world))
    assert_that(calls, equal_to(world.email.calls_before), "the portal tried again although no attempt was due")


# -- idempotency ------------------------------------------------------------------------------------

@then("{who:persona} receives exactly one sign-in email")
def step_exactly_one(context, who):
    world = context.world
    sign_in.receive_link(world, world.actor(who))
    world.wait_until_portal_idle()
    assert_that(context.run.resend.emails_to(world.actor(who).email), has_length(1))


@then("the provider was asked twice for it, both times with the same idempotency key")
def step_same_key(context):
    world = context.world
    calls = delivery.calls_about(world, delivery.current(world))
    assert_that([c.idempotency_key for c in calls], has_length(2))
    assert_that(calls[1].idempotency_key, equal_to(calls[0].idempotency_key))


# -- two workers ------------------------------------------------------------------------------------

@given("a second background worker shares the outbox")
def step_second_worker(context):
    use_fixture(second_worker, context)


@given("both workers are busy delivering {count:count} share notifications for {who:persona}")
def step_both_busy(context, count, who):
    world = context.world
    world.email.notifications = [delivery.queue_share_notification(world, world.actor(who)) for _ in range(count)]
    delivery.wait_for_busy_workers(world, 2)  # one email in each worker's hands, the rest waiting


@when("the email provider answers again")
def step_provider_answers(context):
    context.run.resend.release()
    context.world.wait_until_portal_idle()


@then("each of the {count:count} share notifications reaches the provider exactly once")
def step_each_once(context, count):
    world = context.world
    notifications = world.email.notifications
    assert_that(notifications, has_length(count))
    calls = {n.public_id: len(delivery.calls_about(world, n)) for n in notifications}
    twice = {k: v for k, v in calls.items() if v != 1}
    assert not twice, f"emails the provider was asked for more (or less) than once: {twice}"
    assert_that(context.run.resend.emails_to(notifications[0].actor.email), has_length(count))
