"""Finding projects, cuts and tasks by words of their titles (PostgreSQL full-text search).

Every word of the query must match the start of a word of the title ("harb" finds "Harbour
Lights"). The text search configuration is 'simple' (no stemming, any language), and the queries
use the same expressions as the indexes of migration 0004. Only what the person may see is
searched: the same scope as every other look-up (`service.VISIBLE_PROJECT`), nothing deleted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from psycopg import Connection

from portal.accounts.users import Role, User

from . import service

MAX_WORDS = 8
MAX_RESULTS = 50
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Found:
    kind: str  # project | cut | task
    id: int
    title: str
    project_id: int


def prefix_query(text: str) -> str | None:
    """The tsquery text for `text`: each word as a prefix, all required; None for no words.

    Only runs of letters and digits reach the query, so nothing a person types can be tsquery
    syntax."""
    words = [w.lower() for w in _WORD.findall(text)][:MAX_WORDS]
    return " & ".join(f"{w}:*" for w in words) or None


_SEARCH = f"""
WITH q AS (SELECT to_tsquery('simple', %s) AS q),
scope AS (SELECT p.id, p.name FROM projects p WHERE {service.VISIBLE_PROJECT})
SELECT 'project' AS kind, s.id, s.name AS title, s.id AS project_id
  FROM scope s, q WHERE to_tsvector('simple', s.name) @@ q.q
UNION ALL
SELECT 'cut', a.id, a.title, a.project_id
  FROM assets a JOIN scope s ON s.id = a.project_id, q
 WHERE a.deleted_at IS NULL AND to_tsvector('simple', a.title) @@ q.q
UNION ALL
SELECT 'task', w.id, w.title, w.project_id
  FROM project_tasks w JOIN scope s ON s.id = w.project_id, q
 WHERE w.deleted_at IS NULL AND to_tsvector('simple', w.title) @@ q.q
ORDER BY title, kind, id
LIMIT %s
"""


def find(conn: Connection, user: User, text: str) -> list[Found]:
    """What the user may see whose title matches `text`. Guests see no projects, cuts or tasks."""
    query = prefix_query(text)
    if query is None or user.role is Role.GUEST:
        return []
    rows = conn.execute(_SEARCH, (query, *service.visible_to(user), MAX_RESULTS)).fetchall()
    return [Found(**r) for r in rows]
