"""The work driver: projects' milestones and tasks, as the people who run them use the portal,
plus arranging them in the database (Given steps), reminders, digests and search.

Every change names the version it read (If-Match with the ETag a read returned); `attempt_`
calls record the answer and never fail, the others expect success and fail loudly.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from support.data import factories
from support.data.personas import Organisation
from support.evidence import attachments
from support.harness.concurrency import all_at_once
from support.harness.expect import answered
from support.harness.http import Exchange, PortalClient

NEVER_ISSUED_ID = 2**62  # a well-formed id no project, milestone, task or person of a run ever has
OVERDUE_REMINDERS = "tasks.overdue-reminders"
DAILY_DIGEST = "tasks.daily-digest"


@dataclass
class Project:
    id: int
    name: str
    organisation: str


@dataclass
class Milestone:
    id: int
    project_id: int
    title: str


@dataclass
class Task:
    id: int
    project_id: int
    title: str
    etags: dict[str, str] = field(default_factory=dict)  # the ETag each person last read, by name


# -- arranging (Given steps) ----------------------------------------------------------------------

def arrange_project(world, org: Organisation, name: str, current: bool = True) -> Project:
    """A project of the organisation; `current`: the one the scenario's steps speak of from now on."""
    tenant_id, project_id = factories.create_project(world.db, world.tenant_written(org), org, world.suffix, name)
    world.tenant_is(org, tenant_id)
    project = Project(project_id, name, org.name)
    world.work.projects[name] = project
    if current:
        world.work.project = project
    return project


def organisation_of(world):
    from support.data.personas import organisation

    return organisation(the_project(world).organisation)


def add_cut_to(world, project: Project, title: str):
    """A processed cut in the project, known to the scenario as its cut (for the sharing steps)."""
    from support.drivers.projects import Cut

    row = factories.create_asset(world.db, project.id, title, 1)
    cut = Cut(**row, organisation=project.organisation)
    world.projects.cuts[title] = cut
    world.projects.cut = cut
    return cut


def file_under(world, task: "Task", milestone: "Milestone") -> None:
    world.db.execute("UPDATE project_tasks SET milestone_id = %s WHERE id = %s", (milestone.id, task.id))


def move_deletion_back(world, project: "Project", age) -> None:
    """The project and what was deleted with it were deleted `age` ago (to the database's clock)."""
    for table in ("projects", "milestones", "project_tasks", "assets"):
        column = "id" if table == "projects" else "project_id"
        world.db.execute(f"UPDATE {table} SET deleted_at = deleted_at - make_interval(secs => %s)"
                         f" WHERE {column} = %s AND deleted_at IS NOT NULL", (age.total_seconds(), project.id))


def record_digest(world, actor, days_ago: int) -> None:
    """A digest sent to the person `days_ago` studio days ago (the studio's day, as the portal counts it)."""
    world.db.execute(
        "INSERT INTO task_digests (user_id, day, tasks)"
        " VALUES (%s, (now() AT TIME ZONE %s)::date - %s, 1)",
        (actor.user_id, studio_time_zone(world), days_ago))


def studio_time_zone(world) -> str:
    """The studio's time zone as the portal under test has it (live mode: the portal's default)."""
    from portal.config import Settings

    portal = getattr(world.run, "portal", None)
    return portal.settings.time_zone if portal is not None else Settings.time_zone


def arrange_milestone(world, project: Project, title: str, status: str = "planned",
                      due_in_days: int | None = None) -> Milestone:
    row = factories.create_milestone(world.db, project.id, title, status=status, due_in_days=due_in_days)
    milestone = Milestone(row["id"], project.id, title)
    world.work.milestones[title] = milestone
    return milestone


def arrange_task(world, project: Project, title: str, *, assignee=None, milestone: Milestone | None = None,
                 due_in_hours: float | None = None, status: str = "open") -> Task:
    row = factories.create_task(world.db, project.id, title, assignee_id=assignee.user_id if assignee else None,
                                milestone_id=milestone.id if milestone else None, due_in_hours=due_in_hours,
                                status=status)
    task = Task(row["id"], project.id, title)
    world.work.tasks[title] = task
    world.work.task = task
    return task


def the_project(world, name: str | None = None) -> Project:
    return world.work.project if name is None else _named(world.work.projects, name, "project")


