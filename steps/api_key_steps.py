"""API keys: making, listing and revoking them, and what a system holding one may do."""
from behave import given, then, when
from hamcrest import assert_that, contains_string, empty, equal_to, has_entries, has_item, has_length, is_not, none

from support.data.factories import sha256_hex
from support.drivers import api_access as api
from support.drivers import secrets_at_rest, sessions
from support.harness import expect

NEVER_ISSUED_ID = 2**62


def _system_with_key(world, owner) -> None:
    scene = world.api_access
    scene.key, scene.key_id = api.make_key(world, sessions.ensure_signed_in(world, owner), "Asset manager")
    scene.system = api.system(world, owner.name, scene.key)


def _as_if_nothing(world, reference, answer) -> None:
    expect.answered(world, answer, 404, meaning="the answer for something that does not exist")
    expect.same_answer(world, reference, answer)


# -- arranging --------------------------------------------------------------------------------------

@given("{owner:persona}'s system holds a key {maker:persona} made")
def step_system_holds_key(context, owner, maker):
    assert owner == maker, "a system holds a key its owner made"
    _system_with_key(context.world, owner)


@given("{owner:persona}'s system holds {held:held_key}")
def step_system_holds_bad_key(context, owner, held):
    world = context.world
    key, scheme = api.HELD_KEYS[held](world)
    if key:
        world.remember_secret(key)
    world.api_access.system = api.system(world, owner.name, key, scheme)


@given("{owner:persona}'s system has listed the projects")
def step_has_listed(context, owner):
    world = context.world
    expect.answered(world, api.list_projects(world.api_access.system), 200, meaning=f"{owner.name}'s system to list the projects")


@given("Theo has revoked the key")
def step_revoked(context):
    world = context.world
    expect.answered(world, api.attempt_revoke(world.actor("Theo").client, world.api_access.key_id), 204,
                    meaning="Theo to revoke the key")


# -- acting -----------------------------------------------------------------------------------------

@when('{who:persona} makes an API key named "{name:q}"')
def step_makes_key(context, who, name):
    world = context.world
    world.last_answer = world.api_access.made = api.attempt_make_key(world.actor(who).client, name)
    if world.last_answer.status == 201:
        world.api_access.key = world.last_answer.json()["key"]
        world.remember_secret(world.api_access.key)


@when('{who:persona} tries to make an API key named "{name:q}"')
def step_tries_to_make_key(context, who, name):
    world = context.world
    client = world.actor(who).client
    world.api_access.reference = api.attempt_revoke(client, NEVER_ISSUED_ID)
    world.last_answer = api.attempt_make_key(client, name)


@when("{owner:persona}'s system tries to make, list and revoke keys with it")
def step_key_manages_keys(context, owner):
    world = context.world
    system = world.api_access.system
    world.api_access.reference = api.attempt_revoke(system, NEVER_ISSUED_ID)
    world.api_access.answers = [api.attempt_make_key(system, "Another"), api.list_keys(system),
                                api.attempt_revoke(system, world.api_access.key_id)]


@when("{owner:persona}'s system lists the projects")
def step_lists_projects(context, owner):
    world = context.world
    world.last_answer = api.list_projects(world.api_access.system)


@when('{owner:persona}\'s system tries to open the project "{name:q}"')
def step_opens_project(context, owner, name):
    world = context.world
    system = world.api_access.system
    world.api_access.reference = system.get(f"/projects/{NEVER_ISSUED_ID}")
    world.last_answer = system.get(f"/projects/{world.work.projects[name].id}")


@when("{owner:persona}'s system tries to see the scheduled tasks")
def step_sees_tasks(context, owner):
    world = context.world
    system = world.api_access.system
    world.api_access.reference = system.get("/admin/tasks/no-such-task/runs")
    world.last_answer = system.get("/admin/tasks")


@when("{owner:persona}'s system opens the portal's home page")
def step_home_page(context, owner):
    world = context.world
    world.last_answer = world.api_access.system.get("/")


@when("Lena tries to revoke Theo's key")
def step_lena_revokes(context):
    world = context.world
    client = world.actor("Lena").client
    world.api_access.reference = api.attempt_revoke(client, NEVER_ISSUED_ID)
    world.last_answer = api.attempt_revoke(client, world.api_access.key_id)


@when("Theo's system lists the projects, then tries a key cut short")
def step_key_then_cut(context):
    world = context.world
    cut = api.system(world, "Theo", world.api_access.key[:-7])
    world.api_access.answers = [api.list_projects(world.api_access.system), api.list_projects(cut)]


