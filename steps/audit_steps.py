"""The audit log: facts no interface shows yet, read from the database and attached to the report."""
from behave import then
from hamcrest import assert_that, empty, has_entries, has_item

from support.drivers import audit


@then('the audit log records a successful sign-in by {who:persona} as "{label}"')
def step_audit_success(context, who, label):
    entries = audit.entries(context.world, "sign_in", context.world.actor(who))
    assert_that(entries, has_item(has_entries(outcome="succeeded", actor_label=label)))


@then('the audit log records a refused sign-in by {who:persona} as "{label}" because the link was "{reason}"')
def step_audit_refusal(context, who, label, reason):
    entries = audit.entries(context.world, "sign_in", context.world.actor(who))
    assert_that(entries, has_item(has_entries(outcome="refused", actor_label=label, reason=reason)))


@then('the audit log records a refused sign-in by an anonymous visitor because the link was "{reason}"')
def step_audit_anonymous_refusal(context, reason):
    entries = audit.entries(context.world, "sign_in", actor=None)
    assert_that(entries, has_item(has_entries(outcome="refused", actor_label="anonymous", reason=reason)))


@then("no audit entry holds {who:persona}'s full email address")
def step_audit_masks_address(context, who):
    actor = context.world.actor(who)
    assert_that(audit.entries_mentioning(context.world, actor.email), empty())