def the_milestone(world, title: str) -> Milestone:
    return _named(world.work.milestones, title, "milestone")


def the_task(world, title: str | None = None) -> Task:
    return world.work.task if title is None else _named(world.work.tasks, title, "task")


def _named(known: dict, name: str, what: str):
    if name not in known:
        raise AssertionError(f"no {what} called {name!r} in this scenario (known: {', '.join(known) or 'none'})")
    return known[name]


def move_due(world, task: Task, hours_from_now: float) -> None:
    """Set the task's due time relative to the database's clock (a Given moving it in time)."""
    world.db.execute("UPDATE project_tasks SET due_at = now() + make_interval(secs => %s) WHERE id = %s",
                     (hours_from_now * 3600, task.id))


# -- the API --------------------------------------------------------------------------------------

def _if_match(etag: str | None) -> dict:
    return {"If-Match": etag} if etag is not None else {}


def list_milestones(client: PortalClient, project_id: int) -> Exchange:
    return client.get(f"/projects/{project_id}/milestones")


def add_milestone(client: PortalClient, project_id: int, title: str, **fields) -> Exchange:
    return client.post(f"/projects/{project_id}/milestones", json={"title": title, **fields})


def read_milestone(client: PortalClient, milestone_id: int) -> Exchange:
    return client.get(f"/milestones/{milestone_id}")


def change_milestone(client: PortalClient, milestone_id: int, etag: str | None, **changes) -> Exchange:
    return client.request("PATCH", f"/milestones/{milestone_id}", json=changes, headers=_if_match(etag))


def delete_milestone(client: PortalClient, milestone_id: int, etag: str | None) -> Exchange:
    return client.request("DELETE", f"/milestones/{milestone_id}", headers=_if_match(etag))


def reorder(client: PortalClient, project_id: int, ids: list[int]) -> Exchange:
    return client.request("PUT", f"/projects/{project_id}/milestones/order", json={"milestone_ids": ids})


def add_task(client: PortalClient, project_id: int, title: str, **fields) -> Exchange:
    return client.post(f"/projects/{project_id}/tasks", json={"title": title, **fields})


def list_tasks(client: PortalClient, project_id: int, **filters) -> Exchange:
    return client.get(f"/projects/{project_id}/tasks", params={k: v for k, v in filters.items() if v is not None})


def read_task(client: PortalClient, task_id: int) -> Exchange:
    return client.get(f"/tasks/{task_id}")


def change_task(client: PortalClient, task_id: int, etag: str | None, **changes) -> Exchange:
    return client.request("PATCH", f"/tasks/{task_id}", json=changes, headers=_if_match(etag))


def complete_task(client: PortalClient, task_id: int, etag: str | None) -> Exchange:
    return client.post(f"/tasks/{task_id}/completion", headers=_if_match(etag))


def reopen_task(client: PortalClient, task_id: int, etag: str | None) -> Exchange:
    return client.request("DELETE", f"/tasks/{task_id}/completion", headers=_if_match(etag))


def delete_task(client: PortalClient, task_id: int, etag: str | None) -> Exchange:
    return client.request("DELETE", f"/tasks/{task_id}", headers=_if_match(etag))


def search(client: PortalClient, words: str) -> Exchange:
    return client.get("/search", params={"q": words})


def set_digest(client: PortalClient, enabled: bool) -> Exchange:
    return client.request("PUT", "/me/task-digest", json={"enabled": enabled})


def digest_setting(client: PortalClient) -> Exchange:
    return client.get("/me/task-digest")


def restore_project(client: PortalClient, project_id: int) -> Exchange:
    return client.post(f"/projects/{project_id}/restoration")


def change_project(client: PortalClient, project_id: int, **changes) -> Exchange:
    return client.request("PATCH", f"/projects/{project_id}", json=changes)


def suspend(client: PortalClient, person_id: int) -> Exchange:
    return client.post(f"/people/{person_id}/suspension")


# -- doing things, expecting success ------------------------------------------------------------------

def added_milestone(world, actor, project: Project, title: str, due_in_days: int) -> Exchange:
    from datetime import timedelta

    from support.harness.clock import database_now

    due = (database_now(world) + timedelta(days=due_in_days)).date().isoformat()
    answer = answered(world, add_milestone(actor.client, project.id, title, due_on=due), 201,
                      meaning=f"{actor.name} to add a milestone")
    created = answer.json()
    world.work.milestones[title] = Milestone(created["id"], project.id, title)
    return answer


