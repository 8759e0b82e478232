"""The audit log: facts no interface shows yet, read from the database and attached to the report."""
from behave import then
from hamcrest import assert_that, empty, has_item, has_entries

from support import audit


@then('the audit log records a successful sign-in by "{label}"')
def step_audit_success(context, label):
    entries = audit.entries(context.world, "sign_in")
    assert_that(entries, has_item(has_entries(outcome="succeeded", actor_label=label)))


@then('the audit log records a refused sign-in by "{label}" because the link "{reason}"')
def step_audit_refusal(context, label, reason):
    entries = audit.entries(context.world, "sign_in")
    assert_that(entries, has_item(has_entries(outcome="refused", actor_label=label, reason=reason)))


@then("no audit entry holds {who:persona}'s full email address")
def step_audit_masks_address(context, who):
    actor = context.world.actor(who)
    assert_that(audit.entries_mentioning(context.world, actor.email), empty())
