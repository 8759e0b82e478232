"""Mux's webhook signature: `mux-signature: t=<unix>,v1=<hex>`, where each `v1` is the lowercase
hex HMAC-SHA256 of "<t>.<raw body>" under the signing secret's UTF-8 bytes. Several `v1` may
come during a change of secret; `t` must be within TOLERANCE_SECONDS of now, both ways.
"""
from __future__ import annotations

import hashlib
import hmac

TOLERANCE_SECONDS = 300


class InvalidSignature(Exception):
    pass


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()


def parse_header(header: str | None) -> tuple[int, list[str]]:
    if not header:
        raise InvalidSignature("no mux-signature header")
    timestamp, signatures = None, []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t":
            if not value.isdigit() or timestamp is not None:
                raise InvalidSignature("a malformed timestamp")
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value.lower())
    if timestamp is None or not signatures:
        raise InvalidSignature("a mux-signature header without t= or v1=")
    return timestamp, signatures


def verify(header: str | None, body: bytes, secrets: list[str], now: float) -> str:
    """The secret (of those given) that signed `body`; InvalidSignature when none did, or `t` is stale."""
    timestamp, signatures = parse_header(header)
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise InvalidSignature("a timestamp more than 5 minutes off")
    for secret in secrets:
        if not secret:
            continue
        expected = sign(secret, timestamp, body)
        if any(hmac.compare_digest(expected, candidate) for candidate in signatures):
            return secret
    raise InvalidSignature("no signature matches")