def add_milestone_body(client: PortalClient, project_id: int, body: dict) -> Exchange:
    return client.post(f"/projects/{project_id}/milestones", json=body)


def reordered(world, actor, milestones: list[Milestone]) -> Exchange:
    return answered(world, reorder(actor.client, milestones[0].project_id, [m.id for m in milestones]), 200,
                    meaning=f"{actor.name} to reorder the milestones")


def read_milestone_etag(world, actor, milestone: Milestone) -> str:
    answer = answered(world, read_milestone(actor.client, milestone.id), 200, meaning=f"{actor.name} to read the milestone")
    milestone_etags(world)[actor.name] = answer.header("etag")
    return answer.header("etag")


def milestone_etags(world) -> dict:
    return world.work.milestone_etags


def changed_milestone(world, actor, milestone: Milestone, **changes) -> Exchange:
    etag = read_milestone_etag(world, actor, milestone)
    return answered(world, change_milestone(actor.client, milestone.id, etag, **changes), 200,
                    meaning=f"{actor.name} to change the milestone")


def rename_known_milestone(world, old: str, new: str) -> None:
    world.work.milestones[new] = world.work.milestones[old]


def milestone_now_called(world, title: str) -> Milestone:
    return the_milestone(world, title)


def added_task(world, actor, title: str, *, assignee=None, milestone: Milestone | None = None,
               due_in_days: int | None = None) -> Exchange:
    from datetime import timedelta

    from support.harness.clock import database_now

    fields = {}
    if assignee is not None:
        fields["assignee_id"] = assignee.user_id
    if milestone is not None:
        fields["milestone_id"] = milestone.id
    if due_in_days is not None:
        fields["due_at"] = (database_now(world) + timedelta(days=due_in_days)).isoformat()
    project = the_project(world)
    answer = answered(world, add_task(actor.client, project.id, title, **fields), 201, meaning=f"{actor.name} to add a task")
    created = answer.json()
    world.work.tasks[title] = Task(created["id"], project.id, title)
    return answer


def renamed_task(world, actor, task: Task, title: str) -> Exchange:
    return answered(world, change_task(actor.client, task.id, etag_read_by(world, actor, task), title=title), 200,
                    meaning=f"{actor.name} to rename the task")


def deleted_task(world, actor, task: Task) -> Exchange:
    return answered(world, delete_task(actor.client, task.id, etag_read_by(world, actor, task)), 204,
                    meaning=f"{actor.name} to delete the task")


def deleted_milestone(world, actor, milestone: Milestone) -> Exchange:
    return answered(world, delete_milestone(actor.client, milestone.id, read_milestone_etag(world, actor, milestone)),
                    204, meaning=f"{actor.name} to delete the milestone")


def delete_thing(world, actor, what: str) -> None:
    """"the task "X"", "the cut "X"" or "the project", deleted by the person (expecting success)."""
    from support.drivers import projects

    if what == "the project":
        answered(world, projects.attempt_delete_project(actor.client, the_project(world).id), 204, meaning="the deletion")
    elif what.startswith("the task "):
        deleted_task(world, actor, the_task(world, what.removeprefix("the task ").strip('"')))
    else:
        cut = projects.the_cut(world, what.removeprefix("the cut ").strip('"'))
        answered(world, projects.attempt_delete_cut(actor.client, cut.id), 204, meaning="the deletion")


def task_filter(world, phrase: str) -> dict:
    """How a person says which tasks they want, as the list's filters."""
    from datetime import timedelta

    from support.harness.clock import database_now

    if phrase == "all":
        return {}
    if phrase.startswith("assigned to "):
        return {"assignee": world.account(phrase.removeprefix("assigned to ")).user_id}
    if phrase.startswith("that are "):
        return {"status": phrase.removeprefix("that are ")}
    days = int(phrase.removeprefix("due within ").removesuffix(" days"))
    return {"due_before": (database_now(world) + timedelta(days=days)).isoformat()}


_THING = __import__("re").compile(r'the (project|cut|task) "([^"]+)"')


