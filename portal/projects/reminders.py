"""Reminders about tasks, run as scheduled tasks: the overdue reminder and the daily digest.

Both decide on the database clock. Each is idempotent: the overdue reminder records the due time
it told the assignee about, the digest the studio day it was sent on, so running either again, by
the schedule or by an admin, sends nothing new.
"""
from __future__ import annotations

from collections import defaultdict

from psycopg import Connection

from portal.email import outbox

from .work_items import describe_due

OVERDUE_EMAIL = "task_overdue"
DIGEST_EMAIL = "task_digest"
DIGEST_HORIZON_HOURS = 48

# an open task of a live project with an active assignee (w: project_tasks, p: projects, u: users)
_ASSIGNED_OPEN = ("w.status = 'open' AND w.deleted_at IS NULL AND p.deleted_at IS NULL AND u.status = 'active'")


def send_overdue(conn: Connection) -> int:
    """Tell each assignee once about each task of theirs that is past its due time: once per due
    time, so moving the due time re-arms the reminder. Returns how many tasks it told about."""
    rows = conn.execute(
        "UPDATE project_tasks w SET overdue_notified_for = w.due_at FROM projects p, users u"
        " WHERE p.id = w.project_id AND u.id = w.assignee_id AND " + _ASSIGNED_OPEN +
        "   AND w.due_at <= now() AND w.overdue_notified_for IS DISTINCT FROM w.due_at"
        " RETURNING w.id, w.title, w.due_at, p.name AS project, u.name, u.email"
    ).fetchall()
    for row in sorted(rows, key=lambda r: (r["due_at"], r["id"])):
        outbox.enqueue(conn, OVERDUE_EMAIL, row["email"], {
            "name": row["name"], "title": row["title"], "project": row["project"], "due": describe_due(row["due_at"])})
    return len(rows)


def send_digests(conn: Connection, time_zone: str) -> int:
    """One email per person and studio day (in `time_zone`) listing, soonest due first, their open
    tasks due within the next 48 hours or already overdue; nothing for people with nothing to
    report or who switched the digest off. Returns how many digests it wrote."""
    rows = conn.execute(
        "SELECT u.id AS user_id, u.name, u.email, w.title, w.due_at, p.name AS project,"
        "       (now() AT TIME ZONE %(tz)s)::date AS day"
        "  FROM project_tasks w JOIN projects p ON p.id = w.project_id JOIN users u ON u.id = w.assignee_id"
        " WHERE " + _ASSIGNED_OPEN + " AND w.due_at <= now() + make_interval(hours => %(hours)s)"
        "   AND NOT EXISTS (SELECT 1 FROM task_digest_opt_outs o WHERE o.user_id = u.id)"
        " ORDER BY u.id, w.due_at, w.id",
        {"tz": time_zone, "hours": DIGEST_HORIZON_HOURS},
    ).fetchall()
    per_person: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        per_person[row["user_id"]].append(row)
    sent = 0
    for user_id, tasks in per_person.items():
        first = tasks[0]
        # the primary key (person, day) makes a concurrent second run write nothing
        claimed = conn.execute(
            "INSERT INTO task_digests (user_id, day, tasks) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING RETURNING day",
            (user_id, first["day"], len(tasks)),
        ).fetchone()
        if claimed is None:
            continue
        outbox.enqueue(conn, DIGEST_EMAIL, first["email"], {
            "name": first["name"], "day": first["day"].strftime("%A %d %B %Y"),
            "tasks": [{"title": t["title"], "project": t["project"], "due": describe_due(t["due_at"])}
                      for t in tasks]})
        sent += 1
    return sent


def digest_enabled(conn: Connection, user_id: int) -> bool:
    return conn.execute("SELECT 1 FROM task_digest_opt_outs WHERE user_id = %s", (user_id,)).fetchone() is None


def set_digest(conn: Connection, user_id: int, enabled: bool) -> bool:
    if enabled:
        conn.execute("DELETE FROM task_digest_opt_outs WHERE user_id = %s", (user_id,))
    else:
        conn.execute("INSERT INTO task_digest_opt_outs (user_id) VALUES (%s) ON CONFLICT DO NOTHING", (user_id,))
    return enabled
