"""Suspending a person and reinstating them.

A studio admin may suspend anyone; an agency admin the people of their own agency; to anyone else
the person does not exist. Suspension runs every departure step (`leaving.depart`) in the same
transaction, so what each domain does when a person leaves stands or falls with it.
"""
from __future__ import annotations

import dataclasses

from psycopg import Connection

from portal.audit import log as audit
from portal.security import redact_email

from . import leaving, users
from .users import Role, Status, User


def _manageable(conn: Connection, admin: User, person_id: int) -> User | None:
    if admin.role is not Role.ADMIN:
        return None
    person = users.get(conn, person_id, lock=True)
    if person is None or (admin.tenant_kind != "studio" and person.tenant_id != admin.tenant_id):
        return None
    return person


def set_status(conn: Connection, admin: User, person_id: int, status: Status) -> User | None:
    """Suspend or reinstate `person_id`; None when the admin may not manage them. Suspending
    someone already suspended changes nothing and runs no departure again."""
    person = _manageable(conn, admin, person_id)
    if person is None:
        return None
    if person.status is status:
        return person
    # in a pipeline: statements whose results nobody reads travel together, in one round trip with the
    # next statement that is read (the departure's steps are several statements each)
    with conn.pipeline():
        conn.execute("UPDATE users SET status = %s WHERE id = %s", (status.value, person_id))
        if status is Status.SUSPENDED:
            leaving.depart(conn, leaving.Departure(person_id, person.tenant_id, admin.id, "suspended"))
        audit.record(conn, "person.suspended" if status is Status.SUSPENDED else "person.reinstated", "succeeded",
                     actor_label=redact_email(admin.email), actor_user_id=admin.id, tenant_id=person.tenant_id,
                     details={"user_id": person_id})
    return dataclasses.replace(person, status=status)  # the row locked above: nothing else of it changed