def things(phrase: str) -> list[tuple[str, str]]:
    """'the project "A", the cut "B" and the task "C"' (or "nothing") as (kind, title) pairs."""
    return [] if phrase == "nothing" else _THING.findall(phrase)


def assignee_of(world, task: Task) -> str | None:
    row = world.db.execute("SELECT u.name FROM project_tasks w LEFT JOIN users u ON u.id = w.assignee_id"
                           " WHERE w.id = %s", (task.id,)).fetchone()
    attachments.attach_rows(world, f"Who has the task {task.title!r}", "assignee of project_tasks", [row])
    return row["name"]


# -- what the portal answered --------------------------------------------------------------------------

def expect_refusal(world, exchange: Exchange, field: str) -> None:
    answered(world, exchange, 422, meaning=f"a refusal naming {field}")
    fields = exchange.json()["error"].get("fields") or {}
    if field not in fields:
        raise AssertionError(f"the refusal does not name the field {field!r}: {exchange.summary(world.secrets)}")


def expect_stale(world, exchange: Exchange, current: int) -> None:
    answered(world, exchange, 412, meaning="the refusal of a change to an older version")
    error = exchange.json()["error"]
    if error["code"] != "version_mismatch" or exchange.header("etag") != f'"{current}"':
        raise AssertionError(f"expected version_mismatch with the current version \"{current}\" in the ETag, "
                             f"but {exchange.summary(world.secrets)}")


def expect_version_required(world, exchange: Exchange) -> None:
    answered(world, exchange, 428, meaning="to be asked which version the change was made to")
    if exchange.json()["error"]["code"] != "precondition_required":
        raise AssertionError(f"expected precondition_required, but {exchange.summary(world.secrets)}")


def expect_all_gone(world, actor) -> None:
    from support.drivers import projects

    project, milestone, task = the_project(world), next(iter(world.work.milestones.values())), the_task(world)
    for what, exchange in (("project", projects.read_project(actor.client, project.id)),
                           ("milestones", list_milestones(actor.client, project.id)),
                           ("milestone", read_milestone(actor.client, milestone.id)),
                           ("task", read_task(actor.client, task.id)),
                           ("cut", projects.read_cut(actor.client, world.projects.cut.id))):
        answered(world, exchange, 404, meaning=f"the deleted project's {what} not to be found")


def expect_one_listing(world, actor, template: str, titles: list[str]) -> None:
    """One email of the kind to the person, listing exactly these task titles in this order."""
    emails = emails_of_kind(world, actor, template)
    if len(emails) != 1:
        raise AssertionError(f"{actor.name} received {len(emails)} email(s) of the kind {template}, not one")
    listed = [line[2:].split(" (")[0] for line in emails[0].text.splitlines() if line.startswith("- ")]
    if listed != titles:
        raise AssertionError(f"the email to {actor.name} lists {listed}, not {titles}")


# -- what people see --------------------------------------------------------------------------------

def milestone_titles(world, actor, project: Project) -> list[str]:
    answer = answered(world, list_milestones(actor.client, project.id), 200, meaning=f"{actor.name} to see the milestones")
    return [m["title"] for m in answer.json()["milestones"]]


def milestone_as_seen(world, actor, milestone: Milestone) -> dict:
    answer = answered(world, read_milestone(actor.client, milestone.id), 200, meaning=f"{actor.name} to see the milestone")
    return answer.json()


def task_as_seen(world, actor, task: Task) -> dict:
    """The task as the person reads it now; the ETag they read is remembered for their next change."""
    answer = answered(world, read_task(actor.client, task.id), 200, meaning=f"{actor.name} to see the task")
    task.etags[actor.name] = answer.header("etag")
    return answer.json()


def tasks_as_listed(world, actor, project: Project, **filters) -> list[dict]:
    answer = answered(world, list_tasks(actor.client, project.id, **filters), 200, meaning=f"{actor.name}'s task list")
    return answer.json()["tasks"]


def etag_read_by(world, actor, task: Task) -> str:
    if actor.name not in task.etags:
        task_as_seen(world, actor, task)
    return task.etags[actor.name]


