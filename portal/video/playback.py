"""Mux's signed playback: every address a guest gets carries `?token=<JWT>`, an RS256 token signed
with the studio's URL signing key (`kid` its id; `sub` the playback id; `aud` `v` for video, `t`
for a thumbnail; `exp` at most the portal's media TTL ahead). The private key is the base64 PEM
Mux shows once; PyJWT signs.
"""
from __future__ import annotations

import base64
import binascii
from functools import lru_cache
from typing import Iterable
from urllib.parse import quote

import jwt
from cryptography.hazmat.primitives import serialization

from .mux import DOWNLOAD_RENDITION, Environment

STREAM = "https://stream.mux.com"
IMAGE = "https://image.mux.com"
VIDEO, THUMBNAIL = "v", "t"


class NoSigningKey(Exception):
    pass


@lru_cache(maxsize=4)
def _pem(encoded: str) -> bytes:
    text = encoded.strip()
    if text.startswith("-----BEGIN"):
        return text.encode("ascii")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoSigningKey("the Mux signing key is neither a PEM nor a base64 PEM") from None


@lru_cache(maxsize=4)
def _private_key(encoded: str):
    """The signing key, loaded once: loading an RSA key checks it, which costs tens of milliseconds,
    far more than signing with it."""
    try:
        return serialization.load_pem_private_key(_pem(encoded), password=None)
    except (ValueError, TypeError):
        raise NoSigningKey("the Mux signing key is not a private key in PEM form") from None


def load_signing_keys(environments: Iterable[Environment]) -> None:
    """Load every configured signing key now (at start-up), so that no guest's first playback waits
    for it. A key that does not load is left to the request that needs it, which says why in the log."""
    for environment in environments:
        if environment.signing_key:
            try:
                _private_key(environment.signing_key)
            except NoSigningKey:
                pass


def token(environment: Environment, playback_id: str, audience: str, expires: int) -> str:
    if not (environment.signing_key_id and environment.signing_key):
        raise NoSigningKey(f"no Mux signing key is configured for the {environment.residency} environment")
    return jwt.encode({"sub": playback_id, "aud": audience, "exp": expires}, _private_key(environment.signing_key),
                      algorithm="RS256", headers={"kid": environment.signing_key_id})


def stream_url(environment: Environment, playback_id: str, expires: int) -> str:
    return f"{STREAM}/{quote(playback_id, safe='')}.m3u8?token={token(environment, playback_id, VIDEO, expires)}"


def thumbnail_url(environment: Environment, playback_id: str, expires: int) -> str:
    return (f"{IMAGE}/{quote(playback_id, safe='')}/thumbnail.jpg"
            f"?token={token(environment, playback_id, THUMBNAIL, expires)}")


def download_url(environment: Environment, playback_id: str, expires: int) -> str:
    return (f"{STREAM}/{quote(playback_id, safe='')}/{DOWNLOAD_RENDITION}.mp4"
            f"?token={token(environment, playback_id, VIDEO, expires)}")
