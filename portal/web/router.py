"""The portal's pages for people (the API serves everything else)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from portal.accounts import sessions
from portal.web.routing import PortalRoute

from .deps import Database, database, session_cookie, templates

router = APIRouter(route_class=PortalRoute, include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: Database = Depends(database)):
    with db.transaction() as conn:
        user = sessions.resolve(conn, session_cookie(request))
    return templates.TemplateResponse(request, "home.html", {"user": user})
