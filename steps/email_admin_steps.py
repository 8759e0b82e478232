"""What studio admins see of the portal's email: statuses, timelines, histories, dead letters."""
from behave import then, when
from hamcrest import assert_that, contains_string, equal_to, has_entries, has_item, has_length, is_not, only_contains

from support.drivers import audit, sessions
from support.drivers import email_admin as admin_api
from support.drivers import email_delivery as delivery
from support.drivers.email_admin import newest_email
from support.harness import expect


def _status(words: str) -> str:
    return words.replace(" ", "_")


# -- an email's status and timeline --------------------------------------------------------------

@then('{admin:persona} sees {who:persona}\'s sign-in email as "{status}"')
@then('{admin:persona} sees {who:persona}\'s newest sign-in email as "{status}"')
def step_sees_status(context, admin, who, status):
    world = context.world
    email = newest_email(world, sessions.ensure_signed_in(world, admin), world.actor(who), "sign-in email")
    assert_that(email["status"], equal_to(_status(status)), f"the sign-in email to {who.name}")


@then('{admin:persona} sees the share notification to {who:persona} as "{status}"')
def step_sees_notification_status(context, admin, who, status):
    world = context.world
    followed = delivery.current(world)  # the notification the scenario follows, found as the admin finds it
    history = admin_api.emails_to(world, sessions.ensure_signed_in(world, admin), world.actor(who).email)
    assert followed.public_id in [e["id"] for e in history], f"{admin.name} does not find the notification to {who.name}"
    email = admin_api.read_email(world, sessions.ensure_signed_in(world, admin), followed.public_id)
    assert_that(email["status"], equal_to(_status(status)), f"the share notification to {who.name}")


@then('{admin:persona} sees {who:persona}\'s sign-in email still as "{status}", with no report in its timeline')
def step_unchanged(context, admin, who, status):
    world = context.world
    email = newest_email(world, sessions.ensure_signed_in(world, admin), world.actor(who), "sign-in email")
    assert_that(email["status"], equal_to(_status(status)))
    reports = [e for e in email["timeline"] if e["source"] == "resend"]
    assert_that(reports, has_length(0), "a report the portal refused is in the email's timeline")


@then("{admin:persona} sees in {who:persona}'s sign-in email's timeline that it was held because {why}")
def step_held_because(context, admin, who, why):
    """The email's own timeline says why the whole outbox was held."""
    world = context.world
    email = newest_email(world, sessions.ensure_signed_in(world, admin), world.actor(who), "sign-in email")
    held = [e["detail"] or "" for e in email["timeline"] if e["event"] == "held"]
    assert_that(held, has_item(contains_string(f"held with the whole outbox: {why};")))


@when("{admin:persona} opens {who:persona}'s sign-in email")
def step_open_email(context, admin, who):
    world = context.world
    world.email.opened = newest_email(world, sessions.ensure_signed_in(world, admin), world.actor(who), "sign-in email")


@then('{admin:persona} sees it as "{status}", with this timeline:')
def step_sees_timeline(context, admin, status):
    email = context.world.email.opened
    assert_that(email["status"], equal_to(_status(status)))
    seen = [[e["source"], e["event"].replace("_", " ")] for e in email["timeline"]]
    expected = [[row["source"], row["event"]] for row in context.table]
    assert_that(seen, equal_to(expected))


# -- histories and dead letters ------------------------------------------------------------------

@when("{admin:persona} looks up the emails sent to {who:persona}")
def step_look_up(context, admin, who):
    world = context.world
    world.email.history = admin_api.emails_to(world, sessions.ensure_signed_in(world, admin), world.actor(who).email)


@then("{admin:persona} sees {who:persona}'s {count:count} sign-in emails, newest first, and no one else's")
def step_sees_history(context, admin, who, count):
    world = context.world
    history = world.email.history
    assert_that(history, has_length(count))
    assert_that([e["recipient"] for e in history], only_contains(world.actor(who).email))
    assert_that([e["template"] for e in history], only_contains("sign_in_link"))
    created = [e["created_at"] for e in history]
    assert_that(created, equal_to(sorted(created, reverse=True)), "the history is not newest first")


@then("{admin:persona} finds {who:persona}'s sign-in email among the dead letters, with the provider's last error")
@then("{admin:persona} finds {who:persona}'s sign-in email among the dead letters, with the provider's reason")
def step_among_dead(context, admin, who):
    world = context.world
    email = delivery.current(world)
    dead = admin_api.dead_letters(world, sessions.ensure_signed_in(world, admin))
    mine = [e for e in dead if e["id"] == email.public_id]
    assert mine, f"the sign-in email to {who.name} is not among the dead letters"
    expected = world.email.provider_reason
    assert_that(mine[0]["last_error"] or "", contains_string(expected))


@when("{admin:persona} sends it again")
@when("{admin:persona} tries to send {who:persona}'s sign-in email again")
def step_send_again(context, admin, who=None):
    world = context.world
    world.last_answer = admin_api.attempt_send_again(sessions.ensure_signed_in(world, admin).client, delivery.current(world).public_id)


@then("{who:persona} receives the share notification")
def step_receives_notification(context, who):
    world = context.world
    expect.answered(world, world.last_answer, 202, meaning="the dead letter to be sent again")
    email = delivery.current(world)
    delivery.delivered(world, email)
    assert_that(email.sent.subject, contains_string("shared"))


@then("{admin:persona} sees in the share notification's timeline that she sent it again")
def step_timeline_shows_resend(context, admin):
    world = context.world
    actor = sessions.ensure_signed_in(world, admin)
    email = admin_api.read_email(world, actor, delivery.current(world).public_id)
    assert_that(email["status"], equal_to("sent"))
    assert_that(email["timeline"], has_item(has_entries(event="resend_requested",
                                                        detail=contains_string(audit.masked(actor.email)))))
    assert_that(email["timeline"][-1], has_entries(event="accepted"))


@then("{admin:persona} is told it cannot be sent again, and that {who:persona} should ask for a new link")
def step_not_resendable(context, admin, who):
    world = context.world
    answer = expect.answered(world, world.last_answer, 409, meaning="the dead sign-in email to be refused")
    assert_that(answer.json()["error"], has_entries(code="not_resendable", message=contains_string("new link")))


@when("{who:persona} looks at the dead letters")
def step_others_look(context, who):
    world = context.world
    world.last_answer = admin_api.list_emails(sessions.ensure_signed_in(world, who).client, status="dead")


@then("the portal answers {who:persona} as if the dead letters did not exist")
@then("the portal answers {who:persona} as if the suppression did not exist")
@then("the portal answers {who:persona} as if the state of email delivery did not exist")
@then("the portal answers {who:persona} as if the email did not exist")
def step_nothing_there(context, who):
    admin_api.expect_nothing_there(context.world, context.world.last_answer, who.name)
    assert_that(context.world.last_answer.response_body, is_not(contains_string("@")))


@then("{admin:persona} sees that it {can} be sent again")
def step_sees_resendable(context, admin, can):
    """Among the dead letters ADMIN just looked at, the scenario's email is marked as one that can
    (or cannot) be sent again."""
    world = context.world
    verdicts = {"can": True, "cannot": False}
    assert can in verdicts, f"no such verdict in the harness: {can!r} (known: {', '.join(verdicts)})"
    dead = expect.answered(world, world.last_answer, 200, meaning=f"{admin.name} to see the dead letters").json()["emails"]
    mine = [e for e in dead if e["id"] == delivery.current(world).public_id]
    assert mine, "the scenario's email is not among the dead letters"
    assert_that(mine[0], has_entries(can_be_sent_again=verdicts[can]))
