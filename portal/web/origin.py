"""Refusing HTML form posts that another site's page made a browser send (cross-site request
forgery, including login CSRF: a form on evil.example that posts the attacker's own sign-in key
and so signs the victim in as the attacker; SameSite=Lax does not stop a top-level POST).

Browsers say where a form post comes from: `Sec-Fetch-Site` (every current browser) and `Origin`
(on every cross-origin POST). A post is refused when either says another site. A request with
neither header comes from no current browser (curl, an old browser, an integration); it carries
no victim's cookies chosen by another site, so it is let through (README, "Security decisions").
"""
from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request

CROSS_SITE_FORM = "cross_site_form"
# same-origin: the portal's own page; none: typed in, a bookmark, the browser's own UI
_TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})


class CrossSiteForm(Exception):
    """A form post that another site made a browser send."""


def origin_of(url: str) -> str:
    """`https://portal.example:8443/path` -> `https://portal.example:8443` (lower-cased, default
    ports dropped), the form browsers send in `Origin`."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if not scheme or not host:
        return ""
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" + ("" if port is None or port == default else f":{port}")


def is_cross_site(origin: str | None, fetch_site: str | None, own_origins: set[str]) -> bool:
    """Did another site's page make the browser send this post?"""
    if fetch_site is not None and fetch_site.strip().lower() not in _TRUSTED_FETCH_SITES:
        return True
    if origin is not None:
        # "null": a sandboxed frame, a data: page or a redirect across sites; never the portal's page
        return origin_of(origin) not in own_origins
    return False


def own_origins(request: Request) -> set[str]:
    """The portal's own origin as configured (PORTAL_PUBLIC_URL) and as this request reached it."""
    origins = {origin_of(request.app.state.settings.public_url), origin_of(str(request.base_url))}
    return {o for o in origins if o}


def same_origin_form(request: Request) -> None:
    """A dependency for every state-changing HTML form: raises CrossSiteForm for another site's post."""
    if is_cross_site(request.headers.get("origin"), request.headers.get("sec-fetch-site"), own_origins(request)):
        raise CrossSiteForm()


def refusal_page(request: Request):
    """The answer to a cross-site form post: a page for the browser, 403, never stored."""
    from portal.web.deps import templates  # deps imports the error handlers, which import this module

    return templates.TemplateResponse(request, "cross_site_form.html", {"error": CROSS_SITE_FORM}, status_code=403,
                                      headers={"Cache-Control": "no-store"})
