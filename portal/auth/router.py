"""Sign-in endpoints: ask for a link, open it, confirm it, sign out."""
from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from portal.accounts import sessions
from portal.config import Settings
from portal.web.deps import Database, client_address, database, is_https, session_cookie, set_session_cookie, settings, templates
from portal.web.errors import error_response
from portal.web.openapi import SET_COOKIE, WHITESPACE, html_page
from portal.web.origin import same_origin_form
from portal.web.routing import PortalRoute

from . import links

router = APIRouter(route_class=PortalRoute, prefix="/auth", tags=["sign-in"])

# deliberately loose: the portal only needs something mail can be addressed to
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
ACCEPTED_MESSAGE = "If an account exists for this address, a sign-in link is on its way. It works once, for a short time."
REFUSAL_HEADERS = {"Cache-Control": "no-store"}


class SignInLinkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str = Field(max_length=254, description="The address to send the link to (surrounding spaces are ignored)",
                       json_schema_extra={"pattern": f"^[{WHITESPACE}]*{_EMAIL.pattern[1:-1]}[{WHITESPACE}]*$"})
    next: str | None = Field(default=None, max_length=2048, description="A path on this portal to land on after signing in")

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str) -> str:
        if not _EMAIL.fullmatch(value):
            raise ValueError("Enter an email address such as name@example.com")
        return value


class Accepted(BaseModel):
    status: str
    message: str


@router.post(
    "/sign-in-links",
    status_code=202,
    response_model=Accepted,
    summary="Ask for a sign-in link",
    responses={429: {"description": "Too many requests for this address or from this client; see Retry-After"}},
)
def ask_for_link(body: SignInLinkRequest, request: Request, db: Database = Depends(database),
                 cfg: Settings = Depends(settings)):
    """The same answer for every address, whether it has an active, a suspended or no account."""
    with db.transaction() as conn:
        decision = links.request_link(conn, cfg, body.email, body.next, client_address(request))
    if not decision.allowed:
        # the refusal's audit entry is committed; the answer is the same for every address
        return error_response(429, "rate_limited", "Too many sign-in link requests. Try again later.",
                              headers={"Retry-After": str(decision.retry_after_seconds)})
    return {"status": "accepted", "message": ACCEPTED_MESSAGE}


def _refusal(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "sign_in_refused.html", {}, status_code=400, headers=REFUSAL_HEADERS)


_REFUSED = {400: html_page("The link is unknown, used, expired or malformed: the same page for each")}


@router.get("/magic-link", response_class=HTMLResponse, summary="The page an emailed sign-in link opens",
            response_description="The confirmation form (nothing is consumed yet)", responses=_REFUSED)
def open_link(request: Request, token: str | None = None, db: Database = Depends(database)):
    """Shows a confirmation form and consumes nothing: mail scanners fetch links before people do."""
    with db.transaction() as conn:
        refused = links.check_link(conn, token) is not None
    if refused:
        return _refusal(request)
    return templates.TemplateResponse(request, "confirm_sign_in.html", {"token": token}, headers=REFUSAL_HEADERS)


@router.post("/magic-link", summary="Confirm a sign-in link and start a session", status_code=303,
             response_class=RedirectResponse,
             dependencies=[Depends(same_origin_form)],
             responses={**_REFUSED, 403: html_page("cross_site_form: the form was posted from another site's page")},
             response_description="Signed in: the session cookie is set, on to the link's landing path",
             openapi_extra={"responses": {"303": {"headers": {"Set-Cookie": SET_COOKIE}}}})
def confirm_link(request: Request, token: Annotated[str | None, Form()] = None,
                 db: Database = Depends(database), cfg: Settings = Depends(settings)):
    with db.transaction() as conn:  # committed before the browser gets its cookie
        outcome = links.confirm_link(conn, cfg, token, session_cookie(request))
    if isinstance(outcome, links.Refusal):
        return _refusal(request)
    response = RedirectResponse(outcome.next_path, status_code=303)
    set_session_cookie(response, request, cfg, outcome.session_id)
    return response


@router.post("/sign-out", status_code=204, summary="End the current session")
def sign_out(request: Request, db: Database = Depends(database), cfg: Settings = Depends(settings)) -> Response:
    with db.transaction() as conn:
        sessions.end(conn, session_cookie(request))
    response = Response(status_code=204)
    response.delete_cookie(cfg.session_cookie_name, path="/", httponly=True, samesite="lax", secure=is_https(request))
    return response