# -- observing --------------------------------------------------------------------------------------

@then("{who:persona} is shown the key once, in the portal's key format, with {bits:count} random bits")
def step_shown_once(context, who, bits):
    world = context.world
    made = expect.answered(world, world.api_access.made, 201, meaning=f"{who.name} to make a key").json()
    assert api.in_key_format(made["key"]), "the key is not in the documented format (nl_live_, 43 characters, checksum)"
    assert_that(api.random_bits(made["key"]), equal_to(bits))
    for listed in api.keys_listed(world, world.actor(who)):
        assert made["key"] not in str(listed), "the list of keys shows a key again"


@then('{who:persona}\'s keys list "{name:q}" with its last four characters, and never the key')
def step_keys_listed(context, who, name):
    world = context.world
    listed = api.keys_listed(world, world.actor(who))
    key = world.api_access.key
    assert_that(listed, has_item(has_entries(name=name, last_four=key[-4:], last_used_at=none())))
    assert key not in str(listed) and "key" not in {k for item in listed for k in item}


@then("the portal keeps only a hash of {who:persona}'s key")
def step_key_hashed(context, who):
    world = context.world
    key = world.api_access.key
    rows = api.stored_key_rows(world, world.account(who))
    assert_that([r["key_hash"] for r in rows], has_item(sha256_hex(key)))
    assert_that(secrets_at_rest.places_holding(world, key), empty())


@then("the portal answers {who:persona} as if API keys did not exist")
@then("the portal answers {who:persona} as if the key did not exist")
def step_as_if_no_keys(context, who):
    world = context.world
    _as_if_nothing(world, world.api_access.reference, world.last_answer)


@then("the portal answers each as if API keys did not exist")
def step_each_as_if_no_keys(context):
    world = context.world
    for answer in world.api_access.answers:
        _as_if_nothing(world, world.api_access.reference, answer)


@then("the portal answers {owner:persona}'s system as if the project did not exist")
@then("the portal answers {owner:persona}'s system as if the scheduled tasks did not exist")
def step_system_as_if_nothing(context, owner):
    world = context.world
    _as_if_nothing(world, world.api_access.reference, world.last_answer)


@then('{owner:persona}\'s system sees the project "{name:q}"')
def step_sees_project(context, owner, name):
    world = context.world
    answer = expect.answered(world, world.last_answer, 200, meaning=f"{owner.name}'s system to list the projects").json()
    assert_that([p["name"] for p in answer["projects"]], has_item(name))


@then("{who:persona}'s keys show when the key was last used")
def step_last_used(context, who):
    world = context.world
    listed = api.keys_listed(world, world.actor(who))
    assert_that(listed, has_item(has_entries(id=world.api_access.key_id, last_used_at=is_not(none()))))


@then("{owner:persona}'s system sees the scheduled tasks")
def step_system_sees_tasks(context, owner):
    world = context.world
    answer = expect.answered(world, world.last_answer, 200, meaning=f"{owner.name}'s system to see the scheduled tasks")
    assert_that(answer.json()["tasks"], is_not(empty()))


@then("the page says nobody is signed in")
def step_nobody_signed_in(context):
    world = context.world
    page = expect.answered(world, world.last_answer, 200, meaning="the home page")
    assert_that(page.response_body, contains_string("You are not signed in"))


@then("the portal refuses the key exactly as a key it never issued")
def step_refused_key(context):
    world = context.world
    answer = expect.answered(world, world.last_answer, 401, meaning="the key to be refused")
    assert_that(answer.json()["error"]["code"], equal_to("invalid_api_key"))
    reference = api.list_projects(api.system(world, "A forger", api.never_issued_key()))
    expect.same_answer(world, reference, answer)


@then("Theo's system still lists the projects")
def step_still_lists(context):
    world = context.world
    expect.answered(world, api.list_projects(world.api_access.system), 200, meaning="Theo's key to still work")


@then("the portal's log holds neither key")
def step_log_clean(context):
    world = context.world
    ok, refused = world.api_access.answers
    expect.answered(world, ok, 200, meaning="the key to work")
    expect.answered(world, refused, 401, meaning="the cut key to be refused")
    key = world.api_access.key
    for answer in (ok, refused):
        lines = context.run.log.request_lines(answer.header("X-Request-ID"))
        assert_that(lines, is_not(empty()))
        for line in lines:
            assert key[:-7] not in line and "nl_live_" not in line, f"the log holds a key: {line}"
