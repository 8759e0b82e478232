"""A fake of Resend's email API (POST /emails) with its real request and answer formats, and
Resend's webhooks as Svix signs them.

The fake records each email the portal sends (the captured outbox) and every call it receives,
honours Idempotency-Key as Resend does (same key and payload: the original id, nothing sent
again; same key, other payload: 409), and can be told to fail, to lose its answer, or to stop
answering for a while.
"""
from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html.parser import HTMLParser

import requests
from svix.webhooks import Webhook

RESEND_API = "https://api.resend.com"
FAKE_API_KEY = "re_spec_fake_key_not_a_secret_0000"
# the signing secret of the run's webhook endpoint, in Resend's format (whsec_ + base64 key)
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"portal-spec webhook key, not a secret").decode()
# the secret Resend signed with before the last change of secret; during a change it signs with both
RETIRED_WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"portal-spec retired webhook key").decode()


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
    lose_answer: bool = False  # handle the call as usual, then never answer


@dataclass(frozen=True)
class Call:
    """One call the portal made to POST /emails, whatever came of it."""
    idempotency_key: str | None
    to: tuple[str, ...]


class ResendFake:
    def __init__(self, network):
        self._lock = threading.Condition()
        self.sent: list[SentEmail] = []
        self.calls: list[Call] = []
        self.attempts = 0
        self._by_key: dict[str, tuple[str, str]] = {}
        self._script: deque[_Scripted] = deque()
        self._next_ids: deque[str] = deque()
        self._open = threading.Event()
        self._open.set()
        network.mocker.post(f"{RESEND_API}/emails", json=self._send)

    # -- what a scenario arranges -------------------------------------------------------
    def reset(self) -> None:
        self.release()
        with self._lock:
            self.sent.clear()
            self.calls.clear()
            self._by_key.clear()
            self._script.clear()
            self._next_ids.clear()
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

    def assign_next_id(self) -> str:
        """The id the next accepted email will get, known in advance (Resend ids are UUIDs)."""
        email_id = str(uuid.uuid4())
        with self._lock:
            self._next_ids.append(email_id)
        return email_id

    def lose_next_answer(self) -> None:
        """The next call is handled as usual (an email is sent) but its answer never arrives."""
        with self._lock:
            self._script.append(_Scripted(200, {}, lose_answer=True))

    def hold(self) -> None:
        """Stop answering: calls wait until release() (or 30 s, so nothing hangs for ever).

        requests-mock lets one call through at a time, process-wide: while one call waits here,
        others wait in requests-mock, for at most 10 s before it fails them. Release sooner."""
        self._open.clear()

    def release(self) -> None:
        self._open.set()


    # -- what a scenario observes -------------------------------------------------------
    def calls_matching(self, predicate) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if predicate(c)]

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
            self.calls.append(Call(request.headers.get("Idempotency-Key"), _recipients(request.body)))
            if not request.headers.get("Authorization", "").startswith("Bearer re_"):
                context.status_code = 401
                return {"statusCode": 401, "name": "missing_api_key", "message": "Missing API key in the authorization header."}
            if self._script and not self._script[0].lose_answer:
                scripted = self._script.popleft()
                if scripted.unreachable:
                    raise requests.exceptions.ConnectTimeout(f"{RESEND_API} could not be reached (scripted)")
                context.status_code = scripted.status
                context.headers.update(scripted.headers)
                return scripted.body
            lose_answer = bool(self._script) and self._script.popleft().lose_answer
            answer = self._accept(request, context)
            if lose_answer:
                raise requests.exceptions.ReadTimeout(f"{RESEND_API} took the email but its answer was lost (scripted)")
            return answer

    def _accept(self, request, context):
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
        email_id = self._next_ids.popleft() if self._next_ids else str(uuid.uuid4())
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


def _recipients(body) -> tuple[str, ...]:
    try:
        to = json.loads(body).get("to", [])
    except (TypeError, ValueError, AttributeError):
        return ()
    return tuple(to if isinstance(to, list) else [to])


# -- webhooks: what Resend sends the portal, signed as Svix signs it ---------------------------

def new_message_id() -> str:
    """An id shaped like Svix's message ids (`msg_` and 27 characters)."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    return "msg_" + "".join(secrets.choice(alphabet) for _ in range(27))


def resend_time(moment: datetime) -> str:
    """Resend's timestamps: ISO 8601 in UTC with milliseconds, `2026-05-01T10:00:00.000Z`."""
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def envelope(event_type: str, *, email_id: str, to: list[str], subject: str, occurred_at: datetime,
             email_created_at: datetime | None = None, sender: str = "Northlight Studio <portal@northlight.example>",
             extra: dict | None = None) -> dict:
    """A Resend webhook body (PROVIDERS.md): `type`, `created_at` (the event's time) and `data`."""
    data = {
        "created_at": resend_time(email_created_at or occurred_at),
        "email_id": email_id,
        "from": sender,
        "to": to,
        "subject": subject,
        "tags": {"template": "sign_in_link"},
    }
    data.update(extra or {})
    return {"type": event_type, "created_at": resend_time(occurred_at), "data": data}


def event_details(event_type: str, *, bounce_type: str = "Permanent", link: str = "https://northlight.example/") -> dict:
    """The part of `data` that only some event types carry, with realistic values."""
    return {
        "email.bounced": {"bounce": {
            "type": bounce_type,
            "subType": {"Permanent": "General", "Transient": "MailboxFull"}.get(bounce_type, "Undetermined"),
            "message": {"Permanent": "550 5.1.1 The email account that you tried to reach does not exist.",
                        "Transient": "452 4.2.2 The recipient's mailbox is full."}.get(
                            bounce_type, "The recipient's server did not say why."),
        }},
        "email.clicked": {"click": {"ipAddress": "198.51.100.7", "link": link,
                                    "timestamp": resend_time(datetime.now(timezone.utc)),
                                    "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15"}},
        "email.failed": {"failed": {"reason": "reached_daily_quota"}},
        "email.suppressed": {"suppressed": {"message": "The address is on the account's suppression list.",
                                            "type": "OnAccountSuppressionList"}},
    }.get(event_type, {})


def signed_headers(body: str, *, message_id: str, timestamp: datetime, secret: str = WEBHOOK_SECRET) -> dict:
    """The three headers Svix sends, signed exactly as Svix signs: `v1,` + base64 HMAC-SHA256 of
    `{id}.{timestamp}.{body}` under the secret's key."""
    return {
        "svix-id": message_id,
        "svix-timestamp": str(int(timestamp.timestamp())),
        "svix-signature": Webhook(secret).sign(message_id, timestamp.astimezone(timezone.utc), body),
        "content-type": "application/json",
        "user-agent": "Svix-Webhooks/1.24.0",
    }

