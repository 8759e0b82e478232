"""Bounces, complaints and the suppression list."""
from behave import given, then, when
from hamcrest import assert_that, equal_to, has_entries, has_item, none

from support.drivers import audit, sessions
from support.drivers import email_admin as admin_api
from support.drivers import email_delivery as delivery
from support.drivers import email_reports as reports
from support.drivers.email_admin import newest_email
from support.harness import expect

REASONS = {"a hard bounce": "hard_bounce", "a complaint": "complaint", "repeated soft bounces": "soft_bounces"}


def _reason(words: str) -> str:
    try:
        return REASONS[words]
    except KeyError:
        raise AssertionError(f"no suppression reason called {words!r} (known: {', '.join(REASONS)})") from None


def _observer(world):
    # the scenario's studio admin, who sees the suppression list
    return sessions.ensure_signed_in(world, "Ada")


def _suppression(world, who):
    return admin_api.suppression_of(world, _observer(world), world.actor(who).email)


def soft_bounces(world, who, count: int, days_ago: int = 0) -> None:
    """`count` share notifications to the person, each bounced softly; `days_ago`: that long ago."""
    actor = world.actor(who)
    with delivery.still_following(world):
        for _ in range(count):
            email = delivery.sent_share_notification(world, actor)
            sent = reports.report(world, "email.bounced", email, bounce_type="Transient")
            expect.answered(world, sent.answer, 200, meaning="the soft bounce report to be acknowledged")
            if days_ago:
                delivery.move_email_back(world, email, days_ago * 24 * 3600)


def suppressed_after(world, who, cause: str) -> None:
    actor = world.actor(who)
    with delivery.still_following(world):
        if cause == "3 soft bounces":
            soft_bounces(world, who, 3)
        else:
            email = delivery.sent_share_notification(world, actor)
            event = {"a hard bounce": "email.bounced", "a complaint": "email.complained"}[cause]
            expect.answered(world, reports.report(world, event, email).answer, 200, meaning="the report to be acknowledged")
    entry = _suppression(world, who)
    assert entry is not None, f"{who.name}'s address was not suppressed after {cause}"
    world.email.suppression = entry


# -- arranging --------------------------------------------------------------------------------------

@given("{who:persona}'s address has been suppressed after {cause}")
@given("{who:persona}'s address has since been suppressed after {cause}")
def step_suppressed_after(context, who, cause):
    suppressed_after(context.world, who, cause)


@given("{who:persona}'s address has bounced softly {count:count} times in the last 30 days")
def step_soft_bounced(context, who, count):
    soft_bounces(context.world, who, count)


@given("{who:persona}'s address bounced softly {count:count} times, {days:count} days ago")
def step_soft_bounced_long_ago(context, who, count, days):
    soft_bounces(context.world, who, count, days_ago=days)


@given("a share notification for {who:persona} is waiting for its next attempt")
def step_notification_waiting(context, who):
    world = context.world
    world.run.resend.unreachable(count=1)
    delivery.queue_share_notification(world, world.actor(who))
    world.wait_until_portal_idle()


@when("a share notification for {who:persona} is written to the outbox")
def step_notification_written(context, who):
    world = context.world
    delivery.queue_share_notification(world, world.actor(who))
    world.wait_until_portal_idle()


# -- what Resend reports ----------------------------------------------------------------------------

@when("{who:persona}'s email bounces permanently")
def step_hard_bounce(context, who):
    reports.report(context.world, "email.bounced", delivery.current(context.world), bounce_type="Permanent")


@when("an email to {who:persona} that another system sent through Resend bounces permanently")
def step_other_mail_bounces(context, who):
    world = context.world
    reports.report_about_other_mail(world, world.actor(who), "email.bounced")


@when("{who:persona}'s email bounces softly")
def step_soft_bounce(context, who):
    reports.report(context.world, "email.bounced", delivery.current(context.world), bounce_type="Transient")


@when("{who:persona}'s email bounces for a reason Resend cannot determine")
def step_undetermined_bounce(context, who):
    reports.report(context.world, "email.bounced", delivery.current(context.world), bounce_type="Undetermined")


@when("{who:persona} marks the email as spam")
def step_complaint(context, who):
    reports.report(context.world, "email.complained", delivery.current(context.world))


# -- the suppression list ---------------------------------------------------------------------------

@then("{admin:persona} sees {who:persona}'s address on the suppression list, because of {reason}")
@then("{admin:persona} still sees {who:persona}'s address on the suppression list, because of {reason}")
def step_on_list(context, admin, who, reason):
    world = context.world
    entry = admin_api.suppression_of(world, sessions.ensure_signed_in(world, admin), world.actor(who).email)
    assert entry is not None, f"{who.name}'s address is not on the suppression list"
    assert_that(entry["reason"], equal_to(_reason(reason)))


@then("{who:persona}'s address is not suppressed")
def step_not_suppressed(context, who):
    assert_that(_suppression(context.world, who), none())


@when("{admin:persona} looks at the suppression list")
def step_look_at_list(context, admin):
    world = context.world
    world.email.suppressions = admin_api.suppression_list(world, sessions.ensure_signed_in(world, admin))


@then("{admin:persona} sees {who:persona}'s address, because of a hard bounce, with the bounce report that caused it")
def step_sees_cause(context, admin, who):
    world = context.world
    bounce = reports.last_report(world, "email.bounced")
    assert_that(world.email.suppressions, has_item(has_entries(
        address=world.actor(who).email.lower(),
        reason="hard_bounce",
        caused_by=has_entries(event="email.bounced", bounce="hard", report_id=bounce.message_id,
                              email_id=bounce.about.public_id),
    )))


@given("{admin:persona} has lifted the suppression of {who:persona}'s address")
@when("{admin:persona} lifts the suppression of {who:persona}'s address")
def step_lift(context, admin, who):
    world = context.world
    answer = admin_api.attempt_lift(sessions.ensure_signed_in(world, admin).client, world.email.suppression["id"])
    expect.answered(world, answer, 200, meaning=f"{admin.name} to lift the suppression")


@when("{who:persona} tries to lift the suppression of {whose:persona}'s address")
def step_try_lift(context, who, whose):
    world = context.world
    world.last_answer = admin_api.attempt_lift(sessions.ensure_signed_in(world, who).client, world.email.suppression["id"])


@then('the audit log records that {admin:persona} lifted the suppression of "{label}"')
def step_lift_audited(context, admin, label):
    world = context.world
    entries = audit.entries(world, "email.suppression_lifted", world.actor(admin))
    assert_that(entries, has_item(has_entries(outcome="succeeded", details=has_entries(address=label))))


@then("{admin:persona} sees the delay in the timeline of {who:persona}'s sign-in email")
def step_sees_delay(context, admin, who):
    world = context.world
    email = newest_email(world, sessions.ensure_signed_in(world, admin), world.actor(who), "sign-in email")
    assert_that(email["timeline"], has_item(has_entries(source="resend", event="email.delivery_delayed",
                                                        effect="applied")))
