"""The guest's side of a share link, under /s/{key}: pages for a browser, no account needed.

Unknown, malformed, expired and revoked keys all get the same refusal page, status and headers,
on every address below, so a guest cannot tell which it was.
"""
from __future__ import annotations

import logging
from typing import Annotated
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from psycopg import Connection

from portal.config import Settings
from portal.web.deps import Database, database, client_address, is_https, settings, templates
from portal.web.errors import ApiError
from portal.web.middleware import is_head_request
from portal.web.openapi import error, html_page
from portal.web.origin import same_origin_form

from portal.video import playback as mux_playback
from portal.web.routing import PortalRoute

from . import guest, policy

log = logging.getLogger(__name__)
router = APIRouter(route_class=PortalRoute, prefix="/s", tags=["guests"])
ACCESS_COOKIE = "share_access"
NO_STORE = {"Cache-Control": "no-store"}  # the pages' addresses carry the key: keep them out of caches


def _page(request: Request, template: str, status: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status,
                                      headers={**NO_STORE, **(headers or {})})


def refusal(request: Request) -> HTMLResponse:
    return _page(request, "share_link_unavailable.html", status=404)


def _password_page(request: Request, token: str, status: int = 401, **context) -> HTMLResponse:
    return _page(request, "share_link_password.html", status=status, token=token, **context)


def _open(conn: Connection, request: Request, token: str) -> guest.OpenLink | HTMLResponse:
    """The live link this browser may use now, or the page to answer instead."""
    link = guest.live_link(conn, token)
    if link is None:
        return refusal(request)
    if not guest.is_unlocked(conn, link, request.cookies.get(ACCESS_COOKIE)):
        return _password_page(request, token)
    return link


CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; "
                           f"media-src 'self' {mux_playback.STREAM}; img-src 'self' {mux_playback.IMAGE}; "
                           "form-action 'self'; frame-ancestors 'none'")


def _duration(seconds) -> str | None:
    if seconds is None:
        return None
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


_PASSWORD = {401: html_page("The link has a password and this browser has not entered it: the password form")}
_REFUSED = {404: html_page("Unknown, malformed, expired or revoked: the same page, status and headers for each")}


@router.get("/{token}", response_class=HTMLResponse, summary="The page a share link opens",
            response_description="The asset's page", responses={**_PASSWORD, **_REFUSED})
def open_link(token: str, request: Request, db: Database = Depends(database), cfg: Settings = Depends(settings)):
    """Shows the asset and appends a view to the link's view log; asks for the password first
    when the link has one."""
    with db.transaction() as conn:
        link = _open(conn, request, token)
        if not isinstance(link, guest.OpenLink):
            return link
        guest.record_view(conn, link, cfg.secret_key, client_address(request), request.headers.get("user-agent", ""),
                          # a HEAD looks at the page without viewing it
                          viewed=not is_head_request(request.scope))
        return _page(request, "share_link.html", headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
                     token=token, title=link.asset.title, version=link.asset.version,
                     duration=_duration(link.asset.duration_seconds), ready=link.asset.status == "ready",
                     download=link.permission.allows_download,
                     expires=link.expires_at.strftime("%d %B %Y, %H:%M UTC"))


def _sent_on(request: Request, token: str, address) -> Response:
    """303 to the signed Mux address `address()` makes; the refusal when the cut has nothing to play."""
    try:
        url = address()
    except mux_playback.NoSigningKey as exc:  # a misconfigured portal: said in the log, not to the guest
        log.error("cannot sign a Mux address: %s", exc)
        return _page(request, "share_link_unavailable.html", status=503)
    if url is None:  # not ready (yet): there is nothing to play
        return _page(request, "share_link_unavailable.html", status=404)
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


_MEDIA = {**_PASSWORD, **_REFUSED, 503: html_page("The portal cannot sign Mux addresses (misconfigured): the unavailable page")}


@router.get("/{token}/playback", summary="Where the player streams the cut from (Mux, a short-lived signed address)",
            status_code=303, response_class=RedirectResponse, response_description="On to the signed Mux address",
            responses=_MEDIA)
