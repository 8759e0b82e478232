"""Reports from Resend (webhooks): sending them as Resend and as a forger, and what the portal
answers and records."""
from behave import given, then, when
from hamcrest import assert_that, equal_to, has_entries, has_length, is_in

from support.drivers import email_delivery as delivery
from support.drivers import email_reports as reports
from support.drivers import secrets_at_rest, sessions, sign_in
from support.drivers.email_admin import newest_email
from support.fakes.resend import RETIRED_WEBHOOK_SECRET, WEBHOOK_SECRET
from support.harness import expect


@given("{who:persona}'s sign-in email has been sent")
def step_sign_in_email_sent(context, who):
    world = context.world
    delivery.remember(world, delivery.sent_sign_in_email(world, world.account(who)))


# -- Resend reports ----------------------------------------------------------------------------------

@when("Resend reports that {who:persona}'s email was delivered")
def step_report_delivered(context, who):
    context.world.last_answer = reports.report(context.world, "email.delivered", delivery.current(context.world)).answer


@given("Resend has reported that {who:persona}'s email was delivered")
def step_reported_delivered(context, who):
    world = context.world
    sent = reports.report(world, "email.delivered", delivery.current(world))
    expect.answered(world, sent.answer, 200, meaning="the delivery report to be acknowledged")


@when("Resend reports that {who:persona}'s email is delayed")
def step_report_delayed(context, who):
    context.world.last_answer = reports.report(context.world, "email.delivery_delayed", delivery.current(context.world)).answer


@given("Resend has reported that {who:persona}'s next email was delivered, before the portal recorded sending it")
def step_report_overtakes(context, who):
    world = context.world
    sent = reports.report_ahead_of_send(world, world.account(who), "email.delivered")
    expect.answered(world, sent.answer, 200, meaning="the early report to be acknowledged")


@when("{who:persona}'s next sign-in email goes out")
def step_next_goes_out(context, who):
    world = context.world
    delivery.remember(world, delivery.sent_sign_in_email(world, world.actor(who)))


@when("Resend reports, late, that {who:persona}'s email was sent")
def step_report_sent_late(context, who):
    context.world.last_answer = reports.report(context.world, "email.sent", delivery.current(context.world), minutes_ago=1).answer


@given("Resend has reported that {who:persona}'s email bounced permanently")
def step_reported_bounce(context, who):
    world = context.world
    sent = reports.report(world, "email.bounced", delivery.current(world))
    expect.answered(world, sent.answer, 200, meaning="the bounce report to be acknowledged")


@given("Resend has reported that {who:persona}'s email bounced softly {minutes:count} minutes ago")
def step_reported_soft_bounce(context, who, minutes):
    world = context.world
    sent = reports.report(world, "email.bounced", delivery.current(world), minutes_ago=minutes, bounce_type="Transient")
    expect.answered(world, sent.answer, 200, meaning="the soft bounce report to be acknowledged")


@when("Resend reports, late, that {who:persona}'s email was delayed {minutes:count} minutes ago")
def step_report_delay_late(context, who, minutes):
    context.world.last_answer = reports.report(context.world, "email.delivery_delayed", delivery.current(context.world), minutes_ago=minutes).answer


@given("Resend has reported that {who:persona}'s email was delayed {minutes:count} minutes ago")
def step_reported_delay(context, who, minutes):
    """Resend reported a delay of the email, about an event that many minutes ago (acknowledged)."""
    world = context.world
    sent = reports.report(world, "email.delivery_delayed", delivery.current(world), minutes_ago=minutes)
    expect.answered(world, sent.answer, 200, meaning="the delay report to be acknowledged")


@when("Resend reports that {who:persona}'s email was delayed {minutes:count} minutes ago")
def step_report_delay(context, who, minutes):
    """Resend reports a delay of the email, about an event that many minutes ago."""
    context.world.last_answer = reports.report(context.world, "email.delivery_delayed", delivery.current(context.world),
                                               minutes_ago=minutes).answer


@when("Resend reports that {who:persona}'s email bounced softly {minutes:count} minutes ago")
def step_report_soft_bounce(context, who, minutes):
    """Resend reports a soft (transient) bounce of the email, about an event that many minutes ago."""
    context.world.last_answer = reports.report(context.world, "email.bounced", delivery.current(context.world),
                                               minutes_ago=minutes, bounce_type="Transient").answer


@when('Resend reports "{event}" about {who:persona}\'s email')
def step_report_event(context, event, who):
    context.world.last_answer = reports.report(context.world, event, delivery.current(context.world)).answer


@when('Resend reports "{event}"')
def step_report_unrelated(context, event):
    context.world.last_answer = reports.report(context.world, event, None).answer


@when("Resend reports that {who:persona}'s email was delivered, in a report signed {minutes:count} minutes ago")
def step_signed_ago(context, who, minutes):
    context.world.last_answer = reports.report(context.world, "email.delivered", delivery.current(context.world), signed_minutes_ago=minutes).answer


