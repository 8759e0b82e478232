"""Email as the recipients and the email provider see it."""
from behave import given, then
from hamcrest import assert_that, equal_to, has_length

from support.drivers import sign_in


@given("the email provider has stopped answering")
def step_provider_stopped(context):
    """The fake of Resend holds every call unanswered until a later step lets it answer again."""
    context.run.resend.hold()


@then("{who:persona} receives a sign-in email")
@then("{who:persona} receives a new sign-in email")
def step_receives_sign_in_email(context, who):
    """Waits (bounded) for the sign-in email the provider received for the persona, and keeps its link."""
    sign_in.receive_link(context.world, context.world.actor(who))


@then("{who:persona} receives a sign-in email once the email provider answers again")
def step_receives_after_provider_returns(context, who):
    """Lets the held provider answer, then waits for the persona's sign-in email."""
    # had the portal waited for the provider, the When step would have timed out instead
    context.run.resend.release()
    sign_in.receive_link(context.world, context.world.actor(who))


@then("only {who:persona} receives a sign-in email")
def step_only_one_receives(context, who):
    """After the portal's background work is done, the persona, and nobody else, got a sign-in email."""
    world = context.world
    world.wait_until_portal_idle()
    sign_in.receive_link(world, world.actor(who))
    recipients = sorted({to for email in context.run.resend.sent for to in email.to})
    assert_that(recipients, equal_to([world.actor(who).email]),
                f"emails went to {recipients}, expected only {who.name}")


@then("{who:persona} receives no further sign-in email")
@then("{who:persona} receives no sign-in email")
@then("{who:persona} receives no email")
@then("{who:persona} receives no further email")
def step_receives_no_more(context, who):
    """After the portal's background work is done, the persona got no email beyond those already read."""
    world = context.world
    world.wait_until_portal_idle()
    actor = world.actor(who)
    received = context.run.resend.emails_to(actor.email)
    assert_that(received, has_length(actor.emails_seen),
                f"{who.name} received {len(received)} email(s); {actor.emails_seen} were expected")
