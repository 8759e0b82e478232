"""A fake of Resend's email API (POST /emails) with its real request and answer formats.

It records each email the portal sends (the captured outbox), honours Idempotency-Key as
Resend does (same key and payload: the original id, nothing sent again; same key, other
payload: 409), and can be told to fail or to stop answering for a while.
"""
from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser

import requests

RESEND_API = "https://api.resend.com"
FAKE_API_KEY = "re_spec_fake_key_not_a_secret_0000"


@dataclass
class SentEmail:
    id: str
    sender: str
    to: list[str]
    subject: str
    html: str
    text: str
    tags: list[dict]
    idempotency_key: str | None
    authorization: str

    @property
    def links(self) -> list[str]:
        collector = _LinkCollector()
        collector.feed(self.html)
        return collector.links or re.findall(r"https?://\S+", self.text)

    def as_seen_by_recipient(self) -> str:
        return self.html


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


@dataclass
class _Scripted:
    status: int
    body: dict
    headers: dict = field(default_factory=dict)
    unreachable: bool = False


class ResendFake:
    def __init__(self, network):
        self._lock = threading.Condition()
        self.sent: list[SentEmail] = []
        self.attempts = 0
        self._by_key: dict[str, tuple[str, str]] = {}
        self._script: deque[_Scripted] = deque()
        self._open = threading.Event()
        self._open.set()
        network.mocker.post(f"{RESEND_API}/emails", json=self._send)

    # -- what a scenario arranges -------------------------------------------------------
    def reset(self) -> None:
        self.release()
        with self._lock:
            self.sent.clear()
            self._by_key.clear()
            self._script.clear()
            self.attempts = 0

    def fail_next(self, count: int, status: int, name: str, message: str, headers: dict | None = None) -> None:
        with self._lock:
            for _ in range(count):
                self._script.append(_Scripted(status, {"statusCode": status, "name": name, "message": message},
                                              headers or {}))

    def unreachable(self, count: int = 1) -> None:
        """The next `count` calls fail as if the network could not reach Resend."""
        with self._lock:
            for _ in range(count):
                self._script.append(_Scripted(0, {}, unreachable=True))

    def hold(self) -> None:
        """Stop answering: calls wait until release() (or 30 s, so nothing hangs for ever)."""
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    # -- what a scenario observes -------------------------------------------------------
    def emails_to(self, address: str) -> list[SentEmail]:
        with self._lock:
            return [e for e in self.sent if address.lower() in (t.lower() for t in e.to)]

    def wait_for_email_to(self, address: str, count: int = 1, timeout: float = 10.0) -> list[SentEmail]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [e for e in self.sent if address.lower() in (t.lower() for t in e.to)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"no email to {address} within {timeout:.0f}s; the provider received "
                        f"{len(self.sent)} email(s) in this scenario, to: "
                        f"{', '.join(sorted({t for e in self.sent for t in e.to})) or 'nobody'}"
                    )
                self._lock.wait(remaining)

    # -- the provider's side ----------------------------------------------------------
    def _send(self, request, context):
        self._open.wait(timeout=30)
        with self._lock:
            self.attempts += 1
            if not request.headers.get("Authorization", "").startswith("Bearer re_"):
                context.status_code = 401
                return {"statusCode": 401, "name": "missing_api_key", "message": "Missing API key in the authorization header."}
            if self._script:
                scripted = self._script.popleft()
                if scripted.unreachable:
                    raise requests.exceptions.ConnectTimeout(f"{RESEND_API} could not be reached (scripted)")
                context.status_code = scripted.status
                context.headers.update(scripted.headers)
                return scripted.body
            try:
                payload = json.loads(request.body)
            except (TypeError, ValueError):
                context.status_code = 400
                return {"statusCode": 400, "name": "validation_error", "message": "Invalid JSON body."}
            missing = [f for f in ("from", "to", "subject") if not payload.get(f)]
            if missing or not (payload.get("html") or payload.get("text")):
                context.status_code = 422
                return {"statusCode": 422, "name": "missing_required_field",
                        "message": f"Missing required field(s): {', '.join(missing) or 'html or text'}."}
            key = request.headers.get("Idempotency-Key")
            fingerprint = json.dumps(payload, sort_keys=True)
            if key and key in self._by_key:
                known_id, known_fingerprint = self._by_key[key]
                if known_fingerprint != fingerprint:
                    context.status_code = 409
                    return {"statusCode": 409, "name": "invalid_idempotent_request",
                            "message": "Same idempotency key used with a different request payload."}
                context.status_code = 200
                return {"id": known_id}
            email_id = str(uuid.uuid4())
            to = payload["to"] if isinstance(payload["to"], list) else [payload["to"]]
            self.sent.append(SentEmail(
                id=email_id, sender=payload["from"], to=to, subject=payload["subject"],
                html=payload.get("html", ""), text=payload.get("text", ""), tags=payload.get("tags", []),
                idempotency_key=key, authorization=request.headers.get("Authorization", ""),
            ))
            if key:
                self._by_key[key] = (email_id, fingerprint)
            self._lock.notify_all()
            context.status_code = 200
            return {"id": email_id}
