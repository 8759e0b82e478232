"""Portal accounts of the personas: who exists, and in what standing."""
from behave import given


@given("{who:persona} has an active portal account")
def step_active_account(context, who):
    """Creates the persona's account in its glossary organisation and role, active."""
    context.world.account(who, status="active")


@given("{who:persona}'s account is suspended")
@given("{who:persona}'s account has since been suspended")
def step_suspended_account(context, who):
    """The persona's account exists but is suspended: sign-in links are refused, as any dead link is."""
    context.world.account(who, status="suspended")
