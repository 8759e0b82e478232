"""Portal accounts of the personas: who exists, and in what standing."""
from behave import given


@given("{who:persona} has an active portal account")
def step_active_account(context, who):
    context.world.account(who, status="active")


@given("{who:persona}'s account is suspended")
@given("{who:persona}'s account has since been suspended")
def step_suspended_account(context, who):
    context.world.account(who, status="suspended")
