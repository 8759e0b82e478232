"""Short-lived signed addresses on the media store, for playback and download.

The portal never streams video itself: a guest's player and download button are sent on to the
media store (the CDN in front of the video service and the file storage) with an address that
carries its own expiry and an HMAC-SHA256 signature under the portal's secret. The store checks
both (`verify` is the check it runs) and serves nothing else. An address handed out before a
link was revoked therefore stays usable only for its short life (PORTAL_MEDIA_URL_TTL_SECONDS).
"""
from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote


def _signature(secret: str, path: str, expires: int) -> str:
    return hmac.new(secret.encode("utf-8"), f"{path}\n{expires}".encode("utf-8"), hashlib.sha256).hexdigest()


def signed_path(secret: str, path: str, expires: int) -> str:
    """`path` (already URL-quoted) with `expires` (Unix seconds) and its signature as the query."""
    return f"{path}?expires={expires}&signature={_signature(secret, path, expires)}"


def verify(secret: str, path: str, expires: int, signature: str, now: float) -> bool:
    if now >= expires:
        return False
    return hmac.compare_digest(_signature(secret, path, expires), signature)


def playback_path(playback_id: str) -> str:
    return f"/stream/{quote(playback_id, safe='')}.m3u8"


def file_path(storage_key: str) -> str:
    return "/files/" + quote(storage_key, safe="/")


def signed_url(media_url: str, secret: str, path: str, expires: int) -> str:
    return media_url + signed_path(secret, path, expires)
