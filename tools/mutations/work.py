"""Deliberate defects: milestones and tasks (issue 12). Each names the rule it breaks and the
scenarios that must go red."""
from mutations.common import Mutation

P = "features/projects"
MILESTONES = f"{P}/milestones_and_tasks.feature"
WHO = f"{P}/who_works_on_projects.feature"
VERSIONS = f"{P}/no_lost_updates.feature"
DELETING = f"{P}/deleting_and_restoring.feature"
WHOLE = f"{P}/all_or_nothing.feature"
HANDOVER = f"{P}/handing_over_tasks.feature"
REMINDERS = f"{P}/reminders_and_digests.feature"
SEARCH = f"{P}/finding_things.feature"
RECOVERY = f"{P}/recovery_point.feature"

MS = "portal/projects/milestones.py"
WI = "portal/projects/work_items.py"
SVC = "portal/projects/service.py"
RTR = "portal/projects/work_router.py"
HO = "portal/projects/handover.py"
REM = "portal/projects/reminders.py"
SRCH = "portal/projects/search.py"

MUTATIONS = [
    # -- rule 1: milestones, and who may touch them
    Mutation("work-milestones-unordered", "milestones keep their order", MS,
             'ORDER BY m.position",\n', 'ORDER BY m.id",\n', MILESTONES, "new order"),
    Mutation("work-guests-change-work", "guests only read milestones", RTR,
             'member = require_member("admin", "producer")', 'member = require_member("admin", "producer", "guest")',
             WHO, "Gina cannot"),
    Mutation("work-guests-read-nothing", "guests read the milestones", RTR,
             'reader = require_member("admin", "producer", "guest")', 'reader = require_member("admin", "producer")',
             MILESTONES, "plans the project"),
    Mutation("work-studio-admin-blind", "studio admins see every organisation's work", SVC,
             'return user.role is Role.ADMIN and user.tenant_kind == "studio"', "return False",
             WHO, "Ada may"),
    Mutation("work-milestone-done-ignored", "completing a milestone marks it done", MS,
             '" status = CASE WHEN %(set_status)s THEN %(status)s ELSE status END,"', '" status = status,"',
             MILESTONES, "completes a milestone"),
    # -- rule 2: tasks
    Mutation("work-assignee-anyone", "the assignee must see the project", WI,
             "if assignee is not None and not can_see_tasks_of(conn, assignee, project):",
             "if assignee is not None and assignee < 0:", MILESTONES, "cannot go to"),
    Mutation("work-milestone-of-any-project", "a task names a milestone of its own project", WI,
             '"SELECT 1 FROM milestones WHERE id = %s AND project_id = %s AND deleted_at IS NULL",',
             '"SELECT 1 FROM milestones WHERE id = %s AND %s > 0 AND deleted_at IS NULL",',
             MILESTONES, "milestone of another project"),
    Mutation("work-filter-status-ignored", "the task list filters by status", WI,
             '" AND (%(status)s::text IS NULL OR w.status = %(status)s)"', '" AND (%(status)s::text IS NOT DISTINCT FROM %(status)s)"',
             MILESTONES, "lists the project's tasks"),
    Mutation("work-reopen-ignored", "a completed task can be reopened", RTR,
             'return _set_status(task_id, "open", version, user, db, response)',
             'return _set_status(task_id, "done", version, user, db, response)', MILESTONES, "completed, and reopened"),
    # -- rule 3: no lost updates
    Mutation("work-task-lost-update", "a stale task change is refused", WI,
             '" WHERE id = %(id)s AND version = %(version)s AND deleted_at IS NULL RETURNING id",\n        params,',
             '" WHERE id = %(id)s AND deleted_at IS NULL RETURNING id",\n        params,', VERSIONS, "Pia's change|same moment"),
    Mutation("work-milestone-lost-update", "a stale milestone change is refused", MS,
             '" WHERE id = %(id)s AND version = %(version)s AND deleted_at IS NULL RETURNING id",\n        {"id": milestone_id, "version": expected_version,\n         "set_title"',
             '" WHERE id = %(id)s AND %(version)s > 0 AND deleted_at IS NULL RETURNING id",\n        {"id": milestone_id, "version": expected_version,\n         "set_title"',
             VERSIONS, "Theo has since renamed"),
    Mutation("work-no-if-match-needed", "a change without If-Match is refused (428)", "portal/web/deps.py",
             'if if_match is None or if_match.strip() in ("", "*"):', 'if if_match is not None and if_match.strip() == "*":',
             VERSIONS, "without saying which version"),
    # -- rule 4: deleting and restoring
    Mutation("work-milestone-keeps-open-tasks", "a deleted milestone takes its open tasks", MS,
             "\" WHERE milestone_id = %s AND status = 'open' AND deleted_at IS NULL RETURNING id\",",
             "\" WHERE milestone_id = %s AND status = 'never' AND deleted_at IS NULL RETURNING id\",",
             DELETING, "Deleting a milestone"),
    Mutation("work-project-keeps-tasks", "a deleted project takes its milestones and tasks", SVC,
             '_DELETED_WITH_PROJECT = (("milestones", "milestone_ids"), ("project_tasks", "task_ids"), ("assets", "asset_ids"))',
             '_DELETED_WITH_PROJECT = (("assets", "asset_ids"),)', DELETING, "Deleting a project"),
    Mutation("work-restore-too-much", "a restore brings back only what was deleted with the project", SVC,
             '" WHERE project_id = %s AND deleted_with = \'project\' RETURNING id",',
             '" WHERE project_id = %s AND deleted_at IS NOT NULL RETURNING id",', DELETING, "nothing deleted before"),
    Mutation("work-restore-forever", "a project can be restored for 30 days only", SVC,
             "RESTORE_DAYS = 30 ", "RESTORE_DAYS = 3650 ", DELETING, "cannot be restored"),
    Mutation("work-restore-by-anyone", "only studio admins restore", SVC,
             "    if not sees_every_organisation(user):\n        return None\n    row = conn.execute(\n        \"SELECT deleted_at",
             "    row = conn.execute(\n        \"SELECT deleted_at", DELETING, "cannot restore"),
    Mutation("work-task-delete-hides-nothing", "a deleted task is hidden", WI,
             '"UPDATE project_tasks SET deleted_at = now(), deleted_by = %s, version = version + 1"',
             '"UPDATE project_tasks SET deleted_by = %s, version = version + 1"', DELETING, "deleted task is hidden"),
    # -- rule 5: all or nothing
    Mutation("work-reorder-any-subset", "an order names every milestone once", MS,
             "    if len(set(milestone_ids)) != len(milestone_ids) or set(milestone_ids) != current:",
             "    if False:", WHOLE, "does not exist|leaves out|twice"),
    Mutation("work-email-failure-swallowed", "no task without its assignment email", WI,
             "        raise EmailNotQueued(str(exc)) from exc", "        pass", WHOLE, "cannot be written"),
    # -- rule 6: assignment and handover
    Mutation("work-no-assignment-email", "the assignee is told", WI,
             "    if item.assignee_id is not None:\n        tell_assignee(conn, item, project.name, user)\n",
             "", HANDOVER, "Pia is told when Theo gives"),
    Mutation("work-no-email-on-reassign", "a new assignee is told", WI,
             "    if item.assignee_id is not None and item.assignee_id != before.assignee_id:",
             "    if False:", HANDOVER, "passed to her"),
    Mutation("work-no-handover", "a departure hands tasks over", "portal/app.py",
             '    leaving.on_departure("projects.hand_over_tasks", handover.hand_over)', "    pass",
             HANDOVER, "shared between|no producer left"),
    Mutation("work-handover-most-loaded", "least loaded first", HO,
             "return min(producers, key=lambda p: (p.load, p.id))", "return max(producers, key=lambda p: (p.load, -p.id))",
             HANDOVER, "least loaded first"),
    Mutation("work-handover-tie-newest", "ties go to the longest-standing account", HO,
             "return min(producers, key=lambda p: (p.load, p.id))", "return min(producers, key=lambda p: (p.load, -p.id))",
             HANDOVER, "equally loaded"),
    Mutation("work-handover-to-suspended", "only active producers receive tasks", HO,
             "WHERE u.tenant_id = %s AND u.role = 'producer' AND u.status = 'active' AND u.id <> %s",
             "WHERE u.tenant_id = %s AND u.role = 'producer' AND u.id <> %s", HANDOVER, "no producer left"),
    Mutation("work-handover-email-per-task", "one email per new assignee, listing all", HO,
             "            \"name\": person[\"name\"], \"from_name\": people[departure.user_id][\"name\"], \"tasks\": _listed(given)})",
             "            \"name\": person[\"name\"], \"from_name\": people[departure.user_id][\"name\"], \"tasks\": _listed(given[:1])})",
             HANDOVER, "least loaded first"),
    Mutation("work-admins-not-told", "with no producer left the admins are told", HO,
             "            _tell_admins(conn, tenant_id, people[departure.user_id][\"name\"], group)\n", "",
             HANDOVER, "no producer left"),
    # -- rule 7: overdue
    Mutation("work-overdue-every-run", "one reminder per due time", REM,
             '"   AND w.due_at <= now() AND w.overdue_notified_for IS DISTINCT FROM w.due_at"',
             '"   AND w.due_at <= now()"', REMINDERS, "however often|re-arms"),
    Mutation("work-overdue-never-rearmed", "moving the due time re-arms the reminder", REM,
             '"UPDATE project_tasks w SET overdue_notified_for = w.due_at FROM projects p, users u"',
             '"UPDATE project_tasks w SET overdue_notified_for = \'-infinity\' FROM projects p, users u"',
             REMINDERS, "re-arms|however often"),
    Mutation("work-overdue-done-too", "a task done in time is never reminded of", REM,
             "_ASSIGNED_OPEN = (\"w.status = 'open' AND", "_ASSIGNED_OPEN = (\"w.status <> 'gone' AND",
             REMINDERS, "completed before"),
    Mutation("work-overdue-early", "only past the due time", REM,
             '"   AND w.due_at <= now() AND', '"   AND w.due_at <= now() + interval \'1 hour\' AND', REMINDERS, "A task due"),
    # -- rule 8: digest
    Mutation("work-digest-twice-a-day", "one digest per person and day", REM,
             '"INSERT INTO task_digests (user_id, day, tasks) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING RETURNING day",',
             '"INSERT INTO task_digests (user_id, day, tasks) VALUES (%s, %s, %s) ON CONFLICT (user_id, day)'
             ' DO UPDATE SET tasks = EXCLUDED.tasks RETURNING day",', REMINDERS, "two digests|earlier today"),
    Mutation("work-digest-horizon", "due within 48 hours", REM,
             "DIGEST_HORIZON_HOURS = 48", "DIGEST_HORIZON_HOURS = 50", REMINDERS, "soonest first"),
    Mutation("work-digest-unordered", "soonest due first", REM,
             '" ORDER BY u.id, w.due_at, w.id",', '" ORDER BY u.id, w.id",', REMINDERS, "soonest first"),
    Mutation("work-digest-opt-out-ignored", "a person can switch the digest off", REM,
             '"   AND NOT EXISTS (SELECT 1 FROM task_digest_opt_outs o WHERE o.user_id = u.id)"', '""',
             REMINDERS, "switches his digest"),
    Mutation("work-digest-setting-misread", "a person sees their digest setting as it is", RTR,
             "DigestOut(enabled=reminders.digest_enabled(conn, user.id), time_zone=cfg.time_zone)",
             "DigestOut(enabled=True, time_zone=cfg.time_zone)", REMINDERS, "switches his digest"),
    Mutation("work-digest-to-everyone", "nobody with nothing to report gets one", REM,
             '" WHERE " + _ASSIGNED_OPEN + " AND w.due_at <= now() + make_interval(hours => %(hours)s)"',
             '" WHERE " + _ASSIGNED_OPEN + " AND (w.due_at <= now() + make_interval(hours => %(hours)s) OR true)"',
             REMINDERS, "nothing to report"),
    # -- rule 9: search
    Mutation("work-search-no-prefix", "prefix matching", SRCH,
             'return " & ".join(f"{w}:*" for w in words) or None', 'return " & ".join(words) or None',
             SEARCH, "looks for"),
    Mutation("work-search-everyone", "nobody finds another organisation's", SRCH,
             "scope AS (SELECT p.id, p.name FROM projects p WHERE {service.VISIBLE_PROJECT})",
             "scope AS (SELECT p.id, p.name FROM projects p WHERE (%s::bigint > 0 OR %s) AND p.deleted_at IS NULL)",
             SEARCH, "finds nothing of Brightside"),
    Mutation("work-search-deleted-tasks", "a deleted task is never found", SRCH,
             " WHERE w.deleted_at IS NULL AND to_tsvector('simple', w.title) @@ q.q", " WHERE to_tsvector('simple', w.title) @@ q.q",
             SEARCH, "deleted"),
    Mutation("work-search-guests", "guests find no work", SRCH,
             "    if query is None or user.role is Role.GUEST:", "    if query is None:", SEARCH, "finds nothing of Brightside"),
    # -- rule 10: recovery point
    Mutation("work-rpo-covered-without-backup", "no backup recorded", "portal/projects/recovery.py",
             "        return RecoveryPoint(objective_hours, NO_BACKUP, None)",
             "        return RecoveryPoint(objective_hours, COVERED, None)", RECOVERY, "objective"),
    Mutation("work-rpo-unbounded", "an objective between 1 hour and a year", "portal/projects/router.py",
             "Field(ge=1, le=recovery.MAX_OBJECTIVE_HOURS, strict=True)", "Field(strict=True)",
             RECOVERY, "is refused"),
    Mutation("work-rpo-ignored", "the objective can be set", SVC,
             '" recovery_point_hours = coalesce(%s, recovery_point_hours) WHERE id = %s",',
             '" recovery_point_hours = recovery_point_hours + 0 * coalesce(%s, 0) WHERE id = %s",',
             RECOVERY, "sets the project"),
    # -- suspension (minimal, issue 14 owns it)
    Mutation("work-suspend-any-agency", "agency admins suspend only their own people", "portal/accounts/suspension.py",
             'if person is None or (admin.tenant_kind != "studio" and person.tenant_id != admin.tenant_id):',
             "if person is None:", HANDOVER, "Lena cannot suspend"),
]
