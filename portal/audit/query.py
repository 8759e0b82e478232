"""Reading the audit log: filters, newest first, page by page with an opaque cursor.

A cursor is the position after the last entry of a page (its time and id), signed with the
portal's secret key so that a cursor changed by hand is refused rather than silently read as a
different position. A cursor grants nothing: the reader's scope applies to every page.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime

from psycopg import Connection

# what an entry can be about, and the detail that names it: subject=<type>:<value>
SUBJECTS: dict[str, str] = {
    "project": "project_id",
    "milestone": "milestone_id",
    "task": "task_id",
    "cut": "asset_id",
    "share_link": "share_link_id",
    "person": "user_id",
    "email": "email",
    "suppression": "suppression_id",
    "scheduled_task": "task",
}
_NAMED_BY_TEXT = {"email", "scheduled_task"}  # the rest are named by a positive whole number
MAX_ID = 2**63 - 1


class BadFilter(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Subject:
    key: str    # the detail that names it
    value: str


@dataclass(frozen=True)
class Filters:
    person_id: int | None = None
    kind: str | None = None
    subject: Subject | None = None
    since: datetime | None = None   # inclusive
    until: datetime | None = None   # exclusive


@dataclass(frozen=True)
class Entry:
    id: int
    occurred_at: datetime
    kind: str
    outcome: str
    actor_label: str
    actor_person_id: int | None
    organisation_id: int | None
    reason: str | None
    request_id: str | None
    details: dict


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    next_cursor: str | None


def parse_subject(text: str) -> Subject:
    kind, sep, value = text.partition(":")
    if not sep or kind not in SUBJECTS or not value:
        raise BadFilter("subject", "Give a subject as <type>:<id>, with a type among "
                        + ", ".join(sorted(SUBJECTS)) + ".")
    if kind not in _NAMED_BY_TEXT and not (value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_ID):
        raise BadFilter("subject", f"A {kind} is named by a positive whole number, e.g. {kind}:42.")
    return Subject(SUBJECTS[kind], str(int(value)) if kind not in _NAMED_BY_TEXT else value)


def _sign(payload: bytes, secret: str) -> str:
    return _b64(hmac.new(secret.encode(), b"audit-cursor:" + payload, hashlib.sha256).digest()[:16])


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_cursor(entry: Entry, secret: str) -> str:
    payload = json.dumps([entry.occurred_at.isoformat(), entry.id], separators=(",", ":")).encode()
    return f"{_b64(payload)}.{_sign(payload, secret)}"


def read_cursor(cursor: str, secret: str) -> tuple[datetime, int]:
    refused = BadFilter("cursor", "This cursor was not given by the portal; start again from the first page.")
    body, sep, signature = cursor.partition(".")
    try:
        payload = _unb64(body)
        if not sep or not hmac.compare_digest(signature, _sign(payload, secret)):
            raise refused
        at, entry_id = json.loads(payload)
        return datetime.fromisoformat(at), int(entry_id)
    except (binascii.Error, ValueError, TypeError) as exc:
        if isinstance(exc, BadFilter):
            raise
        raise refused from None


def read(conn: Connection, filters: Filters, *, organisation_id: int | None, everyone: bool,
         limit: int, after: tuple[datetime, int] | None, secret: str) -> Page:
    """Entries newest first. `everyone`: every organisation's entries (studio admins); else only
    entries about `organisation_id`."""
    where, params = [], []
    if not everyone:
        where.append("tenant_id = %s")
        params.append(organisation_id)
    if filters.person_id is not None:
        where.append("actor_user_id = %s")
        params.append(filters.person_id)
    if filters.kind is not None:
        where.append("action = %s")
        params.append(filters.kind)
    if filters.subject is not None:
        where.append("details ->> %s = %s")
        params += [filters.subject.key, filters.subject.value]
    if filters.since is not None:
        where.append("occurred_at >= %s")
        params.append(filters.since)
    if filters.until is not None:
        where.append("occurred_at < %s")
        params.append(filters.until)
    if after is not None:
        where.append("(occurred_at, id) < (%s, %s)")
        params += list(after)
    rows = conn.execute(
        "SELECT id, occurred_at, action AS kind, outcome, actor_label, actor_user_id AS actor_person_id,"
        " tenant_id AS organisation_id, reason, request_id, details FROM audit_events"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY occurred_at DESC, id DESC LIMIT %s",
        (*params, limit + 1),
    ).fetchall()
    entries = [Entry(**r) for r in rows[:limit]]
    next_cursor = make_cursor(entries[-1], secret) if len(rows) > limit else None
    return Page(entries, next_cursor)
