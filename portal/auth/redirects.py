"""Where a user may be sent after signing in: only a path on this portal."""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

HOME = "/"
MAX_NEXT_LENGTH = 2048


def safe_next_path(candidate: str | None) -> str:
    """Return `candidate` when it is a same-origin path, else the home page.

    Refused: absolute URLs, scheme-relative `//host`, backslashes (browsers read `/\\host` as
    `//host`), raw whitespace and control characters, and the same tricks percent-encoded once
    (an encoded space, as in `/search?q=final%20cut`, is an ordinary part of a path).
    """
    if not candidate or len(candidate) > MAX_NEXT_LENGTH:
        return HOME
    if any(ch.isspace() for ch in candidate):
        return HOME
    for form in (candidate, unquote(candidate)):
        if not form.startswith("/") or form.startswith("//") or "\\" in form:
            return HOME
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in form):
            return HOME
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return HOME
    return candidate
