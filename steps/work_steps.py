"""Milestones and tasks: planning, doing, who may, versions, deleting and restoring, handovers,
reminders, digests, search and the recovery point."""

from behave import given, then, when
from hamcrest import (assert_that, contains_exactly, contains_string, empty, equal_to, has_entries, has_item,
                      has_length, is_not, matches_regexp, none, not_none)

from support.drivers import audit, email_delivery, projects, sessions, tasks, work
from support.harness.expect import answered, refused, same_answer


def _titles(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _signed_in(world, who):
    return sessions.ensure_signed_in(world, who)


# -- arranging ------------------------------------------------------------------------------------

@given('{org:organisation} has the project "{name:q}"')
def step_org_has_project(context, org, name):
    work.arrange_project(context.world, org, name)


@given('{org:organisation} has the project "{name:q}" with the milestone "{milestone:q}" and {who:persona}\'s task "{task:q}"')
def step_project_with_work(context, org, name, milestone, who, task):
    world = context.world
    project = work.arrange_project(world, org, name)
    work.arrange_milestone(world, project, milestone)
    work.arrange_task(world, project, task, assignee=world.account(who))


@given('{org:organisation} has the project "{name:q}" with the milestone "{milestone:q}"')
@given('{org:organisation} also has the project "{name:q}" with the milestone "{milestone:q}"')
def step_project_with_milestone(context, org, name, milestone):
    world = context.world
    # the scenario's project stays the one it started with, if it has one
    work.arrange_milestone(world, work.arrange_project(world, org, name, current=not world.work.has("project")), milestone)


@given('{org:organisation} has the project "{name:q}" with the milestones "{titles:q}"')
def step_project_with_milestones(context, org, name, titles):
    project = work.arrange_project(context.world, org, name)
    for title in _titles(titles):
        work.arrange_milestone(context.world, project, title)


@given('{org:organisation} has the project "{name:q}" with the cut "{cut:q}" and {who:persona}\'s task "{task:q}"')
def step_project_with_cut_and_task(context, org, name, cut, who, task):
    world = context.world
    project = work.arrange_project(world, org, name)
    work.add_cut_to(world, project, cut)
    work.arrange_task(world, project, task, assignee=world.account(who))


@given('the project has the milestones "{titles:q}"')
def step_has_milestones(context, titles):
    for title in _titles(titles):
        work.arrange_milestone(context.world, work.the_project(context.world), title)


@given('the project has the milestone "{title:q}"')
def step_has_milestone(context, title):
    work.arrange_milestone(context.world, work.the_project(context.world), title)


@given('the project has the milestone "{title:q}", in progress')
def step_has_milestone_in_progress(context, title):
    work.arrange_milestone(context.world, work.the_project(context.world), title, status="in_progress")


@given("the project has these tasks:")
def step_has_tasks(context):
    world = context.world
    for row in context.table:
        work.arrange_task(world, work.the_project(world), row["task"], assignee=world.account(row["assignee"]),
                          due_in_hours=float(row["due in hours"]), status=row["status"])


@given('{who:persona} has these tasks:')
def step_person_has_tasks(context, who):
    world = context.world
    for row in context.table:
        work.arrange_task(world, work.the_project(world), row["task"], assignee=world.account(who),
                          due_in_hours=float(row["due in hours"]), status=row["status"])


@given('{who:persona} has the task "{title:q}"')
def step_person_has_task(context, who, title):
    world = context.world
    work.arrange_task(world, work.the_project(world), title, assignee=world.account(who), due_in_hours=72)


@given('{who:persona} has the task "{title:q}", completed')
def step_person_has_done_task(context, who, title):
    world = context.world
    work.arrange_task(world, work.the_project(world), title, assignee=world.account(who), status="done")


@given('{who:persona} has the task "{title:q}", due {age:duration} ago')
def step_task_overdue(context, who, title, age):
    world = context.world
    work.arrange_task(world, work.the_project(world), title, assignee=world.account(who),
                      due_in_hours=-age.total_seconds() / 3600)


@given('{who:persona} has the task "{title:q}", due in {wait:duration}')
def step_task_due_in(context, who, title, wait):
    world = context.world
    work.arrange_task(world, work.the_project(world), title, assignee=world.account(who),
                      due_in_hours=wait.total_seconds() / 3600)


@given('{who:persona} has the task "{title:q}", due {age:duration} ago, completed before then')
def step_task_done_in_time(context, who, title, age):
    world = context.world
    work.arrange_task(world, work.the_project(world), title, assignee=world.account(who),
                      due_in_hours=-age.total_seconds() / 3600, status="done")


@given('the project also has the task "{title:q}"')
def step_project_also_has_task(context, title):
    world = context.world
    work.arrange_task(world, work.the_project(world), title, assignee=world.account("Theo"))


@given('the project also has the cut "{title:q}"')
def step_project_also_has_cut(context, title):
    work.add_cut_to(context.world, work.the_project(context.world), title)


@given('the milestone "{milestone:q}" also has the done task "{title:q}"')
def step_milestone_done_task(context, milestone, title):
    world = context.world
    work.arrange_task(world, work.the_project(world), title, assignee=world.account("Theo"),
                      milestone=work.the_milestone(world, milestone), status="done")


@given('the task "{title:q}" is under the milestone "{milestone:q}"')
def step_task_under(context, title, milestone):
    work.file_under(context.world, work.the_task(context.world, title), work.the_milestone(context.world, milestone))


# -- milestones -------------------------------------------------------------------------------------

@when('{who:persona} adds the milestone "{title:q}", due in {days:count} days')
def step_add_milestone(context, who, title, days):
    world = context.world
    world.last_answer = work.added_milestone(world, _signed_in(world, who), work.the_project(world), title, days)


@when('{who:persona} adds a milestone {problem:milestone_problem}')
def step_add_bad_milestone(context, who, problem):
    world = context.world
    world.last_answer = work.add_milestone_body(_signed_in(world, who).client, work.the_project(world).id,
                                                work.MILESTONE_PROBLEMS[problem])


@then('{who:persona} sees the milestones in the order "{titles:q}"')
def step_sees_order(context, who, titles):
    world = context.world
    assert_that(work.milestone_titles(world, _signed_in(world, who), work.the_project(world)),
                contains_exactly(*_titles(titles)))


@when('{who:persona} puts the milestones in the order "{titles:q}"')
def step_reorder(context, who, titles):
    world = context.world
    world.last_answer = work.reordered(world, _signed_in(world, who), [work.the_milestone(world, t) for t in _titles(titles)])


@when('{who:persona} tries to put the milestones in an order that {problem:order_problem}')
def step_bad_order(context, who, problem):
    world = context.world
    ids = [m.id for m in world.work.milestones.values()]
    world.last_answer = work.reorder(_signed_in(world, who).client, work.the_project(world).id,
                                     work.ORDER_PROBLEMS[problem](ids))


@when('{who:persona} completes the milestone "{title:q}"')
def step_complete_milestone(context, who, title):
    world = context.world
    world.last_answer = work.changed_milestone(world, _signed_in(world, who), work.the_milestone(world, title),
                                               status="done")


@then('{who:persona} sees the milestone "{title:q}" as {status}')
def step_sees_milestone_status(context, who, title, status):
    world = context.world
    seen = work.milestone_as_seen(world, _signed_in(world, who), work.milestone_now_called(world, title))
    assert_that(seen, has_entries(title=title, status=status.replace(" ", "_")))


@then("the project has no milestones")
def step_no_milestones(context):
    world = context.world
    assert_that(work.milestone_titles(world, _signed_in(world, "Theo"), work.the_project(world)), empty())


@then("the project has no tasks")
def step_no_tasks(context):
    world = context.world
    assert_that(work.tasks_as_listed(world, _signed_in(world, "Theo"), work.the_project(world)), empty())


@then('the portal refuses it, naming the field "{field:q}"')
def step_refused_field(context, field):
    work.expect_refusal(context.world, context.world.last_answer, field)


@then('the portal refuses it, naming the field "{field:q}", exactly as for a person who does not exist')
@then('the portal refuses it, naming the field "{field:q}", exactly as for a milestone that does not exist')
def step_refused_field_as_unknown(context, field):
    world = context.world
    work.expect_refusal(world, world.last_answer, field)
    same_answer(world, world.work.references[0], world.last_answer)


# -- tasks ------------------------------------------------------------------------------------------

@when('{who:persona} adds the task "{title:q}" for {assignee:persona} under "{milestone:q}", due in {days:count} days')
def step_add_task_under(context, who, title, assignee, milestone, days):
    world = context.world
    world.last_answer = work.added_task(world, _signed_in(world, who), title, assignee=world.account(assignee),
                                        milestone=work.the_milestone(world, milestone), due_in_days=days)


@when('{who:persona} adds the task "{title:q}" for {assignee:persona}, due in {days:count} days')
def step_add_task_for(context, who, title, assignee, days):
    world = context.world
    world.last_answer = work.added_task(world, _signed_in(world, who), title, assignee=world.account(assignee),
                                        due_in_days=days)


@when('{who:persona} tries to add the task "{title:q}" for {assignee:persona}')
def step_try_add_task_for(context, who, title, assignee):
    world = context.world
    world.last_answer = work.add_task(_signed_in(world, who).client, work.the_project(world).id, title,
                                      assignee_id=world.account(assignee).user_id)


@when('{who:persona} tries to give the task "{title:q}" to {assignee:persona}')
def step_try_give(context, who, title, assignee):
    world = context.world
    client, project = _signed_in(world, who).client, work.the_project(world)
    world.work.references = [work.add_task(client, project.id, title, assignee_id=work.NEVER_ISSUED_ID)]
    world.last_answer = work.add_task(client, project.id, title, assignee_id=world.account(assignee).user_id)


@when('{who:persona} tries to add the task "{title:q}" under "{milestone:q}" to "{name:q}"')
def step_try_add_under_foreign(context, who, title, milestone, name):
    world = context.world
    client, project = _signed_in(world, who).client, work.the_project(world, name)
    world.work.references = [work.add_task(client, project.id, title, milestone_id=work.NEVER_ISSUED_ID)]
    world.last_answer = work.add_task(client, project.id, title, milestone_id=work.the_milestone(world, milestone).id)


@then('the database refuses a task of "{name:q}" under "{milestone:q}" as well')
def step_database_refuses_pair(context, name, milestone):
    world = context.world
    refusal = work.database_refuses(world, "INSERT INTO project_tasks (project_id, milestone_id, title)"
                                           " VALUES (%(p)s, %(m)s, 'x')",
                                    {"p": work.the_project(world, name).id, "m": work.the_milestone(world, milestone).id})
    assert_that(refusal, not_none(), "the database stored a task under a milestone of another project")


@then('{who:persona} sees the task "{title:q}" under "{milestone:q}", assigned to {pronoun:pronoun} and open')
def step_sees_task_under(context, who, title, milestone, pronoun):
    world = context.world
    created = answered(world, world.last_answer, 201, meaning="the new task").json()
    seen = work.task_as_seen(world, _signed_in(world, who), work.Task(created["id"], created["project_id"], title))
    assert_that(seen, has_entries(title=title, milestone_id=work.the_milestone(world, milestone).id,
                                  assignee=who.name, status="open"))


@when("{who:persona} lists the project's tasks {filter}")
def step_list_tasks(context, who, filter):
    world = context.world
    world.last_answer = work.list_tasks(_signed_in(world, who).client, work.the_project(world).id,
                                        **work.task_filter(world, filter))


@then('{pronoun:subject} sees the tasks "{titles:q}", in that order')
def step_sees_tasks(context, pronoun, titles):
    world = context.world
    listed = answered(world, world.last_answer, 200, meaning="the task list").json()["tasks"]
    assert_that([t["title"] for t in listed], contains_exactly(*_titles(titles)))


@when("{who:persona} reopens the task")
def step_reopen(context, who):
    world = context.world
    actor, task = _signed_in(world, who), work.the_task(world)
    world.last_answer = answered(world, work.reopen_task(actor.client, task.id, work.etag_read_by(world, actor, task)),
                                 200, meaning=f"{who.name} to reopen the task")


@then('{who:persona} sees the task "{title:q}" open again')
def step_open_again(context, who, title):
    world = context.world
    assert_that(work.task_as_seen(world, _signed_in(world, who), work.the_task(world, title)),
                has_entries(status="open", completed_at=none()))


@when("{who:persona} passes the task to {other:persona}")
def step_pass_task(context, who, other):
    world = context.world
    actor, task = _signed_in(world, who), work.the_task(world)
    world.last_answer = answered(world, work.change_task(actor.client, task.id, work.etag_read_by(world, actor, task),
                                                         assignee_id=world.account(other).user_id),
                                 200, meaning=f"{who.name} to pass the task on")


@then('{who:persona} has the task "{title:q}"')
def step_has_task(context, who, title):
    world = context.world
    created = answered(world, world.last_answer, 201, meaning="the new task").json()
    assert_that(created, has_entries(title=title, assignee=who.name))


# -- who may do what ---------------------------------------------------------------------------------

@when("{who:persona} tries to {action:work_action}")
def step_try_action(context, who, action):
    world = context.world
    actor = world.actor(who)
    if action in work.OWN_PROJECT_ATTEMPTS:
        world.last_answer = work.attempt_from_own_project(world, action)
    else:
        world.last_answer = work.attempt(world, actor, action)


@then("the portal lets {who:persona} do it")
def step_lets_do(context, who):
    answered(context.world, context.world.last_answer, 200, 201, 204, meaning=f"{who.name} to be let do it")


@then("the portal answers {who:persona} as if the project did not exist")
def step_as_if_no_project(context, who):
    world = context.world
    answered(world, world.last_answer, 404, meaning="the answer for a project that does not exist")
    same_answer(world, world.work.references[0], world.last_answer)


@then("the portal refuses {who:persona} exactly as for something that does not exist")
def step_refused_as_nothing(context, who):
    world = context.world
    answered(world, world.last_answer, 404, 422, meaning="a refusal")
    same_answer(world, world.work.references[0], world.last_answer)


@then("Theo finds the project's work as it was")
def step_work_unchanged(context):
    world = context.world
    _signed_in(world, "Theo")
    milestones, tasks_seen = work.work_as_theo_sees_it(world)
    expected = [(t.title, "planned", 1) for t in world.work.milestones.values() if t.project_id == work.the_project(world).id]
    assert_that(milestones, equal_to(expected))
    assert_that(tasks_seen, equal_to([("Book the drone", "open", 1, "Theo")]))


# -- versions ---------------------------------------------------------------------------------------

@given("{who:persona} has read the task")
def step_read_task(context, who):
    world = context.world
    work.task_as_seen(world, _signed_in(world, who), work.the_task(world))


@given("{a:persona} and {b:persona} have both read the task")
def step_both_read_task(context, a, b):
    world = context.world
    for who in (a, b):
        work.task_as_seen(world, _signed_in(world, who), work.the_task(world))


@given('{a:persona} and {b:persona} have both read the milestone "{title:q}"')
def step_both_read_milestone(context, a, b, title):
    world = context.world
    for who in (a, b):
        work.read_milestone_etag(world, _signed_in(world, who), work.the_milestone(world, title))


@when('{who:persona} renames the task to "{title:q}"')
@given('{who:persona} has since renamed it to "{title:q}"')
def step_rename_task(context, who, title):
    world = context.world
    world.last_answer = work.renamed_task(world, _signed_in(world, who), work.the_task(world), title)


@when('{who:persona} renames the task {pronoun:subject} read to "{title:q}"')
def step_rename_read_task(context, who, pronoun, title):
    world = context.world
    actor, task = _signed_in(world, who), work.the_task(world)
    world.last_answer = work.change_task(actor.client, task.id, task.etags[actor.name], title=title)


@given('{who:persona} has since renamed the milestone to "{title:q}"')
def step_rename_milestone(context, who, title):
    world = context.world
    work.changed_milestone(world, _signed_in(world, who), work.the_milestone(world, "Shoot"), title=title)
    work.rename_known_milestone(world, "Shoot", title)


@when("{who:persona} completes the milestone {pronoun:subject} read")
def step_complete_read_milestone(context, who, pronoun):
    world = context.world
    actor = _signed_in(world, who)
    milestone = next(iter(world.work.milestones.values()))
    world.last_answer = work.change_milestone(actor.client, milestone.id, work.milestone_etags(world)[actor.name],
                                              status="done")


@then('{who:persona} sees the task "{title:q}", one version on')
def step_task_version_on(context, who, title):
    world = context.world
    assert_that(work.task_as_seen(world, _signed_in(world, who), work.the_task(world)),
                has_entries(title=title, version=2))


@then("{who:persona} is told the {what} has changed since {pronoun:subject} read it, and which version it is at now")
def step_told_stale(context, who, what, pronoun):
    work.expect_stale(context.world, context.world.last_answer, current=2)


@when('{who:persona} renames the task to "{title:q}", saying {pronoun:subject} read the version {tag}')
def step_rename_with_tag(context, who, title, pronoun, tag):
    world = context.world
    world.last_answer = work.change_task(_signed_in(world, who).client, work.the_task(world).id, tag, title=title)


@then("{who:persona} is told the task is not at the version {pronoun:subject} named, and that it is at version {current:count}")
def step_told_not_that_version(context, who, pronoun, current):
    work.expect_stale(context.world, context.world.last_answer, current=current)


@when("{who:persona} tries to {change:unversioned_change} without saying which version {pronoun:subject} read")
def step_unversioned(context, who, change, pronoun):
    world = context.world
    world.last_answer = work.UNVERSIONED[change](_signed_in(world, who).client, work.target(world))


@then("{who:persona} is told to say which version {pronoun:subject} read")
def step_told_version_required(context, who, pronoun):
    work.expect_version_required(context.world, context.world.last_answer)


@when("{a:persona} and {b:persona} rename the task at the same moment")
def step_race(context, a, b):
    world = context.world
    editors = [world.actor(a), world.actor(b)]
    world.work.answers = work.edit_task_together(world, editors, work.the_task(world),
                                                 [{"title": f"{e.name}'s title"} for e in editors])


@then("exactly one of them is told the task has changed since they read it")
def step_exactly_one(context):
    world = context.world
    statuses = sorted(a.status for a in world.work.answers)
    assert_that(statuses, equal_to([200, 412]), "of two changes to the same version, exactly one must stand: "
                + "; ".join(a.summary(world.secrets) for a in world.work.answers))


@then("the task carries the title of the one whose change stood, one version on")
def step_winner_stands(context):
    world = context.world
    winner = next(a for a in world.work.answers if a.status == 200).json()
    assert_that(work.task_as_seen(world, world.actor("Theo"), work.the_task(world)),
                has_entries(title=winner["title"], version=2))


# -- deleting and restoring -------------------------------------------------------------------------

@when("{who:persona} deletes the task")
def step_delete_task(context, who):
    world = context.world
    world.last_answer = work.deleted_task(world, _signed_in(world, who), work.the_task(world))


@then('{who:persona} no longer finds the task "{title:q}"')
def step_task_gone(context, who, title):
    world = context.world
    actor, task = _signed_in(world, who), work.the_task(world, title)
    answered(world, work.read_task(actor.client, task.id), 404, meaning="the deleted task not to be found")
    assert_that([t["title"] for t in work.tasks_as_listed(world, actor, work.the_project(world))], is_not(has_item(title)))


@then("the portal still keeps its record of the task, marked as deleted by {who:persona}")
def step_task_kept(context, who):
    world = context.world
    record = work.record_of(world, "task", work.the_task(world).id)
    assert_that(record, has_entries(deleted_at=not_none(), deleted_by=world.actor(who).user_id))
    assert_that(audit.entries(world, "task.deleted", world.actor(who)), has_length(1))


@when('{who:persona} deletes the milestone "{title:q}"')
def step_delete_milestone(context, who, title):
    world = context.world
    world.last_answer = work.deleted_milestone(world, _signed_in(world, who), work.the_milestone(world, title))


@then('{who:persona} finds the task "{kept:q}" and not "{gone:q}"')
def step_finds_task_not(context, who, kept, gone):
    world = context.world
    titles = [t["title"] for t in work.tasks_as_listed(world, _signed_in(world, who), work.the_project(world))]
    assert_that(titles, equal_to([kept]))


@then('{who:persona} no longer sees the milestone "{title:q}"')
def step_milestone_gone(context, who, title):
    world = context.world
    assert_that(work.milestone_titles(world, _signed_in(world, who), work.the_project(world)), is_not(has_item(title)))


@when("{who:persona} deletes the project")
def step_delete_project(context, who):
    world = context.world
    world.last_answer = answered(world, projects.attempt_delete_project(_signed_in(world, who).client, work.the_project(world).id),
                                 204, meaning=f"{who.name} to delete the project")


@then("{who:persona} finds neither the project nor its milestone, its task or its cut")
def step_nothing_left(context, who):
    world = context.world
    work.expect_all_gone(world, _signed_in(world, who))


@then("the audit log records that {who:persona} deleted the milestone, the task and the cut with the project")
def step_project_deletion_audited(context, who):
    world = context.world
    milestone, task, cut = next(iter(world.work.milestones.values())), work.the_task(world), world.projects.cut
    assert_that(audit.entries(world, "project.deleted", world.actor(who)), has_item(has_entries(details=has_entries(
        milestone_ids=[milestone.id], task_ids=[task.id], asset_ids=[cut.id]))))
    for kind, record_id in (("milestone", milestone.id), ("task", task.id)):
        assert_that(work.record_of(world, kind, record_id), has_entries(deleted_at=not_none(), deleted_with="project"))


@given('Theo deleted the task "{title:q}" before Bea deleted the project')
def step_deleted_before(context, title):
    world = context.world
    work.deleted_task(world, _signed_in(world, "Theo"), work.the_task(world, title))
    answered(world, projects.attempt_delete_project(_signed_in(world, "Bea").client, work.the_project(world).id), 204,
             meaning="Bea to delete the project")


@given("Bea deleted the project {age:duration} ago")
def step_deleted_ago(context, age):
    world = context.world
    answered(world, projects.attempt_delete_project(_signed_in(world, "Bea").client, work.the_project(world).id), 204,
             meaning="Bea to delete the project")
    work.move_deletion_back(world, work.the_project(world), age)


@when("{who:persona} restores the project")
def step_restore(context, who):
    world = context.world
    world.last_answer = answered(world, work.restore_project(_signed_in(world, who).client, work.the_project(world).id),
                                 200, meaning=f"{who.name} to restore the project")


@when("{who:persona} tries to restore the project")
def step_try_restore(context, who):
    world = context.world
    client = _signed_in(world, who).client if world.actor(who).persona.has_account else world.actor(who).client
    world.work.references = [work.restore_project(client, work.NEVER_ISSUED_ID)]
    world.last_answer = work.restore_project(client, work.the_project(world).id)


@then('{who:persona} finds the milestone "{milestone:q}" and the task "{task:q}" again, and not "{gone:q}"')
def step_found_again(context, who, milestone, task, gone):
    world = context.world
    actor = _signed_in(world, who)
    assert_that(work.milestone_titles(world, actor, work.the_project(world)), equal_to([milestone]))
    assert_that([t["title"] for t in work.tasks_as_listed(world, actor, work.the_project(world))], equal_to([task]))


@then("the audit log records that {who:persona} restored the project")
def step_restore_audited(context, who):
    world = context.world
    assert_that(audit.entries(world, "project.restored", world.actor(who)),
                has_item(has_entries(outcome="succeeded", details=has_entries(project_id=work.the_project(world).id))))


@then("Theo finds the project again")
def step_project_back(context):
    world = context.world
    answered(world, world.last_answer, 200, meaning="the project to be restored")
    answered(world, projects.read_project(_signed_in(world, "Theo").client, work.the_project(world).id), 200,
             meaning="Theo to find the restored project")


@then("Ada is told the project was deleted too long ago to restore")
def step_too_late(context):
    world = context.world
    refused(world, world.last_answer, 409, "restore_period_over", meaning="the refusal of a late restore")


@then("Theo still does not find the project")
def step_still_gone(context):
    world = context.world
    answered(world, projects.read_project(_signed_in(world, "Theo").client, work.the_project(world).id), 404,
             meaning="the deleted project to stay hidden")


# -- all or nothing ---------------------------------------------------------------------------------

@given("the outbox cannot take emails to {who:persona}")
def step_outbox_refuses(context, who):
    from behave import use_fixture

    from support.fixtures import outbox_refusing

    use_fixture(outbox_refusing, context, context.world.account(who).email)


@then("{who:persona} is told the assignment email could not be queued, and to try again")
def step_told_email_unavailable(context, who):
    world = context.world
    refused(world, world.last_answer, 503, "email_unavailable", meaning="the refusal when the email cannot be queued")
    assert_that(world.last_answer.header("retry-after"), not_none())


@when("a program writes {record:refused_record} straight to the database")
def step_write_directly(context, record):
    world = context.world
    other = work.arrange_project(world, work.organisation_of(world), "Other", current=False)
    sql, _ = work.REFUSED_RECORDS[record]
    milestone = next(iter(world.work.milestones.values()))
    world.work.refusal = work.database_refuses(world, sql, {"p": work.the_project(world).id, "other": other.id,
                                                            "m": milestone.id})


@then("the database refuses it")
def step_database_refused(context):
    assert_that(context.world.work.refusal, not_none(), "the database took a record its rules forbid")


# -- assignment and handover ------------------------------------------------------------------------

@then('{who:persona} receives a task assignment about "{title:q}"')
def step_assignment_email(context, who, title):
    world = context.world
    emails = work.emails_of_kind(world, world.actor(who), "task_assigned")
    assert_that(emails, has_length(1))
    assert_that(emails[0].text, contains_string(title))


@then('{who:persona}\'s {kind:email_kind} is kept in the outbox as "{status:q}"')
def step_outbox_status(context, who, kind, status):
    world = context.world
    world.wait_until_portal_idle()
    assert_that(work.outbox_status(world, world.actor(who), email_delivery.template_of(kind)), equal_to([status]))


@given('Theo has the open tasks "{titles:q}", due in that order')
def step_open_tasks(context, titles):
    world = context.world
    for hours, title in enumerate(_titles(titles), start=1):
        work.arrange_task(world, work.the_project(world), title, assignee=world.account("Theo"), due_in_hours=24 * hours)


@given('Theo has the done task "{title:q}"')
def step_done_task(context, title):
    world = context.world
    work.arrange_task(world, work.the_project(world), title, assignee=world.account("Theo"), status="done")


@given("Pia has 1 open task of her own, and Otto has none")
def step_loads(context):
    world = context.world
    pia = world.account("Pia")
    world.account("Otto")
    work.arrange_task(world, work.the_project(world), "Pia's own task", assignee=pia, due_in_hours=500)


@given("Otto has been at the portal longer than Pia")
def step_otto_first(context):
    world = context.world
    world.account("Otto")
    world.account("Pia")


@given("Sam, Brightside's other producer, is suspended")
def step_sam_suspended(context):
    context.world.account("Sam")


@then("the tasks were handed over like this:")
def step_handed_over(context):
    world = context.world
    for row in context.table:
        assert_that(work.assignee_of(world, work.the_task(world, row["task"])), equal_to(row["to"]),
                    f"the task {row['task']!r} went to someone else")


@then('{who:persona} receives one handover email listing "{titles:q}"')
def step_handover_email(context, who, titles):
    work.expect_one_listing(context.world, context.world.actor(who), "tasks_handed_over", _titles(titles))


@then('{who:persona} receives one email listing "{titles:q}" as needing a new owner')
def step_unassigned_email(context, who, titles):
    work.expect_one_listing(context.world, context.world.actor(who), "tasks_unassigned", _titles(titles))


@then('the task "{title:q}" stays with Theo')
def step_stays(context, title):
    assert_that(work.assignee_of(context.world, work.the_task(context.world, title)), equal_to("Theo"))


@then('the tasks "{titles:q}" have no assignee')
def step_unassigned(context, titles):
    for title in _titles(titles):
        assert_that(work.assignee_of(context.world, work.the_task(context.world, title)), none())


@then("the audit log records the {count:count} handovers")
def step_handovers_audited(context, count):
    world = context.world
    entries = audit.entries(world, "task.handed_over", world.actor("Bea"))
    assert_that(entries, has_length(count))
    for entry in entries:
        assert_that(entry, has_entries(reason="suspended", details=has_entries(from_user_id=world.actor("Theo").user_id)))


# -- reminders and digests --------------------------------------------------------------------------

@when("{who:persona} runs the overdue reminders")
def step_run_overdue(context, who):
    tasks.run(context.world, _signed_in(context.world, who), work.OVERDUE_REMINDERS)


@when("{who:persona} runs the overdue reminders twice")
def step_run_overdue_twice(context, who):
    for _ in range(2):
        tasks.run(context.world, _signed_in(context.world, who), work.OVERDUE_REMINDERS)


@then('{who:persona} receives {count:count} overdue reminder about "{title:q}"')
@then('{who:persona} receives {count:count} overdue reminders about "{title:q}"')
def step_overdue_count(context, who, count, title):
    world = context.world
    emails = work.emails_of_kind(world, world.actor(who), "task_overdue")
    assert_that(emails, has_length(count))
    for email in emails:
        assert_that(email.text, contains_string(title))


@given('Theo has been reminded that his task "{title:q}" is overdue')
def step_reminded(context, title):
    world = context.world
    work.arrange_task(world, work.the_project(world), title, assignee=world.account("Theo"), due_in_hours=-1)
    tasks.run(world, _signed_in(world, "Ada"), work.OVERDUE_REMINDERS)


@given("its due time has since been moved, and has passed again")
def step_due_moved(context):
    work.move_due(context.world, work.the_task(context.world), -0.5)


@when("{who:persona} runs the daily digest")
def step_run_digest(context, who):
    tasks.run(context.world, _signed_in(context.world, who), work.DAILY_DIGEST)


@when("{who:persona} runs the daily digest {count:count} times")
def step_run_digest_times(context, who, count):
    for _ in range(count):
        tasks.run(context.world, _signed_in(context.world, who), work.DAILY_DIGEST)


@then('{who:persona} receives one digest listing "{titles:q}"')
def step_digest_listing(context, who, titles):
    work.expect_one_listing(context.world, context.world.actor(who), "task_digest", _titles(titles))


@then("{who:persona} receives {count:count} digest")
def step_digest_count(context, who, count):
    world = context.world
    assert_that(work.emails_of_kind(world, world.actor(who), "task_digest"), has_length(count))


@given("Theo received his digest {when}, the studio's day")
def step_digest_earlier(context, when):
    world = context.world
    work.record_digest(world, world.account("Theo"), days_ago={"yesterday": 1, "earlier today": 0}[when])


@given("Theo has switched his digest {state:on_off}")
@when("Theo switches his digest {state:on_off}")
def step_switch_digest(context, state):
    world = context.world
    answered(world, work.set_digest(_signed_in(world, "Theo").client, state), 200, meaning="Theo's digest setting")


@then("Theo's settings show his digest {state:on_off}")
def step_digest_setting_shows(context, state):
    world = context.world
    shown = answered(world, work.digest_setting(_signed_in(world, "Theo").client), 200, meaning="Theo's digest setting")
    assert_that(shown.json()["enabled"], equal_to(state), "the digest setting Theo's settings show")


@then("the next run of the daily digest brings Theo {count:count} digest")
def step_next_digest(context, count):
    world = context.world
    tasks.run(world, _signed_in(world, "Ada"), work.DAILY_DIGEST)
    assert_that(work.emails_of_kind(world, world.actor("Theo"), "task_digest"), has_length(count))


# -- search -----------------------------------------------------------------------------------------

@when('{who:persona} looks for "{words:q}"')
def step_look_for(context, who, words):
    world = context.world
    world.last_answer = work.search(_signed_in(world, who).client, words)


@then("{who:persona} finds exactly {found}")
def step_finds_exactly(context, who, found):
    world = context.world
    results = answered(world, world.last_answer, 200, meaning="the search results").json()["results"]
    assert_that(sorted((r["kind"], r["title"]) for r in results), equal_to(sorted(work.things(found))))


@then('looking for "{words:q}" finds Theo nothing')
def step_finds_nothing(context, words):
    world = context.world
    assert_that(work.found_titles(world, _signed_in(world, "Theo"), words), empty())


@given('Bea has renamed the project to "{name:q}"')
def step_renamed_project(context, name):
    world = context.world
    answered(world, work.change_project(_signed_in(world, "Bea").client, work.the_project(world).id, name=name), 200,
             meaning="Bea to rename the project")


@given('Pia has just added the task "{title:q}"')
def step_pia_added(context, title):
    world = context.world
    work.added_task(world, _signed_in(world, "Pia"), title)


@given("Theo has deleted {what}")
def step_theo_deleted(context, what):
    work.delete_thing(context.world, _signed_in(context.world, "Theo"), what)


# -- the recovery point -----------------------------------------------------------------------------

@when('{who:persona} starts the project "{name:q}"')
def step_start_project(context, who, name):
    world = context.world
    world.last_answer = answered(world, projects.attempt_create_project(_signed_in(world, who).client, name), 201,
                                 meaning="the new project")
    created = world.last_answer.json()
    world.work.project = work.Project(created["id"], name, created["organisation"])


@when("Bea sets the project's recovery point objective to {hours:d} hours")
def step_set_objective(context, hours):
    world = context.world
    world.last_answer = answered(world, work.change_project(_signed_in(world, "Bea").client, work.the_project(world).id,
                                                           recovery_point_hours=hours), 200, meaning="the new objective")


@when("Bea tries to set the project's recovery point objective to {hours:d} hours")
def step_try_set_objective(context, hours):
    world = context.world
    world.last_answer = work.change_project(_signed_in(world, "Bea").client, work.the_project(world).id,
                                            recovery_point_hours=hours)


@then('{who:persona} sees the project\'s recovery point objective as {hours:d} hours, with "no backup recorded"')
def step_sees_objective(context, who, hours):
    world = context.world
    seen = answered(world, projects.read_project(_signed_in(world, who).client, work.the_project(world).id), 200,
                    meaning="the project").json()
    assert_that(seen["recovery_point"], equal_to({"objective_hours": hours, "status": "no_backup_recorded",
                                                  "last_backup_at": None}))


# -- changes that keep meeting other changes (service_busy) ------------------------------------------

@given("the next {count:count} tries to change the project meet other changes in the database")
def step_changes_conflict(context, count):
    """The next COUNT changes to the project or its milestones fail as a deadlock does (triggers,
    removed after the scenario)."""
    from behave import use_fixture

    from support.fixtures import changes_conflicting

    use_fixture(changes_conflicting, context, ("projects", "milestones"), count)


@when("{who:persona} tries to delete the project")
def step_try_delete_project(context, who):
    """The person asks to delete the scenario's project; the answer is kept, whatever it is."""
    world = context.world
    world.last_answer = projects.attempt_delete_project(_signed_in(world, who).client, work.the_project(world).id)


@when('{who:persona} tries to delete the milestone "{title:q}"')
def step_try_delete_milestone(context, who, title):
    """The person asks to delete the milestone, with the version they read; the answer is kept, whatever it is."""
    world = context.world
    actor, milestone = _signed_in(world, who), work.the_milestone(world, title)
    world.last_answer = work.delete_milestone(actor.client, milestone.id, work.read_milestone_etag(world, actor, milestone))


@when('{who:persona} tries to put the milestones in the order "{titles:q}"')
def step_try_reorder(context, who, titles):
    """The person asks for a new order of the milestones; the answer is kept, whatever it is."""
    world = context.world
    world.last_answer = work.reorder(_signed_in(world, who).client, work.the_project(world).id,
                                     [work.the_milestone(world, t).id for t in _titles(titles)])


@then("{who:persona} is told the portal is busy, and to try again in a moment")
def step_told_busy(context, who):
    """The answer is 503 service_busy with a Retry-After in seconds."""
    world = context.world
    answer = answered(world, world.last_answer, 503, meaning="the refusal of a change that kept meeting others")
    assert_that(answer.json()["error"], has_entries(code="service_busy"))
    assert_that(answer.header("retry-after") or "", matches_regexp(r"^[1-9][0-9]*$"), "a Retry-After in seconds")


@then("the project is deleted")
def step_project_deleted(context):
    """The deletion was answered 204 and the project is gone for Theo."""
    world = context.world
    answered(world, world.last_answer, 204, meaning="the deletion to go through")
    answered(world, projects.read_project(_signed_in(world, "Theo").client, work.the_project(world).id), 404,
             meaning="the deleted project, as Theo looks for it")
