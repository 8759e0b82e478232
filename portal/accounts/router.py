"""Who am I: the signed-in user's own profile."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from portal.web.deps import Database, database, current_user, Id, not_found, require_member
from portal.web.errors import documented
from portal.web.routing import PortalRoute

from . import suspension
from .users import Status, User

router = APIRouter(route_class=PortalRoute, tags=["accounts"])


class TenantOut(BaseModel):
    name: str
    kind: str


class MeOut(BaseModel):
    name: str
    email: str
    role: str
    tenant: TenantOut


@router.get("/me", response_model=MeOut, summary="The signed-in user", responses={401: {"description": "Not signed in"}})
def me(user: User = Depends(current_user)) -> MeOut:
    return MeOut(name=user.name, email=user.email, role=user.role.value,
                 tenant=TenantOut(name=user.tenant_name, kind=user.tenant_kind))


# who may suspend whom is the rule of `suspension._manageable`, in one place; anyone signed in reaches it
member = require_member("admin", "producer", "guest")


class PersonOut(BaseModel):
    id: int
    name: str
    email: str
    role: str
    status: str


def _change(person_id: int, status: Status, user: User, db: Database) -> PersonOut:
    with db.transaction() as conn:
        person = suspension.set_status(conn, user, person_id, status)
        if person is None:
            raise not_found()
        return PersonOut(id=person.id, name=person.name, email=person.email, role=person.role.value,
                         status=person.status.value)


_PEOPLE = documented({404: "No such person (or not yours to manage: studio admins manage anyone, "
                           "agency admins their own agency's people)"})


@router.post("/people/{person_id}/suspension", response_model=PersonOut, responses=_PEOPLE,
             summary="Suspend a person: their sessions stop working and what they held is handed over")
def suspend(person_id: Id, user: User = Depends(member), db: Database = Depends(database)) -> PersonOut:
    return _change(person_id, Status.SUSPENDED, user, db)


@router.delete("/people/{person_id}/suspension", response_model=PersonOut, responses=_PEOPLE,
               summary="Reinstate a suspended person")
def reinstate(person_id: Id, user: User = Depends(member), db: Database = Depends(database)) -> PersonOut:
    return _change(person_id, Status.ACTIVE, user, db)
