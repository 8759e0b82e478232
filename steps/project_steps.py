"""Projects and their cuts: arranging them, and what their owners and outsiders find."""
from behave import given, then, when
from hamcrest import assert_that, has_entries, has_item, is_not, not_none

from support.drivers import audit, projects, sessions, text_input
from support.drivers.sharing import NEVER_ISSUED_ID
from support.harness import expect


@given('{org:organisation} has the cut "{title}", version {version:count}')
def step_org_has_cut(context, org, title, version):
    projects.arrange_cut(context.world, org, title, version)


@given("{who:persona} is signed in, with a cut to share")
def step_signed_in_with_cut(context, who):
    actor = sessions.ensure_signed_in(context.world, who)
    projects.arrange_cut(context.world, actor.persona.organisation, "Harbour Lights", 3)


@when('{who:persona} starts the project "{name}" with the cut "{title}", version {version:count}')
def step_start_project(context, who, name, title, version):
    world = context.world
    client = world.actor(who).client
    project = expect.answered(world, projects.attempt_create_project(client, name), 201, meaning="the new project").json()
    world.projects.project_id = project["id"]
    world.last_answer = projects.attempt_add_cut(client, project["id"], title, version)


@then('{who:persona} finds the cut "{title}", version {version:count}, uploading in the project "{name}"')
def step_finds_cut(context, who, title, version, name):
    world = context.world
    client = world.actor(who).client
    cut = expect.answered(world, world.last_answer, 201, meaning="the new cut").json()
    assert_that(projects.project_names(world, client), has_item(name))
    listed = expect.answered(world, projects.list_cuts(client, world.projects.project_id), 200).json()["assets"]
    assert_that(listed, has_item(has_entries(id=cut["id"], title=title, version=version, status="uploading")))


@when("{who:persona} looks for the project and its cut")
def step_look_for_project(context, who):
    world = context.world
    cut, client = projects.the_cut(world), world.actor(who).client
    world.projects.lookups = {
        "the project": projects.read_project(client, cut.project_id),
        "the project's cuts": projects.list_cuts(client, cut.project_id),
        "the cut": projects.read_cut(client, cut.id),
    }
    world.projects.project_list = projects.list_projects(client)


@then("the portal answers {who:persona} as if the project and its cut did not exist")
def step_as_if_neither(context, who):
    world = context.world
    client = world.actor(who).client
    references = {
        "the project": projects.read_project(client, NEVER_ISSUED_ID),
        "the project's cuts": projects.list_cuts(client, NEVER_ISSUED_ID),
        "the cut": projects.read_cut(client, NEVER_ISSUED_ID),
    }
    for what, answer in world.projects.lookups.items():
        expect.answered(world, answer, 404, meaning=f"{what} not to be found")
        expect.same_answer(world, references[what], answer)
    listing = expect.answered(world, world.projects.project_list, 200, 404, meaning="their own projects, or none")
    if listing.status == 200:  # an agency producer sees his own agency's projects, none of Brightside's
        assert_that(listing.json()["projects"], is_not(has_item(has_entries(id=projects.the_cut(world).project_id))))


@when("{who:persona} deletes the cut")
def step_delete_cut(context, who):
    world = context.world
    actor = sessions.ensure_signed_in(world, who)
    world.last_answer = projects.delete_cut(world, actor, projects.the_cut(world))


@when("{who:persona} deletes the cut's project")
def step_delete_project(context, who):
    world = context.world
    actor = sessions.ensure_signed_in(world, who)
    world.last_answer = projects.delete_project(world, actor, projects.the_cut(world).project_id)


@then("{who:persona} no longer finds the cut in its project")
def step_cut_gone(context, who):
    world = context.world
    cut, client = projects.the_cut(world), world.actor(who).client
    assert_that(projects.titles_in_project(world, client, cut.project_id), is_not(has_item(cut.title)))
    expect.answered(world, projects.read_cut(client, cut.id), 404, meaning="the deleted cut not to be found")


@then("{who:persona} no longer finds the project")
def step_project_gone(context, who):
    world = context.world
    cut, client = projects.the_cut(world), world.actor(who).client
    expect.answered(world, projects.read_project(client, cut.project_id), 404, meaning="the deleted project not to be found")
    assert_that(projects.project_names(world, client), is_not(has_item(f"{cut.title} ({world.suffix})")))


@then("the portal still keeps its record of the cut, marked as deleted")
def step_cut_kept(context):
    record = projects.record_of(context.world, projects.the_cut(context.world))
    assert_that(record, has_entries(deleted_at=not_none(), deleted_by=not_none()))


@then("the audit log records that {who:persona} deleted the cut and revoked its link")
def step_deletion_audited(context, who):
    world = context.world
    actor, cut = world.actor(who), projects.the_cut(world)
    link = world.sharing.link
    assert_that(audit.entries(world, "asset.deleted", actor),
                has_item(has_entries(outcome="succeeded", details=has_entries(asset_id=cut.id,
                                                                              revoked_share_link_ids=[link.id]))))


@then("the portal shows {who:persona} the project and its cut")
def step_shows_project(context, who):
    world = context.world
    cut = projects.the_cut(world)
    for what, answer in world.projects.lookups.items():
        expect.answered(world, answer, 200, meaning=f"{who.name} to see {what}")
    listing = expect.answered(world, world.projects.project_list, 200, meaning="every organisation's projects")
    assert_that(listing.json()["projects"], has_item(has_entries(id=cut.project_id, organisation="Brightside Agency")))


@when("{who:persona} types {place} holding {character}")
def step_type_text(context, who, place, character):
    world = context.world
    world.last_answer = text_input.attempt_text(world.actor(who).client, _project_for(world, place), place, character)


@when("{who:persona} types {place} in several scripts, with accents and emoji")
def step_type_ordinary_text(context, who, place):
    world = context.world
    world.last_answer = text_input.attempt_text(world.actor(who).client, _project_for(world, place), place, None)


def _project_for(world, place: str) -> int | None:
    """The project the text goes into; None for a place outside projects (an API key's name)."""
    return None if place in text_input.NO_PROJECT_NEEDED else projects.the_cut(world).project_id


@when("{who:persona} types a task's description over several lines, with tabs")
def step_type_several_lines(context, who):
    world = context.world
    world.projects.typed = text_input.SEVERAL_LINES
    world.last_answer = text_input.attempt_text(world.actor(who).client, projects.the_cut(world).project_id,
                                                "a task's description", None, text_input.SEVERAL_LINES)


@then("the portal keeps the text exactly as typed")
def step_kept_as_typed(context):
    world = context.world
    answer = expect.answered(world, world.last_answer, 201, meaning="the text to be accepted")
    typed = world.projects.typed or text_input.ORDINARY
    assert text_input.kept_as_typed(answer, typed), f"the text was changed: {answer.summary(world.secrets)}"
