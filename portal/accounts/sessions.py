"""Server-side sessions. The browser holds a random id; the database holds only its hash."""
from __future__ import annotations

from psycopg import Connection

from portal.security import hash_token, looks_like_token, new_token

from .leaving import Departure
from .users import _SELECT_USER, User


def start(conn: Connection, user_id: int, lifetime_hours: int) -> str:
    """Start a session and return the cookie value. A fresh id every time: no fixation."""
    session_id = new_token()
    conn.execute(
        "INSERT INTO sessions (id_hash, user_id, expires_at)"
        " VALUES (%s, %s, now() + make_interval(hours => %s))",
        (hash_token(session_id), user_id, lifetime_hours),
    )
    return session_id


def resolve(conn: Connection, session_id: str | None) -> User | None:
    """The user behind a live session, or None. Ended, expired and suspended sessions resolve to None."""
    if not looks_like_token(session_id):
        return None
    row = conn.execute(
        _SELECT_USER
        + " JOIN sessions s ON s.user_id = u.id"
        " WHERE s.id_hash = %s AND s.ended_at IS NULL AND s.expires_at > now() AND u.status = 'active'",
        (hash_token(session_id),),
    ).fetchone()
    return User.from_row(row) if row else None


def end(conn: Connection, session_id: str | None) -> bool:
    if not looks_like_token(session_id):
        return False
    cur = conn.execute(
        "UPDATE sessions SET ended_at = now() WHERE id_hash = %s AND ended_at IS NULL",
        (hash_token(session_id),),
    )
    return cur.rowcount == 1


def end_all_of(conn: Connection, departure: Departure) -> None:
    """A departure step: every session of the person ends now, for good (reinstating revives none)."""
    conn.execute("UPDATE sessions SET ended_at = now() WHERE user_id = %s AND ended_at IS NULL", (departure.user_id,))
