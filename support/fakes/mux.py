"""A fake of Mux Video with its real wire formats: direct uploads (POST /video/v1/uploads),
deleting assets (DELETE /video/v1/assets/<id>), and the webhooks Mux sends, signed as Mux signs
them (`mux-signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`).

Two Mux environments, as the studio has: `anywhere` and `australia` (data residency), each with
its own access token, webhook signing secret and URL signing key. The URL signing keys are RSA key
pairs made for this run; the suite checks each playback token with the public half.

Every call is checked against Mux's documented contract (support/fakes/contracts/mux.schema.json);
a call that breaks it gets Mux's 400 and is kept as a violation, which fails the scenario's step.
`fail_next(...)` scripts any error Mux documents; `unreachable(...)` makes the network fail.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

import requests

from support.fakes import contract

MUX_API = "https://api.mux.com"
ANYWHERE, AUSTRALIA = "anywhere", "australia"


@dataclass(frozen=True)
class Environment:
    residency: str
    name: str
    id: str
    token_id: str
    token_secret: str
    webhook_secret: str
    signing_key_id: str


ENVIRONMENTS = {
    ANYWHERE: Environment(ANYWHERE, "Production", "env-prod-0001", "spec-token-anywhere",
                          "spec-token-secret-anywhere-not-a-secret", "spec-webhook-secret-anywhere-not-a-secret",
                          "spec-signing-key-anywhere"),
    AUSTRALIA: Environment(AUSTRALIA, "Production AU", "env-au-0002", "spec-token-australia",
                           "spec-token-secret-australia-not-a-secret", "spec-webhook-secret-australia-not-a-secret",
                           "spec-signing-key-australia"),
}
# the webhook secret Mux signed with before the last rotation; during a rotation it signs with both
RETIRED_WEBHOOK_SECRET = "spec-webhook-secret-retired-not-a-secret"

# Mux's errors (https://docs.mux.com/api-reference#errors): status -> the error's type
ERRORS = {400: "invalid_parameters", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          429: "too_many_requests", 500: "internal_error", 502: "bad_gateway", 503: "service_unavailable"}


@lru_cache(maxsize=None)
def signing_key(residency: str):
    """The run's URL signing key of an environment: an RSA key pair (cryptography's object)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def signing_key_as_mux_shows_it(residency: str) -> str:
    """The private key as Mux shows it once: a base64-encoded PEM."""
    from cryptography.hazmat.primitives import serialization

    pem = signing_key(residency).private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption())
    return base64.b64encode(pem).decode()


def public_key(residency: str):
    return signing_key(residency).public_key()


def portal_settings() -> dict:
    """The portal's Mux settings that match this fake (for support/harness/run.py)."""
    anywhere, australia = ENVIRONMENTS[ANYWHERE], ENVIRONMENTS[AUSTRALIA]
    return dict(
        mux_api_url=MUX_API,
        mux_token_id=anywhere.token_id, mux_token_secret=anywhere.token_secret,
        mux_webhook_secret=anywhere.webhook_secret, mux_signing_key_id=anywhere.signing_key_id,
        mux_signing_key=signing_key_as_mux_shows_it(ANYWHERE),
        mux_au_token_id=australia.token_id, mux_au_token_secret=australia.token_secret,
        mux_au_webhook_secret=australia.webhook_secret, mux_au_signing_key_id=australia.signing_key_id,
        mux_au_signing_key=signing_key_as_mux_shows_it(AUSTRALIA),
    )


def error_body(status: int, message: str | None = None) -> dict:
    if status not in ERRORS:
        raise AssertionError(f"Mux documents no error with status {status}: {', '.join(map(str, ERRORS))}")
    body = {"error": {"type": ERRORS[status], "messages": [message or f"Scripted {ERRORS[status]} from the Mux fake."]}}
    contract.check("mux", "error.body", body)
    return body


