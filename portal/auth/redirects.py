"""Where a user may be sent after signing in: only a path on this portal."""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

HOME = "/"
MAX_NEXT_LENGTH = 2048


def safe_next_path(candidate: str | None) -> str:
    """Return `candidate` when it is a same-origin path, else the home page.

    Refused: absolute URLs, scheme-relative `//host`, backslashes (browsers read `/\\host` as
    `//host`), control characters and whitespace, and the same tricks percent-encoded once.
    """
    if not candidate or len(candidate) > MAX_NEXT_LENGTH:
        return HOME
    for form in (candidate, unquote(candidate)):
        if not form.startswith("/") or form.startswith("//"):
            return HOME
        if "\\" in form or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in form):
            return HOME
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return HOME
    return candidate
