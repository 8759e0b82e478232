"""The guest's side of a share link, under /s/{key}: pages for a browser, no account needed.

Unknown, malformed, expired and revoked keys all get the same refusal page, status and headers,
on every address below, so a guest cannot tell which it was.
"""
from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from psycopg import Connection

from portal.config import Settings
from portal.web.deps import Database, database, client_address, is_https, settings, templates
from portal.web.errors import ApiError
from portal.web.middleware import is_head_request
from portal.web.origin import same_origin_form

from . import guest, policy

router = APIRouter(prefix="/s", tags=["guests"])
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


def _content_security_policy(media_url: str) -> str:
    parts = urlsplit(media_url)
    return ("default-src 'none'; style-src 'unsafe-inline'; "
            f"media-src 'self' {parts.scheme}://{parts.netloc}; form-action 'self'; frame-ancestors 'none'")


def _duration(seconds) -> str | None:
    if seconds is None:
        return None
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


@router.get("/{token}", response_class=HTMLResponse, summary="The page a share link opens")
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
        return _page(request, "share_link.html", headers={"Content-Security-Policy": _content_security_policy(cfg.media_url)},
                     token=token, title=link.asset.title, version=link.asset.version,
                     duration=_duration(link.asset.duration_seconds), ready=link.asset.status == "ready",
                     download=link.permission.allows_download,
                     expires=link.expires_at.strftime("%d %B %Y, %H:%M UTC"))


@router.get("/{token}/playback", summary="Where the player streams the asset from (a short-lived signed address)")
def playback(token: str, request: Request, db: Database = Depends(database), cfg: Settings = Depends(settings)):
    with db.transaction() as conn:
        link = _open(conn, request, token)
        if not isinstance(link, guest.OpenLink):
            return link
        url = guest.playback_url(link, cfg.media_url, cfg.secret_key, cfg.media_url_ttl_seconds)
        return RedirectResponse(url, status_code=303, headers=NO_STORE)


@router.get("/{token}/download", summary="Download the asset's file, when the link allows it")
def download(token: str, request: Request, db: Database = Depends(database), cfg: Settings = Depends(settings)):
    with db.transaction() as conn:
        link = _open(conn, request, token)
        if not isinstance(link, guest.OpenLink):
            return link
        if not link.permission.allows_download:
            return _page(request, "share_link_no_download.html", status=403, token=token)
        url = guest.download_url(link, cfg.media_url, cfg.secret_key, cfg.media_url_ttl_seconds)
        return RedirectResponse(url, status_code=303, headers=NO_STORE)


@router.post("/{token}/unlock", summary="Enter a link's password (form field `password`)",
             dependencies=[Depends(same_origin_form)],
             responses={403: {"description": "cross_site_form: the form was posted from another site's page"}})
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
