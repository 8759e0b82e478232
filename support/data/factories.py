"""Test data written straight to the database: unique per scenario, with domain defaults.

Given-steps use these to arrange state quickly (in local and live mode alike); the behaviour
under specification always goes through the portal's HTTP interface.
"""
from __future__ import annotations

import hashlib
import secrets

from psycopg import Connection

from support.data.personas import Organisation, Persona


def unique_suffix() -> str:
    return secrets.token_hex(3)


def email_for(persona: Persona, suffix: str, domain: str | None = None) -> str:
    domain = domain or (persona.organisation.email_domain if persona.organisation else "example.net")
    return f"{persona.name.lower()}.{suffix}@{domain}"


def create_tenant(conn: Connection, organisation: Organisation, suffix: str) -> int:
    return conn.execute(
        "INSERT INTO tenants (slug, name, kind) VALUES (%s, %s, %s) RETURNING id",
        (f"{organisation.slug}-{suffix}", organisation.name, organisation.kind),
    ).fetchone()["id"]


def create_user(conn: Connection, tenant_id: int, persona: Persona, email: str, status: str | None = None) -> int:
    return conn.execute(
        "INSERT INTO users (tenant_id, email, name, role, status) VALUES (%s, %s, %s, %s, %s) RETURNING id",
        (tenant_id, email, persona.name, persona.role, status or persona.account),
    ).fetchone()["id"]


def set_status(conn: Connection, user_id: int, status: str) -> None:
    conn.execute("UPDATE users SET status = %s WHERE id = %s", (status, user_id))


def create_session(conn: Connection, user_id: int, hours: int = 12) -> str:
    """A signed-in session arranged directly (fast, and it works in live mode).

    The portal's contract: the cookie holds a 256-bit random id, the database its SHA-256.
    """
    session_id = secrets.token_urlsafe(32)
    conn.execute(
        "INSERT INTO sessions (id_hash, user_id, expires_at) VALUES (%s, %s, now() + make_interval(hours => %s))",
        (sha256_hex(session_id), user_id, hours),
    )
    return session_id


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def client_address() -> str:
    """A network address of the benchmarking range 198.18.0.0/15: never a real client."""
    a, b = secrets.randbelow(2), secrets.randbelow(256)
    return f"198.{18 + a}.{b}.{1 + secrets.randbelow(254)}"


SHARE_NOTIFICATION = "share_notification"


def queue_share_notification(conn: Connection, recipient: str, cut: str = "Final cut v3") -> dict:
    """A share notification, written to the outbox directly as the sharing feature would write it.

    Email features use it as "an email of another kind than a sign-in link" without depending on
    the sharing feature. Returns the outbox row's id and public id.
    """
    subject = f"Theo shared \u201c{cut}\u201d with you"
    text = f"Hello,\n\nTheo of Brightside Agency shared the cut \u201c{cut}\u201d with you on the Northlight Studio portal.\n"
    html = f"<p>Hello,</p><p>Theo of Brightside Agency shared the cut <b>\u201c{cut}\u201d</b> with you.</p>"
    row = conn.execute(
        "INSERT INTO emails (template, recipient, subject, html_body, text_body) VALUES (%s, %s, %s, %s, %s)"
        " RETURNING id, public_id",
        (SHARE_NOTIFICATION, recipient, subject, html, text),
    ).fetchone()
    conn.execute("NOTIFY portal_work")
    return row


def create_project(conn: Connection, tenant_id: int, name: str) -> int:
    return conn.execute(
        "INSERT INTO projects (tenant_id, name) VALUES (%s, %s) RETURNING id", (tenant_id, name),
    ).fetchone()["id"]


def create_asset(conn: Connection, project_id: int, title: str, version: int = 1,
                 duration_seconds: float | None = 272.0, data_residency: str = "anywhere") -> dict:
    """A cut Mux has processed (`ready`): its signed playback id and asset id unique, as Mux's are."""
    playback_id, asset_id = secrets.token_hex(16), secrets.token_hex(16)
    return conn.execute(
        "INSERT INTO assets (project_id, title, version, duration_seconds, status, playback_id, mux_asset_id,"
        "                    data_residency)"
        " VALUES (%s, %s, %s, %s, 'ready', %s, %s, %s)"
        " RETURNING id, project_id, public_id::text AS public_id, title, version, playback_id, data_residency",
        (project_id, title, version, duration_seconds, playback_id, asset_id, data_residency),
    ).fetchone()


def create_milestone(conn: Connection, project_id: int, title: str, *, status: str = "planned",
                     due_in_days: int | None = None) -> dict:
    """A milestone at the end of the project's order."""
    return conn.execute(
        "INSERT INTO milestones (project_id, title, status, completed_at, due_on, position)"
        " SELECT %(p)s, %(t)s, %(s)s, CASE WHEN %(s)s = 'done' THEN now() END,"
        "        current_date + %(d)s::int, coalesce(max(position), 0) + 1 FROM milestones WHERE project_id = %(p)s"
        " RETURNING id, project_id, title, version",
        {"p": project_id, "t": title, "s": status, "d": due_in_days},
    ).fetchone()


def create_task(conn: Connection, project_id: int, title: str, *, assignee_id: int | None = None,
                milestone_id: int | None = None, due_in_hours: float | None = None, status: str = "open") -> dict:
    """A task; its due time `due_in_hours` from the database's now (negative: overdue)."""
    return conn.execute(
        "INSERT INTO project_tasks (project_id, title, assignee_id, milestone_id, due_at, status, completed_at)"
        " VALUES (%(p)s, %(t)s, %(a)s, %(m)s, now() + make_interval(secs => %(h)s * 3600), %(s)s,"
        "         CASE WHEN %(s)s = 'done' THEN now() END)"
        " RETURNING id, project_id, title, version",
        {"p": project_id, "t": title, "a": assignee_id, "m": milestone_id, "h": due_in_hours, "s": status},
    ).fetchone()