def playback(token: str, request: Request, db: Database = Depends(database), cfg: Settings = Depends(settings)):
    with db.transaction() as conn:
        link = _open(conn, request, token)
        if not isinstance(link, guest.OpenLink):
            return link
        return _sent_on(request, token, lambda: guest.playback_url(link, cfg))


@router.get("/{token}/thumbnail", summary="The cut's poster image (Mux, a short-lived signed address)",
            status_code=303, response_class=RedirectResponse, response_description="On to the signed Mux address",
            responses=_MEDIA)
def thumbnail(token: str, request: Request, db: Database = Depends(database), cfg: Settings = Depends(settings)):
    with db.transaction() as conn:
        link = _open(conn, request, token)
        if not isinstance(link, guest.OpenLink):
            return link
        return _sent_on(request, token, lambda: guest.thumbnail_url(link, cfg))


@router.get("/{token}/download", summary="Download the cut (Mux's MP4 rendition), when the link allows it",
            status_code=303, response_class=RedirectResponse, response_description="On to the signed Mux address",
            responses={**_MEDIA, 403: html_page("The link does not allow downloads")})
def download(token: str, request: Request, db: Database = Depends(database), cfg: Settings = Depends(settings)):
    with db.transaction() as conn:
        link = _open(conn, request, token)
        if not isinstance(link, guest.OpenLink):
            return link
        if not link.permission.allows_download:
            return _page(request, "share_link_no_download.html", status=403, token=token)
        return _sent_on(request, token, lambda: guest.download_url(link, cfg))


@router.post("/{token}/unlock", summary="Enter a link's password (form field `password`)", status_code=303,
             response_class=RedirectResponse, response_description="Unlocked (or no password needed): on to the link's page",
             dependencies=[Depends(same_origin_form)],
             responses={401: html_page("A wrong password: the form again"), **_REFUSED,
                        403: html_page("cross_site_form: the form was posted from another site's page"),
                        422: error("No password, or a longer one than any link has"),
                        429: html_page("Too many wrong passwords: locked for the minutes the page says")},
             # the handler checks the field itself (see below); the form needs it all the same
             openapi_extra={"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
                 "schema": {"type": "object", "required": ["password"], "properties": {
                     "password": {"type": "string", "minLength": 1, "maxLength": policy.MAX_PASSWORD_LENGTH}}}}}}})
def unlock(token: str, request: Request, password: Annotated[str | None, Form()] = None,
           db: Database = Depends(database), cfg: Settings = Depends(settings)) -> Response:
    with db.transaction() as conn:
        if password is None or len(password) > policy.MAX_PASSWORD_LENGTH:
            # checked here, not by the form model: the portal's handler reads form errors as a wrong media type
            problem = "This field is required." if password is None else \
                f"At most {policy.MAX_PASSWORD_LENGTH} characters."
            raise ApiError(422, "validation_failed", "Some fields are missing or invalid.", {"password": problem})
        link = guest.live_link(conn, token)
        if link is None:
            return refusal(request)
        if not link.password_protected:
            return RedirectResponse(f"/s/{token}", status_code=303, headers=NO_STORE)
        outcome = guest.unlock(conn, link, password, cfg.secret_key, client_address(request))
        if isinstance(outcome, guest.Unlocked):
            response = RedirectResponse(f"/s/{token}", status_code=303, headers=NO_STORE)
            response.set_cookie(ACCESS_COOKIE, outcome.grant, max_age=policy.UNLOCK_HOURS * 3600, path=f"/s/{token}",
                                httponly=True, samesite="lax", secure=is_https(request))
            return response
        # answered, not raised, so that the transaction holding the recorded failure commits
        attempt, decision = outcome
        if attempt is guest.Attempt.LOCKED:
            minutes = max(1, -(-decision.retry_after_seconds // 60))
            return _password_page(request, token, status=429, locked_minutes=minutes,
                                  headers={"Retry-After": str(decision.retry_after_seconds)})
        return _password_page(request, token, wrong=True)
