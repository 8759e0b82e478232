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
