"""The audit log: as admins read it through the portal, and facts read from the database."""
from datetime import datetime

from behave import given, then, when
from hamcrest import assert_that, contains_exactly, contains_string, empty, equal_to, has_entries, has_item, has_length

from support.drivers import audit, sessions, tasks, work
from support.fixtures import use_portal_configured
from support.harness import expect


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


# -- reading the audit log through the portal --------------------------------------------------------

@given('{who:persona} has added {count:count} tasks to {org:organisation}\'s project "{name:q}"')
@given('{who:persona} has added {count:count} task to {org:organisation}\'s project "{name:q}"')
def step_added_tasks(context, who, count, org, name):
    world = context.world
    actor = sessions.ensure_signed_in(world, who)
    work.arrange_project(world, org, name)
    for n in range(count):
        work.added_task(world, actor, f"{name} task {n + 1}")


@given('{who:persona} has added {count:count} more tasks to "{name:q}"')
def step_added_more(context, who, count, name):
    world = context.world
    actor = sessions.ensure_signed_in(world, who)
    world.work.project = world.work.projects[name]
    for n in range(count):
        work.added_task(world, actor, f"More task {n + 1}")


@given('{who:persona} has completed the task "{title:q}"')
def step_completed(context, who, title):
    world = context.world
    actor = world.actor(who)
    task = world.work.tasks[title]
    expect.answered(world, work.complete_task(actor.client, task.id, work.etag_read_by(world, actor, task)), 200,
                    meaning=f"{who.name} to complete the task")


@given("{who:persona}'s first entry was made {first:duration} ago and his second {second:duration} ago")
def step_entries_moved(context, who, first, second):
    context.world.operations.audit_times = audit.move_entries(context.world, context.world.actor(who), [first, second])


def _read(context, who, **filters):
    world = context.world
    world.operations.audit_pages = audit.read_pages(world, world.actor(who), **filters)
    world.last_answer = world.operations.audit_pages[-1]


@when("{who:persona} reads the audit log")
def step_read_log(context, who):
    _read(context, who)


@when("{who:persona} reads the audit log of what {actor:persona} did")
def step_read_by_person(context, who, actor):
    _read(context, who, person=context.world.actor(actor).user_id)


@when("{who:persona} reads the audit log of what {actor:persona} did, {count:count} entries a page")
def step_read_in_pages(context, who, actor, count):
    _read(context, who, person=context.world.actor(actor).user_id, limit=count)


@when('{who:persona} reads the audit log\'s "{kind}" entries')
def step_read_kind(context, who, kind):
    _read(context, who, kind=kind)


@when('{who:persona} reads the audit log about the project "{name:q}"')
def step_read_about(context, who, name):
    world = context.world
    _read(context, who, subject=f"project:{world.work.projects[name].id}")
    world.operations.reference = audit.read_pages(world, world.actor(who), subject=f"project:{audit.NEVER_ISSUED_ID}")[-1]


@when("{who:persona} reads the audit log from {first:duration} ago to {second:duration} ago")
def step_read_range(context, who, first, second):
    since, until = context.world.operations.audit_times
    _read(context, who, **{"from": since.isoformat(), "to": until.isoformat()})


@when("{who:persona} reads the audit log with {problem}")
def step_read_bad_filter(context, who, problem):
    world = context.world
    actor = world.actor(who)
    if problem == "a cursor changed by hand":
        first = audit.read_pages(world, actor, limit=1)[0]
        params = {"limit": 1, "cursor": audit.changed_by_hand(first.json()["next_cursor"])}
    else:
        params = audit.BAD_FILTERS[problem]
    world.last_answer = audit.read_log(actor.client, **params)


@when("{who:persona} tries to read the audit {what:audit_reading}")
def step_try_read(context, who, what):
    world = context.world
    actor = world.actor(who)
    world.last_answer = what(actor.client)
    world.operations.reference = audit.nowhere(actor.client)


@when("{who:persona} reads the catalogue of audit kinds")
def step_read_kinds(context, who):
    context.world.last_answer = audit.read_kinds(context.world.actor(who).client)


@then('{who:persona} sees {theirs:count} entries by {actor:persona} and {others:count} by {other:persona}, each a "{kind}"')
def step_sees_both(context, who, theirs, actor, others, other, kind):
    entries = audit.entries_on(context.world.operations.audit_pages)
    world = context.world
    assert_that([e["kind"] for e in audit.by(entries, world.actor(actor))], equal_to([kind] * theirs))
    assert_that([e["kind"] for e in audit.by(entries, world.actor(other))], equal_to([kind] * others))