@when("Resend reports that {who:persona}'s email was delivered, in a report signed {minutes:count} minutes from now")
def step_signed_ahead(context, who, minutes):
    context.world.last_answer = reports.report(context.world, "email.delivered", delivery.current(context.world), signed_minutes_ago=-minutes).answer


@when("Resend reports that {who:persona}'s email was delivered, signed with both a retired secret and the current one")
def step_signed_during_rotation(context, who):
    context.world.last_answer = reports.report(context.world, "email.delivered", delivery.current(context.world),
                   secrets=(RETIRED_WEBHOOK_SECRET, WEBHOOK_SECRET)).answer


@when("Resend delivers the same report again")
@when("Resend delivers the report of the last soft bounce again")
def step_redeliver(context):
    context.world.last_answer = reports.redeliver(context.world, reports.last_report(context.world, "email.bounced")).answer


# -- forged and broken reports -------------------------------------------------------------------------

@when("{attacker:persona} sends a report that {who:persona}'s email bounced, {problem}")
def step_forged(context, attacker, who, problem):
    context.world.last_answer = reports.forged_bounce(context.world, delivery.current(context.world), problem)


@when("Resend sends a signed report about {who:persona}'s email whose body is not JSON")
def step_not_json(context, who):
    context.world.last_answer = reports.broken_report(context.world, delivery.current(context.world), "whose body is not JSON")


@when("Resend sends a signed report about {who:persona}'s email with {problem}")
def step_broken(context, who, problem):
    context.world.last_answer = reports.broken_report(context.world, delivery.current(context.world), problem)


# -- the portal's answer and record -----------------------------------------------------------------------

@then("the portal acknowledges the report")
def step_acknowledged(context):
    world = context.world
    answer = expect.answered(world, world.last_answer, 200, meaning="the report to be acknowledged")
    assert_that(answer.json()["status"], is_in(["accepted", "duplicate"]))


@then("the portal refuses the report")
def step_refused(context):
    world = context.world
    answer = expect.answered(world, world.last_answer, 401, meaning="the report to be refused")
    assert_that(answer.json(), equal_to({"error": {"code": "invalid_signature",
                                                   "message": "The webhook signature could not be verified."}}))


@then('the portal rejects the report as "{code}"')
@then('the portal rejects the report as "{code}", naming "{field}"')
def step_rejected(context, code, field=None):
    world = context.world
    answer = expect.answered(world, world.last_answer, 400, meaning=f"the report to be rejected as {code}")
    error = answer.json()["error"]
    assert_that(error["code"], equal_to(code))
    if field is not None:
        assert_that(list(error.get("fields", {})), equal_to([field]))


@then("the portal records the report as {handling}")
def step_recorded_as(context, handling):
    world = context.world
    record = reports.recorded(world, reports.last_report(world))
    assert record is not None, "the portal kept no record of the report"
    assert_that(record["effect"], equal_to(handling))


@then("{admin:persona} sees the bounce exactly once in the timeline of {who:persona}'s sign-in email")
def step_bounce_once(context, admin, who):
    world = context.world
    email = newest_email(world, sessions.ensure_signed_in(world, admin), world.actor(who), "sign-in email")
    assert_that([e for e in email["timeline"] if e["event"] == "email.bounced"], has_length(1))


_REPORTS = {"delivery report": "email.delivered", "report that it was sent": "email.sent",
            "delay report": "email.delivery_delayed"}


@then("its timeline keeps the {which}, as {effect}")
def step_kept_as(context, which, effect):
    world = context.world
    # "its": the email as the admin of the scenario reads it
    email = newest_email(world, sessions.ensure_signed_in(world, "Ada"), delivery.current(world).actor, "sign-in email")
    event = _REPORTS[which]
    kept = [e for e in email["timeline"] if e["event"] == event]
    assert_that(kept, has_length(1))
    assert_that(kept[0], has_entries(source="resend", effect=effect))


@when("Resend reports that {who:persona}'s email was delivered {when}")
def step_report_delivered_at(context, who, when):
    world = context.world
    world.last_answer = reports.report(world, "email.delivered", delivery.current(world),
                                       minutes_ago=reports.minutes_ago(when)).answer


@when("Resend reports that {who:persona} clicked the link in {pronoun:pronoun} sign-in email, {spelling}")
def step_click_report(context, who, pronoun, spelling):
    world = context.world
    world.last_answer = reports.click_report(world, delivery.current(world), spelling).answer


@then("the key of {who:persona}'s sign-in link is kept nowhere in the portal")
def step_link_key_nowhere(context, who):
    world = context.world
    key = sign_in.token_of(delivery.current(world).sent.links[0])
    assert key, "the sign-in email holds no link key"
    places = secrets_at_rest.places_holding(world, key)
    assert not places, f"the key of {who.name}'s sign-in link is kept in {places}"
