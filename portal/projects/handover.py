"""When a person leaves (suspended, or removed from their agency), their open tasks go to the
remaining producers of the organisation that owns each task's project.

Least loaded first: each task, soonest due first (then oldest), goes to the producer with the
fewest open tasks at that moment, counting those handed over so far; between equals, the producer
whose account is oldest (lowest id). Every handover is audited and moves the task's version on;
each producer who received something gets one email listing all of it. With no producer left,
the tasks become unassigned and the organisation's admins get one email listing them.

Registered as a departure step where the application is composed (`portal.app`), and run in the
transaction of the suspension or removal, so the handover stands or falls with it.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from psycopg import Connection

from portal.accounts.leaving import Departure
from portal.audit import log as audit
from portal.email import outbox
from portal.security import redact_email

from .work_items import describe_due

HANDED_OVER_EMAIL = "tasks_handed_over"
UNASSIGNED_EMAIL = "tasks_unassigned"


@dataclass(frozen=True)
class Producer:
    id: int
    load: int  # open tasks assigned to them


def pick(producers: list[Producer]) -> Producer:
    """The least loaded producer; between equals, the one with the lowest id."""
    return min(producers, key=lambda p: (p.load, p.id))


def plan(tasks: list[int], producers: list[Producer]) -> dict[int, int]:
    """Which producer gets which task (task id -> producer id), tasks taken in the order given."""
    loads = {p.id: p.load for p in producers}
    given: dict[int, int] = {}
    for task in tasks:
        chosen = pick([Producer(pid, load) for pid, load in loads.items()])
        given[task] = chosen.id
        loads[chosen.id] += 1
    return given


_OPEN_TASKS = """
SELECT w.id, w.title, w.due_at, p.tenant_id, p.name AS project
  FROM project_tasks w JOIN projects p ON p.id = w.project_id
 WHERE w.assignee_id = %s AND w.status = 'open' AND w.deleted_at IS NULL AND p.deleted_at IS NULL
 ORDER BY w.due_at NULLS LAST, w.id
   FOR UPDATE OF w
"""

_PRODUCERS = """
SELECT u.id,
       (SELECT count(*) FROM project_tasks w JOIN projects p ON p.id = w.project_id
         WHERE w.assignee_id = u.id AND w.status = 'open' AND w.deleted_at IS NULL AND p.deleted_at IS NULL) AS load
  FROM users u
 WHERE u.tenant_id = %s AND u.role = 'producer' AND u.status = 'active' AND u.id <> %s
 ORDER BY u.id
"""


def hand_over(conn: Connection, departure: Departure) -> None:
    """The departure step: hand the person's open tasks over (see the module's description)."""
    tasks = conn.execute(_OPEN_TASKS, (departure.user_id,)).fetchall()
    if not tasks:
        return
    people = _people(conn, departure)
    by_tenant: dict[int, list[dict]] = defaultdict(list)
    for task in tasks:
        by_tenant[task["tenant_id"]].append(task)
    received: dict[int, list[dict]] = defaultdict(list)
    for tenant_id, group in by_tenant.items():
        producers = [Producer(**r) for r in conn.execute(_PRODUCERS, (tenant_id, departure.user_id)).fetchall()]
        if producers:
            for task_id, producer_id in plan([t["id"] for t in group], producers).items():
                task = next(t for t in group if t["id"] == task_id)
                _reassign(conn, departure, people, task, producer_id)
                received[producer_id].append(task)
        else:
            for task in group:
                _reassign(conn, departure, people, task, None)
            _tell_admins(conn, tenant_id, people[departure.user_id]["name"], group)
    for producer_id, given in received.items():
        person = _person(conn, producer_id)
        outbox.enqueue(conn, HANDED_OVER_EMAIL, person["email"], {
            "name": person["name"], "from_name": people[departure.user_id]["name"], "tasks": _listed(given)})


def _listed(tasks: list[dict]) -> list[dict]:
    return [{"title": t["title"], "project": t["project"], "due": describe_due(t["due_at"])} for t in tasks]


def _person(conn: Connection, user_id: int) -> dict:
    return conn.execute("SELECT id, name, email FROM users WHERE id = %s", (user_id,)).fetchone()


def _people(conn: Connection, departure: Departure) -> dict[int, dict]:
    ids = [departure.user_id] + ([departure.by_user_id] if departure.by_user_id else [])
    return {i: _person(conn, i) for i in ids}


def _reassign(conn: Connection, departure: Departure, people: dict[int, dict], task: dict, to: int | None) -> None:
    conn.execute("UPDATE project_tasks SET assignee_id = %s, version = version + 1, updated_at = now() WHERE id = %s",
                 (to, task["id"]))
    actor = people.get(departure.by_user_id)
    audit.record(conn, "task.handed_over" if to else "task.unassigned", "succeeded",
                 actor_label=redact_email(actor["email"]) if actor else "portal",
                 actor_user_id=departure.by_user_id, tenant_id=task["tenant_id"], reason=departure.reason,
                 details={"task_id": task["id"], "from_user_id": departure.user_id, "to_user_id": to})


def _tell_admins(conn: Connection, tenant_id: int, departed: str, tasks: list[dict]) -> None:
    admins = conn.execute("SELECT name, email FROM users WHERE tenant_id = %s AND role = 'admin'"
                          " AND status = 'active' ORDER BY id", (tenant_id,)).fetchall()
    for admin in admins:
        outbox.enqueue(conn, UNASSIGNED_EMAIL, admin["email"], {
            "name": admin["name"], "departed": departed, "tasks": _listed(tasks)})
