"""Secrets the portal hands out: how they are made, hashed, recognised and redacted."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets

TOKEN_BYTES = 32  # 256 bits from the operating system's CSPRNG
# token_urlsafe(32) is 43 characters of the URL-safe base64 alphabet, without padding
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The only form in which the portal stores a token: its SHA-256, hex encoded.

    A plain hash (no salt, no stretching) is right here: the token already carries 256 bits
    of entropy, so there is nothing to brute-force, and lookups stay a single index probe.
    """
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def looks_like_token(value: str | None) -> bool:
    return bool(value) and TOKEN_PATTERN.fullmatch(value) is not None


def redact_email(address: str) -> str:
    """`theo@agency.example` -> `t***@agency.example`: enough to recognise, not enough to contact."""
    local, at, domain = (address or "").strip().rpartition("@")
    if not at or not local or not domain:
        return "***"
    return f"{local[0]}***@{domain.lower()}"


_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def mask_addresses(text: str) -> str:
    """Every email address in `text` redacted as `redact_email` does, for what the portal keeps."""
    return _ADDRESS.sub(lambda m: redact_email(m.group(0)), text or "")


def fingerprint(value: str) -> str:
    """A stable, non-reversible key for rate-limit buckets built from personal data."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def keyed_fingerprint(key: str, value: str) -> str:
    """HMAC-SHA256 of `value` under the portal's secret, hex encoded.

    For personal data with little entropy, such as a network address: a plain SHA-256 of an
    IPv4 address is reversed by trying all 2^32 of them; without the key nobody can try.
    """
    return hmac.new(key.encode("utf-8"), value.encode("utf-8"), hashlib.sha256).hexdigest()


# a path segment that could be a key: 20 or more characters of base64url (hex included)
_KEY_LIKE_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_-]{20,}(?=/|$)")


def mask_path(path: str) -> str:
    """A request path fit for a log: every segment that could be a key masked (`/s/[masked]/x`)."""
    return _KEY_LIKE_SEGMENT.sub("[masked]", path or "")
