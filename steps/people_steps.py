"""People: suspending and reinstating someone, and what it does to their access."""
from behave import given, then, when
from hamcrest import assert_that, equal_to

from support.drivers import audit, people, sessions
from support.harness import expect


def _suspended(world, admin, person) -> None:
    admin_actor = sessions.ensure_signed_in(world, admin)
    expect.answered(world, people.suspend(admin_actor.client, world.account(person).user_id), 200,
                    meaning=f"{admin_actor.name} to suspend {world.actor(person).name}")


def _reinstated(world, admin, person) -> None:
    admin_actor = sessions.ensure_signed_in(world, admin)
    expect.answered(world, people.reinstate(admin_actor.client, world.account(person).user_id), 200,
                    meaning=f"{admin_actor.name} to reinstate {world.actor(person).name}")


@given("{admin:persona} has suspended {person:persona}")
def step_has_suspended(context, admin, person):
    _suspended(context.world, admin, person)


@given("{admin:persona} has reinstated {person:persona}")
def step_has_reinstated(context, admin, person):
    _reinstated(context.world, admin, person)


@when("{admin:persona} suspends {person:persona}")
def step_suspends(context, admin, person):
    world = context.world
    world.last_answer = expect.answered(
        world, people.suspend(sessions.ensure_signed_in(world, admin).client, world.account(person).user_id), 200,
        meaning=f"{admin.name} to suspend {person.name}")


@when("{admin:persona} reinstates {person:persona}")
def step_reinstates(context, admin, person):
    _reinstated(context.world, admin, person)


@when("{who:persona} tries to suspend {person:persona}")
def step_tries_to_suspend(context, who, person):
    world = context.world
    client = world.actor(who).client
    world.people.reference = people.suspend(client, people.NEVER_ISSUED_ID)
    world.last_answer = people.suspend(client, world.account(person).user_id)


@then("the portal answers {who:persona} as if {person:persona} did not exist")
def step_as_if_no_person(context, who, person):
    world = context.world
    expect.answered(world, world.last_answer, 404, meaning="the answer for a person who does not exist")
    expect.same_answer(world, world.people.reference, world.last_answer)


@then("{who:persona}'s next request is refused as not signed in")
def step_next_refused(context, who):
    world = context.world
    expect.refused(world, sessions.profile(world.actor(who).client), 401, "not_signed_in",
                   meaning=f"{who.name}'s session to have ended")


@then("{who:persona} is still signed in")
@then("{who:persona} is signed in again")
def step_still_signed_in(context, who):
    world = context.world
    expect.answered(world, sessions.profile(world.actor(who).client), 200, meaning=f"{who.name} to still be signed in")


@then("the audit log records that {admin:persona} suspended {person:persona} and then reinstated him")
def step_audited(context, admin, person):
    world = context.world
    actor, subject = world.actor(admin), world.actor(person)
    for action in ("person.suspended", "person.reinstated"):
        entries = audit.entries(world, action, actor)
        assert len(entries) == 1, f"the audit log has {len(entries)} '{action}' entries by {actor.name}, not 1"
        assert entries[0]["details"].get("user_id") == subject.user_id, f"'{action}' names someone else: {entries[0]}"
        assert entries[0]["actor_label"] == audit.masked(actor.email)
