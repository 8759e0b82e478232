"""The OpenAPI document, as each caller may see it: the studio's administration (`/admin/...`)
only for studio admins. To anyone else those addresses answer 404 as if they did not exist, and
the document does not list them either."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from portal.accounts import sessions

from .deps import Database, database, session_cookie

router = APIRouter(include_in_schema=False)
ADMIN_PREFIX = "/admin"


def _refs(value, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                found.add(item.rsplit("/", 1)[-1])
            else:
                _refs(item, found)
    elif isinstance(value, list):
        for item in value:
            _refs(item, found)


def public_view(document: dict) -> dict:
    """`document` without the administration's operations, nor the schemas only they use."""
    paths = {path: item for path, item in document.get("paths", {}).items()
             if path != ADMIN_PREFIX and not path.startswith(ADMIN_PREFIX + "/")}
    schemas = document.get("components", {}).get("schemas", {})
    used: set[str] = set()
    _refs(paths, used)
    pending = list(used)
    while pending:  # schemas used by the schemas in use
        found: set[str] = set()
        _refs(schemas.get(pending.pop(), {}), found)
        pending += sorted(found - used)
        used |= found
    view = {**document, "paths": paths}
    if "components" in document:
        view["components"] = {**document["components"],
                              "schemas": {name: schema for name, schema in schemas.items() if name in used}}
    return view


def is_studio_admin(user) -> bool:
    return user is not None and user.role.value == "admin" and user.tenant_kind == "studio"


@router.get("/openapi.json")
def openapi_document(request: Request, db: Database = Depends(database)) -> dict:
    with db.transaction() as conn:
        user = sessions.resolve(conn, session_cookie(request))
    document = request.app.openapi()
    return document if is_studio_admin(user) else public_view(document)