def new_id() -> str:
    """An id shaped like Mux's (upload, asset and playback ids): 20-40 letters and digits."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(32))


@dataclass
class Upload:
    """A direct upload the portal created, and what it sent."""
    id: str
    url: str
    environment: Environment
    body: dict
    authorization: str
    asset_id: str = field(default_factory=new_id)
    playback_id: str = field(default_factory=new_id)

    @property
    def passthrough(self) -> str:
        return self.body["new_asset_settings"].get("passthrough", "")

    def as_mux_answers(self, status: str = "waiting", **extra) -> dict:
        data = {"id": self.id, "url": self.url, "status": status, "timeout": self.body.get("timeout", 3600),
                "cors_origin": self.body.get("cors_origin", ""), "new_asset_settings": self.body["new_asset_settings"]}
        data.update(extra)
        return data


@dataclass
class _Scripted:
    status: int
    body: dict
    unreachable: bool = False


class MuxFake:
    def __init__(self, network):
        self._lock = threading.Lock()
        self.uploads: list[Upload] = []
        self.deleted: list[tuple[str, str]] = []   # (residency, asset id) Mux deleted
        self.calls: list[str] = []                 # "POST /video/v1/uploads", ... every call, answered or not
        self.violations: list[str] = []
        self._script: dict[str, deque[_Scripted]] = {"upload": deque(), "delete": deque()}
        network.mocker.post(f"{MUX_API}/video/v1/uploads", text=self._create_upload)
        network.mocker.delete(re.compile(re.escape(MUX_API) + r"/video/v1/assets/[^/?]+$"), text=self._delete_asset)

    # -- what a scenario arranges ---------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self.uploads.clear()
            self.deleted.clear()
            self.calls.clear()
            self.violations.clear()
            for script in self._script.values():
                script.clear()

    def fail_next(self, count: int, status: int, *, call: str = "upload", message: str | None = None) -> None:
        """The next `count` calls (`upload` or `delete`) get the error Mux documents for `status`."""
        body = error_body(status, message)
        with self._lock:
            self._script[call].extend(_Scripted(status, body) for _ in range(count))

    def unreachable(self, count: int = 1, *, call: str = "upload") -> None:
        with self._lock:
            self._script[call].extend(_Scripted(0, {}, unreachable=True) for _ in range(count))

    # -- what a scenario observes ---------------------------------------------------------
    def take_violations(self) -> list[str]:
        with self._lock:
            taken, self.violations = self.violations, []
        return taken

    def upload_for(self, passthrough: str) -> Upload:
        with self._lock:
            for upload in self.uploads:
                if upload.passthrough == passthrough:
                    return upload
        raise AssertionError(f"Mux has no upload whose passthrough is {passthrough!r} "
                             f"({len(self.uploads)} upload(s) in this scenario)")

    # -- Mux's side -------------------------------------------------------------------------
    def _environment(self, request) -> Environment | None:
        authorization = request.headers.get("Authorization", "")
        for environment in ENVIRONMENTS.values():
            expected = base64.b64encode(f"{environment.token_id}:{environment.token_secret}".encode()).decode()
            if authorization == f"Basic {expected}":
                return environment
        return None

    def _scripted(self, call: str, context) -> dict | None:
        script = self._script[call]
        if not script:
            return None
        scripted = script.popleft()
        if scripted.unreachable:
            raise requests.exceptions.ConnectTimeout(f"{MUX_API} could not be reached (scripted)")
        context.status_code = scripted.status
        return scripted.body

    def _create_upload(self, request, context):
        context.headers["Content-Type"] = "application/json"
        with self._lock:
            self.calls.append("POST /video/v1/uploads")
            scripted = self._scripted("upload", context)
            if scripted is not None:
                return json.dumps(scripted)
            environment = self._environment(request)
            if environment is None:
                return self._refuse(context, 401, "request headers: no access token of a Mux environment")
            problems = [f"request headers: {p}" for p in contract.problems(
                "mux", "create_upload.request.headers", contract.lowercase_headers(request.headers))]
            try:
                body = json.loads(request.body)
            except (TypeError, ValueError):
                return self._refuse(context, 400, "request body: not JSON")
            problems += [f"request body: {p}" for p in contract.problems("mux", "create_upload.request.body", body)]
            if problems:
                return self._refuse(context, 400, *problems)
            upload_id = new_id()
            upload = Upload(id=upload_id, environment=environment, body=body,
                            url=f"https://storage.googleapis.com/video-storage-us-east1-uploads/{upload_id}?Signature={new_id()}",
                            authorization=request.headers.get("Authorization", ""))
            self.uploads.append(upload)
            answer = {"data": upload.as_mux_answers()}
            contract.check("mux", "create_upload.response.201", answer)
            context.status_code = 201
            return json.dumps(answer)

    def _delete_asset(self, request, context):
        context.headers["Content-Type"] = "application/json"
        # requests-mock lower-cases request.path; Mux's ids are case-sensitive
        asset_id = urlsplit(request.url).path.rsplit("/", 1)[-1]
        with self._lock:
            self.calls.append(f"DELETE /video/v1/assets/{asset_id}")
            scripted = self._scripted("delete", context)
            if scripted is not None:
                return json.dumps(scripted)
            environment = self._environment(request)
            if environment is None:
                return self._refuse(context, 401, "request headers: no access token of a Mux environment")
            known = any(u.asset_id == asset_id and u.environment == environment for u in self.uploads)
            if not known:
                context.status_code = 404
                return json.dumps(error_body(404, "Asset not found"))
            self.deleted.append((environment.residency, asset_id))
            context.status_code = 204
            return ""

    def _refuse(self, context, status: int, *problems: str) -> str:
        self.violations.extend(f"Mux call: {p} (Mux answers {status})" for p in problems)
        context.status_code = status
        return json.dumps(error_body(status, "; ".join(problems)[:300]))


# -- webhooks: what Mux sends the portal -----------------------------------------------------------

UPLOAD_EVENTS = ("video.upload.created", "video.upload.asset_created", "video.upload.cancelled", "video.upload.errored")


def event(event_type: str, upload: Upload, *, asset_errors: list[str] | None = None,
          duration: float = 272.64, aspect_ratio: str = "16:9", playback_policy: str = "signed") -> dict:
    """The body Mux sends for `event_type` about the asset (or upload) that came from `upload`."""
    now = str(int(time.time()))
    if event_type.startswith("video.upload."):
        status = {"video.upload.created": "waiting", "video.upload.asset_created": "asset_created",
                  "video.upload.cancelled": "cancelled", "video.upload.errored": "errored"}.get(event_type, "waiting")
        extra: dict = {}
        if status == "asset_created":
            extra["asset_id"] = upload.asset_id
        if status == "errored":
            extra["error"] = {"type": "invalid_file", "message": "The file could not be read as a video"}
        data = upload.as_mux_answers(status, **extra)
        obj = {"type": "upload", "id": upload.id}
    else:
        asset_status = {"video.asset.ready": "ready", "video.asset.errored": "errored"}.get(event_type, "preparing")
        data = {"id": upload.asset_id, "status": asset_status, "created_at": now, "upload_id": upload.id,
                "passthrough": upload.passthrough, "playback_ids": [{"id": upload.playback_id, "policy": playback_policy}]}
        if asset_status == "ready":
            data.update(duration=duration, aspect_ratio=aspect_ratio)
        if asset_status == "errored":
            data["errors"] = {"type": "invalid_input", "messages": asset_errors or ["The file is not a valid video"]}
        obj = {"type": "asset", "id": upload.asset_id}
    body = {"type": event_type, "id": f"evt-{new_id()}", "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
            "object": obj, "environment": {"name": upload.environment.name, "id": upload.environment.id},
            "data": data, "attempts": []}
    contract.check("mux", "webhook.event", body)
    return body


def signature(secrets_: list[str], body: bytes, timestamp: int | None = None) -> str:
    """The `mux-signature` header Mux sends: one `v1` per secret (several during a rotation)."""
    t = int(time.time()) if timestamp is None else timestamp
    parts = [f"t={t}"] + [
        "v1=" + hmac.new(s.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest() for s in secrets_]
    return ",".join(parts)
