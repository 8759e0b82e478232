"""Mux's HTTP API, as the portal uses it: creating a direct upload, deleting an asset.

One Mux environment per data residency (`anywhere`, `australia`), each with its own access token,
webhook signing secret and URL signing key. Calls go through `requests` with HTTP Basic (token id
and secret); nothing here ever logs or returns a secret.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

import requests

from portal.config import Settings

log = logging.getLogger(__name__)

ANYWHERE = "anywhere"
AUSTRALIA = "australia"
RESIDENCIES = (ANYWHERE, AUSTRALIA)

# the static MP4 rendition guests download (Mux's `static_renditions`, resolution `highest`):
# the one place that names it
DOWNLOAD_RENDITION = "highest"


@dataclass(frozen=True)
class Environment:
    residency: str
    token_id: str = ""
    token_secret: str = field(default="", repr=False)
    webhook_secret: str = field(default="", repr=False)
    signing_key_id: str = ""
    signing_key: str = field(default="", repr=False)

    @property
    def configured(self) -> bool:
        return bool(self.token_id and self.token_secret)


def environments(settings: Settings) -> dict[str, Environment]:
    return {
        ANYWHERE: Environment(ANYWHERE, settings.mux_token_id, settings.mux_token_secret, settings.mux_webhook_secret,
                              settings.mux_signing_key_id, settings.mux_signing_key),
        AUSTRALIA: Environment(AUSTRALIA, settings.mux_au_token_id, settings.mux_au_token_secret,
                               settings.mux_au_webhook_secret, settings.mux_au_signing_key_id,
                               settings.mux_au_signing_key),
    }


def readiness(pool, settings: Settings) -> str:
    """The readiness probe (portal/health/checks.py): `up` when the portal has what it needs of Mux's
    usual environment (an access token, the webhook secret and the URL signing key), else
    `not_configured`. Not critical: without Mux nothing is uploaded or played, all else works."""
    environment = environments(settings)[ANYWHERE]
    ready = environment.configured and environment.webhook_secret and environment.signing_key_id and environment.signing_key
    return "up" if ready else "not_configured"


class MuxUnavailable(Exception):
    """Mux could not be reached, answered 5xx, or the portal has no token for the environment."""


class MuxRefused(Exception):
    """Mux answered 4xx: the portal's call was wrong (or its token is). `detail` has no secrets."""

    def __init__(self, status: int, detail: str):
        super().__init__(f"Mux refused the call ({status}): {detail}")
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Upload:
    id: str
    url: str


def _messages(response: requests.Response) -> str:
    try:
        error = response.json().get("error", {})
        return "; ".join(error.get("messages") or []) or error.get("type") or response.reason
    except (ValueError, AttributeError):
        return response.reason or "no details"


class Client:
    def __init__(self, api_url: str, environment: Environment, timeout_seconds: int):
        self.api_url = api_url.rstrip("/")
        self.environment = environment
        self.timeout = timeout_seconds

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        if not self.environment.configured:
            raise MuxUnavailable(f"no Mux access token is configured for the {self.environment.residency} environment")
        try:
            response = requests.request(method, f"{self.api_url}{path}", timeout=self.timeout,
                                        auth=(self.environment.token_id, self.environment.token_secret), **kwargs)
        except requests.RequestException as exc:
            raise MuxUnavailable(f"Mux could not be reached: {type(exc).__name__}") from None
        if response.status_code >= 500:
            raise MuxUnavailable(f"Mux answered {response.status_code}: {_messages(response)}")
        if response.status_code >= 400:
            raise MuxRefused(response.status_code, _messages(response))
        return response

    def create_upload(self, *, cors_origin: str, passthrough: str, timeout_seconds: int) -> Upload:
        """A direct upload whose asset gets only signed playback ids and a downloadable MP4."""
        response = self._call("POST", "/video/v1/uploads", json={
            "cors_origin": cors_origin,
            "new_asset_settings": {
                "playback_policies": ["signed"],
                "passthrough": passthrough,
                "static_renditions": [{"resolution": DOWNLOAD_RENDITION}],
            },
            "timeout": timeout_seconds,
        })
        try:
            data = response.json()["data"]
            return Upload(id=str(data["id"]), url=str(data["url"]))
        except (ValueError, KeyError, TypeError):
            raise MuxUnavailable("Mux's answer to the upload did not say where to upload") from None

    def delete_asset(self, asset_id: str) -> None:
        """Delete the asset; one Mux no longer has (404) counts as deleted."""
        try:
            self._call("DELETE", f"/video/v1/assets/{asset_id}")
        except MuxRefused as refused:
            if refused.status != 404:
                raise


def client(settings: Settings, residency: str) -> Client:
    return Client(settings.mux_api_url, environments(settings)[residency], settings.mux_timeout_seconds)
