"""Reading the portal's HTML pages as a person does: the form a page offers, and what a guest's
share-link page shows."""
from __future__ import annotations

from html.parser import HTMLParser

from support.harness.http import Exchange


class Form(HTMLParser):
    """The first form of a page: where it posts and the fields it sends."""

    def __init__(self):
        super().__init__()
        self.action: str | None = None
        self.method = "get"
        self.fields: dict[str, str] = {}
        self._state = "before"  # before -> inside -> after the first form

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self._state == "before":
            self._state = "inside"
            self.action, self.method = attrs.get("action", ""), (attrs.get("method") or "get").lower()
        elif tag == "input" and self._state == "inside" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form" and self._state == "inside":
            self._state = "after"


def first_form(page: Exchange) -> Form | None:
    form = Form()
    form.feed(page.response_body)
    return form if form.action is not None else None


# -- what a guest sees ----------------------------------------------------------------------------

class GuestPage(HTMLParser):
    """The parts of a share-link page a person looks at."""

    def __init__(self, html: str):
        super().__init__()
        self.texts: dict[str, str] = {}
        self.heading = ""
        self.player: str | None = None
        self.download: str | None = None
        self.password_field = False
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h1":
            self._in = "h1"
        elif attrs.get("id"):
            self._in = attrs["id"]
        if tag == "video":
            self.player = attrs.get("src")
        if tag == "a" and attrs.get("id") == "download":
            self.download = attrs.get("href")
        if tag == "input" and attrs.get("type") == "password":
            self.password_field = True

    def handle_data(self, data):
        if self._in == "h1":
            self.heading += data
        elif self._in:
            self.texts[self._in] = self.texts.get(self._in, "") + data

    def handle_endtag(self, tag):
        self._in = None


def page_of(exchange: Exchange) -> GuestPage:
    return GuestPage(exchange.response_body)


# -- where a form post comes from ----------------------------------------------------------------
# What a browser says about the page that posted a form (Origin, Sec-Fetch-Site), by how a
# scenario names it. "{own}" stands for the portal's own origin.
ANOTHER_SITE = "https://evil.example"
CROSS_SITE_POSTS = {
    "saying so in both ways": {"Origin": ANOTHER_SITE, "Sec-Fetch-Site": "cross-site"},
    "saying so by its origin only": {"Origin": ANOTHER_SITE},
    "saying so by its fetch metadata only": {"Sec-Fetch-Site": "cross-site"},
    "from a page without an origin": {"Origin": "null"},
    "from a sibling site under the same domain": {"Origin": "https://files.northlight.example",
                                                  "Sec-Fetch-Site": "same-site"},
}
OWN_PAGE_POSTS = {
    "as a current browser says it": {"Origin": "{own}", "Sec-Fetch-Site": "same-origin"},
    "as a browser that sends only its origin": {"Origin": "{own}"},
    "as a client that says nothing about where it comes from": {},
}
CROSS_SITE_FORM = "cross_site_form"


def form_origin(client, how: str) -> dict[str, str]:
    """The headers a browser sends with a form post made `how` (a key of either table above)."""
    table = {**CROSS_SITE_POSTS, **OWN_PAGE_POSTS}
    if how not in table:
        raise AssertionError(f"no such kind of form post in the harness: {how!r} (known: {', '.join(table)})")
    own = str(client.http.base_url).rstrip("/")
    return {name: value.replace("{own}", own) for name, value in table[how].items()}


def refused_as_cross_site(exchange: Exchange) -> str | None:
    """None when the answer is the portal's page for a form from another site; else what is wrong."""
    if exchange.status != 403:
        return f"expected 403, got {exchange.status}"
    if not exchange.response_content_type.startswith("text/html"):
        return f"expected an HTML page, got {exchange.response_content_type!r}"
    if f'data-error="{CROSS_SITE_FORM}"' not in exchange.response_body:
        return f"the page does not name the error {CROSS_SITE_FORM}"
    if (exchange.header("cache-control") or "") != "no-store":
        return "the page may be stored by caches (no Cache-Control: no-store)"
    if any(name.lower() == "set-cookie" for name, _ in exchange.response_headers):
        return "the refusal sets a cookie"
    return None
