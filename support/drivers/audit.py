"""Reading the audit log, and showing what was read in the report."""
from __future__ import annotations

from support.evidence import attachments

_ENTRIES = """
SELECT occurred_at, action, outcome, actor_label, reason, request_id, details
  FROM audit_events
 WHERE action = %s AND occurred_at >= %s AND actor_user_id IS NOT DISTINCT FROM %s
 ORDER BY id
"""


def masked(address: str) -> str:
    """An address as the audit log and the email timeline show it: first letter, then the domain
    (features/glossary.md, "Audit log": `t***@brightside.example`)."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}"


def entries(world, action: str, actor=None) -> list[dict]:
    """This scenario's entries for `action` by `actor` (None: entries with no known actor)."""
    user_id = actor.user_id if actor is not None else None
    rows = world.db.execute(_ENTRIES, (action, world.started_at, user_id)).fetchall()
    attachments.attach_rows(world, f"Audit log: {action} by {actor.name if actor else 'anonymous'}", _ENTRIES, rows)
    return rows


def entries_mentioning(world, text: str) -> list[dict]:
    query = "SELECT id, action, actor_label FROM audit_events WHERE occurred_at >= %s AND (actor_label ILIKE %s OR details::text ILIKE %s)"
    pattern = f"%{text}%"
    rows = world.db.execute(query, (world.started_at, pattern, pattern)).fetchall()
    attachments.attach_rows(world, "Audit entries mentioning the address", query, rows)
    return rows


# -- the audit log as admins read it (GET /audit/entries, GET /audit/kinds) ------------------------

MAX_PAGES = 100  # a bound on following cursors: a portal that never ends a listing fails, not hangs
NEVER_ISSUED_ID = 2**62

# a filter the portal cannot read, as a feature names it -> the query that sends it
BAD_FILTERS = {
    "a kind the catalogue does not list": {"kind": "project.teleported"},
    "a subject of no known type": {"subject": "spaceship:4"},
    "a project named by a word": {"subject": "project:harbour"},
    "a time without its offset from UTC": {"from": "2026-03-01T09:00:00"},
    "a range that ends before it starts": {"from": "2026-03-02T09:00:00Z", "to": "2026-03-01T09:00:00Z"},
}


def read_log(client, **params) -> "Exchange":
    return client.get("/audit/entries", params={k: v for k, v in params.items() if v is not None})


def read_kinds(client) -> "Exchange":
    return client.get("/audit/kinds")


READINGS = {"log": read_log, "kinds": read_kinds}  # "tries to read the audit <what>"


def nowhere(client) -> "Exchange":
    """What the portal answers about an address that does not exist, for comparison."""
    return client.get("/audit/nothing-here")


def read_pages(world, reader, limit: int | None = None, **filters) -> list:
    """Every page of the log `reader` can read with `filters`, following each page's cursor; from
    the start of the scenario unless `from` is given (the log also holds other scenarios' entries)."""
    from support.harness.expect import answered

    filters.setdefault("from", world.started_at.isoformat())
    pages, cursor = [], None
    for _ in range(MAX_PAGES):
        page = answered(world, read_log(reader.client, limit=limit, cursor=cursor, **filters), 200,
                        meaning=f"{reader.name} to read the audit log")
        pages.append(page)
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return pages
    raise AssertionError(f"the audit log still had a next page after {MAX_PAGES} pages")


def entries_on(pages: list) -> list[dict]:
    return [entry for page in pages for entry in page.json()["entries"]]


def by(entries: list[dict], actor) -> list[dict]:
    return [e for e in entries if e["actor"]["person_id"] == actor.user_id]


def move_entries(world, actor, ages) -> list:
    """Move `actor`'s entries of this scenario, oldest first, to `ages` ago on the database clock;
    returns the times they now carry."""
    rows = world.db.execute(
        "SELECT id FROM audit_events WHERE actor_user_id = %s AND occurred_at >= %s ORDER BY occurred_at, id",
        (actor.user_id, world.started_at)).fetchall()
    if len(rows) < len(ages):
        raise AssertionError(f"{actor.name} has {len(rows)} audit entries in this scenario, not {len(ages)}")
    now = world.db.execute("SELECT now() AS now").fetchone()["now"]
    times = [now - age for age in ages]
    for row, at in zip(rows, times):
        world.db.execute("UPDATE audit_events SET occurred_at = %s WHERE id = %s", (at, row["id"]))
    return times


def changed_by_hand(cursor: str) -> str:
    """A well-formed cursor pointing one entry further, its signature kept: a client guessing positions."""
    import base64
    import json

    body, _, signature = cursor.partition(".")
    at, entry_id = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    moved = base64.urlsafe_b64encode(json.dumps([at, entry_id + 1], separators=(",", ":")).encode()).rstrip(b"=")
    return f"{moved.decode()}.{signature}"


# -- retention and legal hold ---------------------------------------------------------------------

RETENTION = "audit.retention"
LONG_AGO = "2000-01-01T00:00:00Z"  # a `from` before any entry a scenario arranges


def move_every_entry(world, actors, age) -> None:
    """Every entry of `actors` in this scenario now dates from `age` ago (database clock)."""
    world.db.execute(
        "UPDATE audit_events SET occurred_at = now() - %s WHERE actor_user_id = ANY(%s) AND occurred_at >= %s",
        (age, [a.user_id for a in actors], world.started_at))


def times_of(world, reader, actor) -> list:
    """When each of `actor`'s entries was made, as `reader` reads them through the portal, oldest first."""
    from datetime import datetime

    pages = read_pages(world, reader, person=actor.user_id, **{"from": LONG_AGO})
    return sorted(datetime.fromisoformat(e["at"]) for e in entries_on(pages))


def legal_hold_of(project_id: int) -> str:
    return f"/projects/{project_id}/legal-hold"


def attempt_hold(client, project_id: int, reason: str) -> "Exchange":
    return client.request("PUT", legal_hold_of(project_id), json={"reason": reason})


def attempt_lift(client, project_id: int) -> "Exchange":
    return client.request("DELETE", legal_hold_of(project_id))


def read_hold(client, project_id: int) -> "Exchange":
    return client.get(legal_hold_of(project_id))


HOLD_ATTEMPTS = {
    "put the project under legal hold": lambda client, project_id: attempt_hold(client, project_id, "Curious"),
    "read the project's legal hold": read_hold,
    "lift the project's legal hold": attempt_lift,
}