def edit_task_together(world, editors: list, task: Task, changes: list[dict]) -> list[Exchange]:
    """Each editor sends their change to the task at the same moment, each with the version they read."""
    calls = [lambda a=actor, c=change: change_task(a.client, task.id, etag_read_by(world, a, task), **c)
             for actor, change in zip(editors, changes)]
    return all_at_once(calls)


def found_titles(world, actor, words: str) -> list[tuple[str, str]]:
    answer = answered(world, search(actor.client, words), 200, meaning=f"{actor.name}'s search")
    return [(r["kind"], r["title"]) for r in answer.json()["results"]]


# -- records only the database shows (Then steps about the audit and what is kept) -------------------

_KEPT = {"task": "SELECT id, title, deleted_at, deleted_by, deleted_with FROM project_tasks WHERE id = %s",
         "milestone": "SELECT id, title, deleted_at, deleted_by, deleted_with FROM milestones WHERE id = %s"}


def record_of(world, kind: str, record_id: int) -> dict | None:
    row = world.db.execute(_KEPT[kind], (record_id,)).fetchone()
    attachments.attach_rows(world, f"The portal's record of the {kind}", _KEPT[kind], [row] if row else [])
    return row


def emails_of_kind(world, actor, template: str) -> list:
    """Emails of one kind the provider received for the person, once the portal has sent all it will."""
    world.wait_until_portal_idle()
    emails = [e for e in world.run.resend.emails_to(actor.email)
              if {"name": "template", "value": template} in e.tags]
    for email in emails:
        attachments.attach_email(world, email)
    return emails


def outbox_status(world, actor, template: str) -> list[str]:
    rows = world.db.execute("SELECT status FROM emails WHERE lower(recipient) = lower(%s) AND template = %s"
                            " ORDER BY id", (actor.email, template)).fetchall()
    return [r["status"] for r in rows]


# -- who may do what: every action on a project's work, as a person tries it -------------------------

@dataclass(frozen=True)
class Target:
    """The ids an action reaches for: the real ones, or ids that never existed (for comparison)."""
    project_id: int
    milestone_id: int
    task_id: int


GHOST = Target(NEVER_ISSUED_ID, NEVER_ISSUED_ID, NEVER_ISSUED_ID)
FIRST_VERSION = '"1"'  # what every arranged record's ETag is until someone changes it

ATTEMPTS = {
    "see the milestones": lambda c, t: list_milestones(c, t.project_id),
    "add a milestone": lambda c, t: add_milestone(c, t.project_id, "Grade"),
    "rename the milestone": lambda c, t: change_milestone(c, t.milestone_id, FIRST_VERSION, title="Shoot day"),
    "reorder the milestones": lambda c, t: reorder(c, t.project_id, [t.milestone_id]),
    "delete the milestone": lambda c, t: delete_milestone(c, t.milestone_id, FIRST_VERSION),
    "see the tasks": lambda c, t: list_tasks(c, t.project_id),
    "add a task": lambda c, t: add_task(c, t.project_id, "Order the tapes"),
    "change the task": lambda c, t: change_task(c, t.task_id, FIRST_VERSION, title="Book a helicopter"),
    "complete the task": lambda c, t: complete_task(c, t.task_id, FIRST_VERSION),
    "delete the task": lambda c, t: delete_task(c, t.task_id, FIRST_VERSION),
}

# the same changes without saying which version they were made to
UNVERSIONED = {
    "change the task": lambda c, t: change_task(c, t.task_id, None, title="Book a helicopter"),
    "complete the task": lambda c, t: complete_task(c, t.task_id, None),
    "delete the task": lambda c, t: delete_task(c, t.task_id, None),
    "rename the milestone": lambda c, t: change_milestone(c, t.milestone_id, None, title="Shoot day"),
    "delete the milestone": lambda c, t: delete_milestone(c, t.milestone_id, None),
}


def target(world) -> Target:
    return Target(the_project(world).id, the_milestone(world, "Shoot").id, the_task(world, "Book the drone").id)


def attempt(world, actor, action: str) -> Exchange:
    """The action on the scenario's project, and the same on ids that never existed (kept to compare)."""
    world.work.references = [ATTEMPTS[action](actor.client, GHOST)]
    return ATTEMPTS[action](actor.client, target(world))


