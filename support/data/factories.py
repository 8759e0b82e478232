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
        "INSERT INTO tenants (slug, name, kind) VALUES (%(slug)s, %(organisation)s, %(kind)s) RETURNING id",
        _tenant(None, organisation, suffix),
    ).fetchone()["id"]


# Each statement below writes its rows in one round trip, and the tenant they belong to with them
# when the scenario has not written it yet (`tenant_id` None): a tenant, a user and a session were
# three round trips, each a tenth of a millisecond or more and psycopg's own work besides.
_TENANT = (
    "new_tenant AS (INSERT INTO tenants (slug, name, kind) SELECT %(slug)s, %(organisation)s, %(kind)s"
    "               WHERE %(tenant_id)s::bigint IS NULL RETURNING id),"
    " tenant AS (SELECT coalesce(%(tenant_id)s::bigint, (SELECT id FROM new_tenant)) AS id)"
)


def _tenant(tenant_id: int | None, organisation: Organisation, suffix: str) -> dict:
    return {"tenant_id": tenant_id, "slug": f"{organisation.slug}-{suffix}", "organisation": organisation.name,
            "kind": organisation.kind}


def create_account(conn: Connection, tenant_id: int | None, organisation: Organisation, suffix: str,
                   persona: Persona, email: str, status: str | None = None,
                   session_id: str | None = None) -> tuple[int, int]:
    """The persona's user (and its tenant, when `tenant_id` is None), signed in with `session_id` when
    one is given (the session as `create_session` writes it); returns (tenant id, user id)."""
    row = conn.execute(
        f"WITH {_TENANT},"
        " new_user AS (INSERT INTO users (tenant_id, email, name, role, status)"
        "              SELECT id, %(email)s, %(name)s, %(role)s, %(status)s FROM tenant RETURNING id, tenant_id),"
        " new_session AS (INSERT INTO sessions (id_hash, user_id, expires_at)"
        "                 SELECT %(id_hash)s, id, now() + make_interval(hours => %(hours)s) FROM new_user"
        "                 WHERE %(id_hash)s::text IS NOT NULL)"
        " SELECT tenant_id, id FROM new_user",
        {**_tenant(tenant_id, organisation, suffix), "email": email, "name": persona.name, "role": persona.role,
         "status": status or persona.account, "hours": SESSION_HOURS,
         "id_hash": sha256_hex(session_id) if session_id is not None else None},
    ).fetchone()
    return row["tenant_id"], row["id"]


def create_users(conn: Connection, tenant_id: int, persona: Persona, emails: list[str], status: str | None = None) -> list[int]:
    """Users of the persona's role, one for each address, in one statement; their ids in the same order."""
    rows = conn.execute(
        "INSERT INTO users (tenant_id, email, name, role, status)"
        " SELECT %s, email, %s, %s, %s FROM unnest(%s::text[]) WITH ORDINALITY AS given (email, n) ORDER BY n"
        " RETURNING id, email",
        (tenant_id, persona.name, persona.role, status or persona.account, emails),
    ).fetchall()
    ids = {r["email"]: r["id"] for r in rows}
    return [ids[email] for email in emails]


def set_status(conn: Connection, user_id: int, status: str) -> None:
    conn.execute("UPDATE users SET status = %s WHERE id = %s", (status, user_id))


SESSION_HOURS = 12


def new_session_id() -> str:
    """The portal's contract: the cookie holds a 256-bit random id, the database its SHA-256."""
    return secrets.token_urlsafe(32)


def create_session(conn: Connection, user_id: int, hours: int = SESSION_HOURS, session_id: str | None = None) -> str:
    """A signed-in session arranged directly (fast, and it works in live mode); a new id unless one is given."""
    session_id = session_id or new_session_id()
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


def create_project(conn: Connection, tenant_id: int | None, organisation: Organisation, suffix: str,
                   name: str) -> tuple[int, int]:
    """A project (of a tenant written with it when `tenant_id` is None); returns (tenant id, project id)."""
    row = conn.execute(
        f"WITH {_TENANT}"
        " INSERT INTO projects (tenant_id, name) SELECT id, %(name)s FROM tenant RETURNING tenant_id, id",
        {**_tenant(tenant_id, organisation, suffix), "name": name},
    ).fetchone()
    return row["tenant_id"], row["id"]


_ASSET_COLUMNS = "id, project_id, public_id::text AS public_id, title, version, playback_id, data_residency"


def _asset(title: str, version: int, duration_seconds: float | None, data_residency: str) -> dict:
    # its signed playback id and asset id unique, as Mux's are
    return {"title": title, "version": version, "duration": duration_seconds, "playback_id": secrets.token_hex(16),
            "asset_id": secrets.token_hex(16), "residency": data_residency}


def create_asset(conn: Connection, project_id: int, title: str, version: int = 1,
                 duration_seconds: float | None = 272.0, data_residency: str = "anywhere") -> dict:
    """A cut Mux has processed (`ready`)."""
    return conn.execute(
        "INSERT INTO assets (project_id, title, version, duration_seconds, status, playback_id, mux_asset_id,"
        "                    data_residency)"
        " VALUES (%(project_id)s, %(title)s, %(version)s, %(duration)s, 'ready', %(playback_id)s, %(asset_id)s,"
        "         %(residency)s)"
        f" RETURNING {_ASSET_COLUMNS}",
        {"project_id": project_id, **_asset(title, version, duration_seconds, data_residency)},
    ).fetchone()


def create_project_with_asset(conn: Connection, tenant_id: int | None, organisation: Organisation, suffix: str,
                              name: str, title: str, version: int = 1, duration_seconds: float | None = 272.0,
                              data_residency: str = "anywhere") -> dict:
    """A project (of a tenant written with it when `tenant_id` is None) holding one cut Mux has processed,
    both kept in `data_residency`: the asset's columns as `create_asset` returns them, and its tenant_id."""
    return conn.execute(
        f"WITH {_TENANT},"
        " new_project AS (INSERT INTO projects (tenant_id, name, data_residency)"
        "                 SELECT id, %(name)s, %(residency)s FROM tenant RETURNING id),"
        " new_asset AS (INSERT INTO assets (project_id, title, version, duration_seconds, status, playback_id,"
        "                                   mux_asset_id, data_residency)"
        "               SELECT id, %(title)s, %(version)s, %(duration)s, 'ready', %(playback_id)s, %(asset_id)s,"
        "                      %(residency)s FROM new_project"
        f"               RETURNING {_ASSET_COLUMNS})"
        " SELECT new_asset.*, (SELECT id FROM tenant) AS tenant_id FROM new_asset",
        {**_tenant(tenant_id, organisation, suffix), "name": name,
         **_asset(title, version, duration_seconds, data_residency)},
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
