"""API keys: make one (shown once), list yours, revoke one. Managing keys takes a session: a key
cannot make more keys, nor list or revoke any."""
from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from portal import text
from portal.accounts.users import User
from portal.web.deps import Database, Id, database, not_found, require_member
from portal.web.errors import documented
from portal.web.openapi import CONTROL_CHARACTERS, stripped_text
from portal.web.routing import PortalRoute

from . import api_keys

router = APIRouter(route_class=PortalRoute, tags=["API keys"])

# who may make keys is the rule of `api_keys.MAKERS`, in one place; anyone signed in with a session reaches it
maker = require_member("admin", "producer", "guest", sessions_only=True)


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100, description="What the key is for, e.g. the system that uses it",
                      json_schema_extra=stripped_text(CONTROL_CHARACTERS, 1, 100))

    @field_validator("name")
    @classmethod
    def _printable(cls, value: str) -> str:
        wrong = text.problem(value)  # the organisation's people read the list of keys: nothing that changes it
        if wrong:
            raise ValueError(wrong)
        return value


class KeyOut(BaseModel):
    id: int
    name: str
    last_four: str
    created_at: datetime
    last_used_at: datetime | None


class NewKeyOut(KeyOut):
    key: str = Field(description="The key itself, shown this once: nl_live_ + 43 characters + a 6-character checksum")


class KeyList(BaseModel):
    api_keys: list[KeyOut]


def _out(key: api_keys.ApiKey) -> dict:
    return {"id": key.id, "name": key.name, "last_four": key.last_four, "created_at": key.created_at,
            "last_used_at": key.last_used_at}


_NOT_YOURS = documented({404: "Not signed in with a session as an admin or producer (or no such live key of yours)"})


@router.post("/me/api-keys", status_code=201, response_model=NewKeyOut, responses=_NOT_YOURS,
             summary="Make an API key; the key is shown this once")
def create(body: KeyIn, user: User = Depends(maker), db: Database = Depends(database)) -> NewKeyOut:
    with db.transaction() as conn:
        made = api_keys.create(conn, user, body.name)
    if made is None:
        raise not_found()
    key, secret = made
    return NewKeyOut(**_out(key), key=secret)


@router.get("/me/api-keys", response_model=KeyList, responses=_NOT_YOURS,
            summary="Your API keys that still work, newest first (never the keys themselves)")
def list_keys(user: User = Depends(maker), db: Database = Depends(database)) -> KeyList:
    if user.role not in api_keys.MAKERS:
        raise not_found()
    with db.transaction() as conn:
        return KeyList(api_keys=[KeyOut(**_out(k)) for k in api_keys.live_keys(conn, user)])


@router.delete("/me/api-keys/{key_id}", status_code=204, response_class=Response, responses=_NOT_YOURS,
               summary="Revoke one of your API keys, at once")
def revoke(key_id: Id, user: User = Depends(maker), db: Database = Depends(database)) -> Response:
    with db.transaction() as conn:
        if not api_keys.revoke(conn, user, key_id):
            raise not_found()
    return Response(status_code=204)