@then("{who:persona} sees {theirs:count} entries by {actor:persona} and none by {other:persona}")
@then("{who:persona} sees {theirs:count} entry by {actor:persona} and none by {other:persona}")
def step_sees_only(context, who, theirs, actor, other):
    world = context.world
    entries = audit.entries_on(world.operations.audit_pages)
    assert_that(audit.by(entries, world.actor(actor)), has_length(theirs))
    assert_that(audit.by(entries, world.actor(other)), empty())


@then('{who:persona} sees {theirs:count} entry by {actor:persona}, a "{kind}"')
def step_sees_one_kind(context, who, theirs, actor, kind):
    world = context.world
    entries = audit.entries_on(world.operations.audit_pages)
    assert_that([(e["kind"], e["actor"]["person_id"]) for e in entries], equal_to([(kind, world.actor(actor).user_id)] * theirs))


@then("{who:persona} sees no entries, exactly as about a project that never existed")
def step_sees_nothing(context, who):
    world = context.world
    assert_that(world.last_answer.json()["entries"], empty())
    expect.same_answer(world, world.last_answer, world.operations.reference)


@then("{who:persona} sees {actor:persona}'s first entry and not his second")
def step_sees_first_only(context, who, actor):
    world = context.world
    first, _ = world.operations.audit_times
    entries = audit.by(audit.entries_on(world.operations.audit_pages), world.actor(actor))
    assert_that([datetime.fromisoformat(e["at"]) for e in entries], equal_to([first]))


@then('the portal refuses the filter "{name}" and says "{says}"')
def step_refused_filter(context, name, says):
    world = context.world
    answer = expect.answered(world, world.last_answer, 422, meaning=f"the filter {name} to be refused")
    assert_that(answer.json()["error"], has_entries(code="validation_failed", fields=has_entries({name: contains_string(says)})))


@then("the portal answers {who:persona} exactly as for an address that does not exist")
def step_as_if_nowhere(context, who):
    world = context.world
    expect.answered(world, world.last_answer, 404, meaning=f"{who.name} to find nothing there")
    expect.same_answer(world, world.last_answer, world.operations.reference)


@then("{who:persona} reads {count:count} pages, of {sizes} entries, the last without a way on")
def step_pages(context, who, count, sizes):
    pages = context.world.operations.audit_pages
    expected = [int(s) for s in sizes.replace(" and ", ", ").split(", ")]
    assert_that([len(p.json()["entries"]) for p in pages], equal_to(expected))
    assert_that([p.json()["next_cursor"] is None for p in pages], equal_to([False] * (count - 1) + [True]))


@then("{who:persona} has seen each of {actor:persona}'s {count:count} entries once, newest first")
def step_each_once(context, who, actor, count):
    world = context.world
    entries = audit.entries_on(world.operations.audit_pages)
    created = [t.id for t in world.work.tasks.values() if t.project_id == world.work.projects["Harbour Lights"].id]
    assert_that([e["details"]["task_id"] for e in entries], equal_to(list(reversed(created))))
    assert_that(len(created), equal_to(count))


@then('the catalogue explains "{kind}" as "{description}", naming a person: {names}')
def step_catalogue(context, kind, description, names):
    world = context.world
    answer = expect.answered(world, world.last_answer, 200, meaning="the catalogue of audit kinds")
    assert_that(answer.json()["kinds"], has_item(equal_to(
        {"kind": kind, "description": description, "names_person": names == "yes"})))


# -- retention and legal hold -------------------------------------------------------------------------

@given("{who:persona}'s entries were made {first:duration}, {second:duration} and {third:duration} ago")
def step_entries_aged(context, who, first, second, third):
    world = context.world
    world.operations.audit_times = audit.move_entries(world, world.actor(who), [first, second, third])


@given("every entry of {who:persona}'s was made {age:duration} ago")
@given("every entry of {who:persona}'s and {other:persona}'s was made {age:duration} ago")
def step_every_entry_aged(context, who, age, other=None):
    world = context.world
    audit.move_every_entry(world, [world.actor(p) for p in (who, other) if p is not None], age)


@given("the portal is configured to keep audit entries for {days:count} days")
def step_retention_configured(context, days):
    use_portal_configured(context, audit_retention_days=days)


@given("{who:persona} has run the audit retention")
@when("{who:persona} runs the audit retention")
@when("{who:persona} runs the audit retention again")
def step_run_retention(context, who):
    world = context.world
    world.operations.task_run = tasks.run(world, sessions.ensure_signed_in(world, who), audit.RETENTION)


