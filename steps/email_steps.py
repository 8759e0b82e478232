"""Email as the recipients and the email provider see it."""
from behave import given, then
from hamcrest import assert_that, empty, has_length

from support import sign_in


@given("the email provider has stopped answering")
def step_provider_stopped(context):
    context.run.resend.hold()


@then("{who:persona} receives a sign-in email")
def step_receives_sign_in_email(context, who):
    actor = context.world.actor(who)
    sign_in.receive_link(context.world, actor, count=len(actor.sign_in_links) + 1)


@then("{who:persona} receives a sign-in email once the email provider answers again")
def step_receives_after_provider_returns(context, who):
    assert_that(context.run.resend.emails_to(context.world.actor(who).email), empty(),
                "no email can have been sent while the provider was not answering")
    context.run.resend.release()
    sign_in.receive_link(context.world, context.world.actor(who))


@then("only {who:persona} receives a sign-in email")
def step_only_one_receives(context, who):
    world = context.world
    world.wait_until_portal_idle()
    sign_in.receive_link(world, world.actor(who))
    recipients = sorted({to for email in context.run.resend.sent for to in email.to})
    assert_that(recipients, has_length(1), f"emails went to {recipients}, expected only {who.name}")


@then("{who:persona} receives no further sign-in email")
@then("{who:persona} receives no sign-in email")
def step_receives_no_more(context, who):
    world = context.world
    world.wait_until_portal_idle()
    actor = world.actor(who)
    received = context.run.resend.emails_to(actor.email)
    expected = len(actor.sign_in_links) + world.notes.get("emails_before", {}).get(who.name, 0)
    assert_that(received, has_length(expected),
                f"{who.name} received {len(received)} sign-in email(s), expected {expected}")