# reaching for Brightside's work from inside one's own project: (the real ask, the same ask about nothing)
def _own_project_attempts(world, own: Project, own_milestone: Milestone):
    shoot, task = the_milestone(world, "Shoot"), the_task(world, "Book the drone")
    theo = world.actor("Theo")
    return {
        "file a task of her project under Brightside's milestone": lambda i: add_task(
            world.actor("Mallory").client, own.id, "Night grade", milestone_id=i),
        "give a task of her project to Theo": lambda i: add_task(
            world.actor("Mallory").client, own.id, "Night grade", assignee_id=i),
        "put Brightside's milestone in her project's order": lambda i: reorder(
            world.actor("Mallory").client, own.id, [own_milestone.id, i]),
        "move Brightside's task under her project's milestone": lambda i: change_task(
            world.actor("Mallory").client, i, FIRST_VERSION, milestone_id=own_milestone.id),
    }, {"file a task of her project under Brightside's milestone": shoot.id,
        "give a task of her project to Theo": theo.user_id,
        "put Brightside's milestone in her project's order": shoot.id,
        "move Brightside's task under her project's milestone": task.id}


OWN_PROJECT_ATTEMPTS = ("file a task of her project under Brightside's milestone", "give a task of her project to Theo",
                        "put Brightside's milestone in her project's order",
                        "move Brightside's task under her project's milestone")


def attempt_from_own_project(world, action: str) -> Exchange:
    own = the_project(world, "Night Shift")
    calls, ids = _own_project_attempts(world, own, the_milestone(world, "Dailies"))
    world.work.references = [calls[action](NEVER_ISSUED_ID)]
    return calls[action](ids[action])


def work_as_theo_sees_it(world) -> tuple[list, list]:
    """The project's milestones and tasks as Theo reads them: (title, status, version) of each."""
    theo = world.actor("Theo")
    project = the_project(world)
    milestones = answered(world, list_milestones(theo.client, project.id), 200, meaning="Theo's milestones").json()
    tasks = answered(world, list_tasks(theo.client, project.id), 200, meaning="Theo's tasks").json()
    return ([(m["title"], m["status"], m["version"]) for m in milestones["milestones"]],
            [(t["title"], t["status"], t["version"], t["assignee"]) for t in tasks["tasks"]])


# -- catalogues the steps' typed parameters are made of -------------------------------------------------

MILESTONE_PROBLEMS = {
    "without a title": {},
    'with the status "finished"': {"title": "Grade", "status": "finished"},
    "with a title of 201 characters": {"title": "G" * 201},
    'due on "the 31st of February"': {"title": "Grade", "due_on": "2027-02-31"},
}

ORDER_PROBLEMS = {
    "names a milestone that does not exist": lambda ids: ids + [NEVER_ISSUED_ID],
    'leaves out "Shoot"': lambda ids: [ids[0], ids[2]],
    'names "Edit" twice': lambda ids: ids + [ids[2]],
    'names "Shoot" by its number written as text': lambda ids: [ids[0], str(ids[1]), ids[2]],
}

# what a program other than the portal might write, which the schema must refuse (SQL, params)
REFUSED_RECORDS = {
    'a task with the status "started"':
        ("INSERT INTO project_tasks (project_id, title, status) VALUES (%(p)s, 'x', 'started')", {}),
    "a task under a milestone of another project":
        ("INSERT INTO project_tasks (project_id, milestone_id, title) VALUES (%(other)s, %(m)s, 'x')", {}),
    'a milestone with the status "finished"':
        ("INSERT INTO milestones (project_id, title, status, position) VALUES (%(p)s, 'x', 'finished', 99)", {}),
    "two milestones in the same place of one project":
        ("INSERT INTO milestones (project_id, title, position) VALUES (%(p)s, 'x', 1)", {}),
    "a task that is done but was never completed":
        ("INSERT INTO project_tasks (project_id, title, status) VALUES (%(p)s, 'x', 'done')", {}),
}


def database_refuses(world, sql: str, params: dict) -> str | None:
    """Try a write straight to the database in a transaction that is rolled back in any case;
    return the database's refusal, or None if it took the write."""
    import psycopg

    try:
        with world.db.transaction():
            world.db.execute(sql, params)
            raise _RolledBack()
    except psycopg.errors.IntegrityError as refusal:
        return str(refusal).splitlines()[0]
    except _RolledBack:
        return None


class _RolledBack(Exception):
    pass