@then("the run reports {count:count} entry removed")
@then("the run reports {count:count} entries removed")
def step_run_removed(context, count):
    assert_that(context.world.operations.task_run, has_entries(outcome="succeeded", changed=count))


@then("{who:persona} finds {actor:persona}'s entries of {second:duration} and {third:duration} ago, and not the one of {first:duration} ago")
def step_finds_kept(context, who, actor, second, third, first):
    world = context.world
    kept = audit.times_of(world, sessions.ensure_signed_in(world, who), world.actor(actor))
    assert_that(kept, equal_to(world.operations.audit_times[1:]))


@then("{who:persona} finds all {count:count} of {actor:persona}'s entries, and none of {other:persona}'s")
def step_finds_all_none(context, who, count, actor, other):
    world = context.world
    reader = sessions.ensure_signed_in(world, who)
    assert_that(audit.times_of(world, reader, world.actor(actor)), has_length(count))
    assert_that(audit.times_of(world, reader, world.actor(other)), empty())


@then("the audit log records that the retention removed {count:count} entry, keeping entries for {days:count} days")
@then("the audit log records that the retention removed {count:count} entries, keeping entries for {days:count} days")
def step_retention_audited(context, count, days):
    world = context.world
    entries = audit.entries_on(audit.read_pages(world, sessions.ensure_signed_in(world, "Ada"),
                                                kind="audit.retention_applied"))
    assert_that(entries, has_item(has_entries(actor=has_entries(label="portal", person_id=None))))
    assert_that(entries[0]["details"], equal_to({"removed": count, "retention_days": days}))


@given('{who:persona} has put the project "{name:q}" under legal hold because "{reason:q}"')
def step_put_on_hold(context, who, name, reason):
    world = context.world
    actor = sessions.ensure_signed_in(world, who)
    world.work.project = world.work.projects[name]
    expect.answered(world, audit.attempt_hold(actor.client, world.work.project.id, reason), 200,
                    meaning=f"{who.name} to put the project under legal hold")


@given("{who:persona} has lifted the project's legal hold")
def step_lifted_hold(context, who):
    world = context.world
    expect.answered(world, audit.attempt_lift(world.actor(who).client, work.the_project(world).id), 204,
                    meaning=f"{who.name} to lift the legal hold")


@when("{who:persona} reads the project's legal hold")
def step_read_hold(context, who):
    world = context.world
    world.last_answer = audit.read_hold(world.actor(who).client, work.the_project(world).id)


@when("{who:persona} tries to {action:hold_attempt}")
def step_try_hold(context, who, action):
    world = context.world
    client = world.actor(who).client
    world.last_answer = action(client, work.the_project(world).id)
    world.operations.reference = action(client, audit.NEVER_ISSUED_ID)


@then('{who:persona} sees the project under legal hold because "{reason:q}"')
def step_sees_hold(context, who, reason):
    world = context.world
    answer = expect.answered(world, world.last_answer, 200, meaning="the project's legal hold")
    assert_that(answer.json(), has_entries(project_id=work.the_project(world).id, reason=reason))


@then("the portal answers {who:persona} exactly as about a project that never existed")
def step_as_if_no_project(context, who):
    world = context.world
    expect.answered(world, world.last_answer, 404, meaning=f"{who.name} to find no such project")
    expect.same_answer(world, world.last_answer, world.operations.reference)


@then("{who:persona} is told the project has no legal hold")
def step_told_no_hold(context, who):
    world = context.world
    expect.refused(world, world.last_answer, 404, "not_found", meaning=f"{who.name} to be told there is no legal hold")


@then("the audit log records the project's legal hold lifted once, by {who:persona}")
def step_hold_lifted_once(context, who):
    world = context.world
    entries = audit.entries_on(audit.read_pages(world, sessions.ensure_signed_in(world, "Ada"),
                                                kind="project.legal_hold_lifted"))
    assert_that(entries, contains_exactly(has_entries(actor=has_entries(person_id=world.actor(who).user_id),
                                                      details=has_entries(project_id=work.the_project(world).id))))


@then('the project "{name:q}" is not under legal hold')
def step_not_held(context, name):
    world = context.world
    ada = sessions.ensure_signed_in(world, "Ada")
    expect.answered(world, audit.read_hold(ada.client, world.work.projects[name].id), 404,
                    meaning="the project to have no legal hold")
