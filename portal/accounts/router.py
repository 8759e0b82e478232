"""Who am I: the signed-in user's own profile."""
from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from portal.web.deps import current_user

from .users import User

router = APIRouter(tags=["accounts"])


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
