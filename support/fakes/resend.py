"""A fake of Resend's email API (POST /emails) with its real request and answer formats, and
Resend's webhooks as Svix signs them.

The fake records each email the portal sends (the captured outbox) and every call it receives,
honours Idempotency-Key as Resend does (same key and payload: the original id, nothing sent
again; same key, other payload: 409), and can be told to fail with any error Resend documents,
to answer as a proxy in front of it would, to lose its answer, or to stop answering for a while.

It is no kinder than Resend: every call is checked against Resend's documented contract
(support/fakes/contracts/resend.schema.json). A call that breaks it gets the answer Resend gives
(400 invalid_idempotency_key, 403 invalid_api_key, 422 validation_error, ...) and is kept as a
violation, which fails the scenario's step (support/fixtures.py). Every answer carries the
headers Resend sends: `Content-Type: application/json` and the rate limit's `ratelimit-*`.
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

from support.fakes import contract

RESEND_API = "https://api.resend.com"
FAKE_API_KEY = "re_spec_fake_key_not_a_secret_0000"
# the signing secret of the run's webhook endpoint, in Resend's format (whsec_ + base64 key)
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"portal-spec webhook key, not a secret").decode()
# the secret Resend signed with before the last change of secret; during a change it signs with both
RETIRED_WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"portal-spec retired webhook key").decode()

# Resend's default rate limit: 5 requests per second per team (https://resend.com/docs/api-reference/rate-limit)
RATE_LIMIT_PER_SECOND = 5

# Resend's error catalogue (https://resend.com/docs/api-reference/errors): name -> status and the
# message Resend gives. `validation_error` has several statuses: fail_next(status=...) picks one.
ERRORS: dict[str, tuple[int, str]] = {
    "invalid_idempotency_key": (400, "The key must be between 1-256 chars."),
    "validation_error": (400, "We found an error with one or more fields in the request."),
    "missing_api_key": (401, "Missing API key in the authorization header."),
    "restricted_api_key": (401, "This API key is restricted to only send emails."),
    "invalid_api_key": (403, "API key is invalid."),
    "not_found": (404, "The requested endpoint does not exist."),
    "method_not_allowed": (405, "Method is not allowed for the requested path."),
    "invalid_idempotent_request": (409, "Same idempotency key used with a different request payload."),
    "concurrent_idempotent_requests": (409, "Same idempotency key used while original request is still in progress."),
    "invalid_attachment": (422, "Attachment must have either a `content` or `path`."),
    "invalid_from_address": (422, "Invalid `from` field. The email address needs to follow the "
                                  "`email@example.com` or `Name <email@example.com>` format."),
    "invalid_access": (422, "Access must be 'full_access' or 'sending_access'."),
    "invalid_parameter": (422, "The parameter must be a valid UUID."),
    "invalid_region": (422, "Region must be 'us-east-1' | 'eu-west-1' | 'sa-east-1'."),
    "missing_required_field": (422, "The request body is missing one or more required fields."),
    "daily_quota_exceeded": (429, "You have reached your daily email sending quota."),
    "monthly_quota_exceeded": (429, "You have reached your monthly email sending quota."),
    "rate_limit_exceeded": (429, f"Too many requests. You can only make {RATE_LIMIT_PER_SECOND} requests per second. "
                                 "See rate limit response headers for more information."),
    "security_error": (451, "We may have found a security issue with the request."),
    "application_error": (500, "An unexpected error occurred."),
    "internal_server_error": (500, "An unexpected error occurred."),
}
UNVERIFIED_DOMAIN = ("The northlight.example domain is not verified. Please, add and verify your domain "
                     "on https://resend.com/domains")


def error_body(name: str, status: int | None = None, message: str | None = None) -> dict:
    """An error answer as Resend gives it, checked against its catalogue (a name it does not
    document, or a status it does not give that name, fails at once)."""
    if name not in ERRORS:
        raise AssertionError(f"Resend documents no error called {name!r}: {', '.join(ERRORS)}")
    known_status, known_message = ERRORS[name]
    body = {"statusCode": status or known_status, "name": name, "message": message or known_message}
    contract.check("resend", "error.body", body)
    return body


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
    text: str | None = None    # not JSON: a page from a proxy in front of Resend


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
        self.violations: list[str] = []
        self._by_key: dict[str, tuple[str, str]] = {}
        self._script: deque[_Scripted] = deque()
        self._next_ids: deque[str] = deque()
        self._recent: deque[float] = deque()  # when the calls of the last second came
        self._open = threading.Event()
        self._open.set()
        network.mocker.post(f"{RESEND_API}/emails", text=self._send)

    # -- what a scenario arranges -------------------------------------------------------
    def reset(self) -> None:
        self.release()
        with self._lock:
            self.sent.clear()
            self.calls.clear()
            self.violations.clear()
            self._by_key.clear()
            self._script.clear()
            self._next_ids.clear()
            self._recent.clear()
            self.attempts = 0

    def fail_next(self, count: int, name: str, *, status: int | None = None, message: str | None = None,
                  headers: dict | None = None) -> None:
        """The next `count` calls get the error Resend documents as `name` (its status and message
        unless given; `validation_error` comes as 400, or 401/403 when asked)."""
        body = error_body(name, status, message)
        with self._lock:
            for _ in range(count):
                self._script.append(_Scripted(body["statusCode"], body, dict(headers or {})))

    def proxy_error(self, count: int = 1, status: int = 502) -> None:
        """The next `count` calls are answered by a proxy in front of Resend: a 5xx page, not JSON."""
        page = (f"<html><head><title>{status} Bad Gateway</title></head><body><center><h1>{status} Bad Gateway"
                "</h1></center><hr><center>cloudflare</center></body></html>")
        with self._lock:
            for _ in range(count):
                self._script.append(_Scripted(status, {}, {"Content-Type": "text/html"}, text=page))

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
    def take_violations(self) -> list[str]:
        """The calls since the last look that broke Resend's documented contract, one line each."""
        with self._lock:
            taken, self.violations = self.violations, []
        return taken

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
            remaining = self._count_call()
            scripted = self._script[0] if self._script else None
            if scripted is not None and scripted.unreachable:
                self._script.popleft()
                raise requests.exceptions.ConnectTimeout(f"{RESEND_API} could not be reached (scripted)")
            if scripted is not None and scripted.text is not None:
                self._script.popleft()  # a proxy answers before Resend sees the call
                context.status_code = scripted.status
                context.headers.update(scripted.headers)
                return scripted.text
            refusal = self._refusal(request)
            if refusal is not None:
                return self._answer(context, refusal, remaining)
            if scripted is not None and not scripted.lose_answer:
                self._script.popleft()
                return self._answer(context, scripted.body, remaining, scripted.headers)
            lose_answer = scripted is not None and self._script.popleft().lose_answer
            answer = self._accept(request)
            if lose_answer:
                raise requests.exceptions.ReadTimeout(f"{RESEND_API} took the email but its answer was lost (scripted)")
            return self._answer(context, answer, remaining)

    def _count_call(self) -> int:
        """Note the call in the rate limit's one-second window; the requests left in it."""
        now = time.monotonic()
        self._recent.append(now)
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        return max(0, RATE_LIMIT_PER_SECOND - len(self._recent))

    def _answer(self, context, body: dict, remaining: int, headers: dict | None = None) -> str:
        """Every answer as Resend gives it: JSON with its content type and the rate limit's headers."""
        status = body.get("statusCode", 200)
        context.status_code = status
        context.headers["Content-Type"] = "application/json"
        context.headers["ratelimit-limit"] = str(RATE_LIMIT_PER_SECOND)
        context.headers["ratelimit-remaining"] = "0" if body.get("name") == "rate_limit_exceeded" else str(remaining)
        context.headers["ratelimit-reset"] = "1"
        if body.get("name") == "rate_limit_exceeded":
            context.headers["retry-after"] = "1"
        context.headers.update(headers or {})
        return json.dumps(body)

    def _refusal(self, request) -> dict | None:
        """What Resend answers to a call that breaks its contract (None: the call is well formed).
        The call is also kept as a violation: the portal never means to send one."""
        headers = contract.lowercase_headers(request.headers)
        authorization = headers.get("authorization", "")
        if not authorization.startswith("Bearer "):
            return self._violation("missing_api_key", "request headers: no bearer API key")
        if authorization != f"Bearer {FAKE_API_KEY}":
            return self._violation("invalid_api_key", "request headers: an API key the team does not have")
        key = headers.get("idempotency-key")
        if key is not None and not 1 <= len(key) <= 256:
            return self._violation("invalid_idempotency_key",
                                   f"request headers: an Idempotency-Key of {len(key)} characters (1-256)")
        found = [f"request headers: {p}" for p in contract.problems("resend", "send_email.request.headers", headers)]
        try:
            payload = json.loads(request.body)
        except (TypeError, ValueError):
            return self._violation("validation_error", "request body: not JSON", message="Invalid JSON body.")
        body_problems = contract.problems("resend", "send_email.request.body", payload)
        found += [f"request body: {p}" for p in body_problems]
        if not found:
            return None
        if isinstance(payload, dict) and not all(payload.get(f) for f in ("from", "to", "subject")):
            return self._violation("missing_required_field", *found)
        if any(p.startswith("from:") for p in body_problems):
            return self._violation("invalid_from_address", *found)
        return self._violation("validation_error", *found, message="; ".join(found)[:300])

    def _violation(self, name: str, *problems: str, message: str | None = None, status: int | None = None) -> dict:
        self.violations.extend(f"POST /emails {p} (Resend answers {name})" for p in problems)
        return error_body(name, status, message)

    def _accept(self, request) -> dict:
        payload = json.loads(request.body)
        key = request.headers.get("Idempotency-Key")
        fingerprint = json.dumps(payload, sort_keys=True)
        if key and key in self._by_key:
            known_id, known_fingerprint = self._by_key[key]
            if known_fingerprint != fingerprint:
                return error_body("invalid_idempotent_request")
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
             tags: list[dict] | None = None, extra: dict | None = None) -> dict:
    """A Resend webhook body about an email Resend sent (OutboundEmailEventData): `type`,
    `created_at` (the event's time) and `data`, whose `tags` are the email's own tags as Resend
    reports them (an object of name: value)."""
    data = {
        "created_at": resend_time(email_created_at or occurred_at),
        "email_id": email_id,
        "from": sender,
        "to": list(to),
        "subject": subject,
    }
    if tags:
        data["tags"] = {tag["name"]: tag["value"] for tag in tags}
    data.update(extra or {})
    return {"type": event_type, "created_at": resend_time(occurred_at), "data": data}


def about_sent(event_type: str, sent: SentEmail, *, occurred_at: datetime, bounce_type: str = "Permanent") -> dict:
    """The body Resend sends for `event_type` about an email it accepted: built from that email
    (its id, sender, recipients, subject and tags), never from constants."""
    return envelope(event_type, email_id=sent.id, to=list(sent.to), subject=sent.subject, sender=sent.sender,
                    occurred_at=occurred_at, tags=sent.tags,
                    extra=event_details(event_type, to=sent.to, bounce_type=bounce_type,
                                        link=sent.links[0] if sent.links else "https://northlight.example/"))


def received(*, to: list[str], sender: str, subject: str, occurred_at: datetime) -> dict:
    """An `email.received` body: mail that came in to one of the team's addresses
    (EmailReceivedEventData: its own id and Message-ID, cc, bcc, attachments; no tags)."""
    return {"type": "email.received", "created_at": resend_time(occurred_at), "data": {
        "email_id": str(uuid.uuid4()),
        "created_at": resend_time(occurred_at),
        "from": sender,
        "to": list(to),
        "cc": [],
        "bcc": [],
        "subject": subject,
        "message_id": f"<{uuid.uuid4().hex}@mail.example.net>",
        "attachments": [],
    }}


def contact_event(event_type: str, *, address: str, occurred_at: datetime) -> dict:
    """A `contact.*` body (ContactEventData): a contact in one of the team's audiences."""
    return {"type": event_type, "created_at": resend_time(occurred_at), "data": {
        "id": str(uuid.uuid4()),
        "audience_id": str(uuid.uuid4()),
        "created_at": resend_time(occurred_at),
        "updated_at": resend_time(occurred_at),
        "email": address,
        "first_name": "Sam",
        "last_name": "Doe",
        "unsubscribed": False,
    }}


def domain_event(event_type: str, *, name: str, occurred_at: datetime) -> dict:
    """A `domain.*` body (DomainEventData): the sending domain and its DNS records."""
    return {"type": event_type, "created_at": resend_time(occurred_at), "data": {
        "id": str(uuid.uuid4()),
        "name": name,
        "status": "verified",
        "created_at": resend_time(occurred_at),
        "region": "eu-west-1",
        "records": [
            {"record": "SPF", "name": "send", "type": "MX", "ttl": "Auto", "status": "verified",
             "value": "feedback-smtp.eu-west-1.amazonses.com", "priority": 10},
            {"record": "DKIM", "name": "resend._domainkey", "type": "TXT", "ttl": "Auto", "status": "verified",
             "value": "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC"},
        ],
    }}


_BOUNCES = {
    "Permanent": ("General", "550 5.1.1", "The email account that you tried to reach does not exist."),
    "Transient": ("MailboxFull", "452 4.2.2", "The recipient's mailbox is full."),
    "Undetermined": ("Undetermined", "554 5.0.0", "The recipient's server did not say why."),
}


def event_details(event_type: str, *, to: list[str] | tuple[str, ...] = ("someone@example.net",),
                  bounce_type: str = "Permanent", link: str = "https://northlight.example/") -> dict:
    """The part of `data` that only some event types carry, with realistic values: a bounce's
    and a suppression's `diagnosticCode` has one SMTP answer per recipient, as Resend sends it."""
    sub_type, code, message = _BOUNCES.get(bounce_type, _BOUNCES["Undetermined"])
    return {
        "email.bounced": {"bounce": {
            "type": bounce_type,
            "subType": sub_type,
            "message": message,
            "diagnosticCode": [f"smtp; {code} {address}: {message}" for address in to],
        }},
        "email.clicked": {"click": {"ipAddress": "198.51.100.7", "link": link,
                                    "timestamp": resend_time(datetime.now(timezone.utc)),
                                    "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15"}},
        "email.failed": {"failed": {"reason": "reached_daily_quota"}},
        "email.suppressed": {"suppressed": {
            "message": "Resend did not send this email: the address is on the team's suppression list.",
            "reason": "previous_bounce",
            "type": "OnAccountSuppressionList",
            "diagnosticCode": [f"smtp; 550 5.1.1 {address}: previously bounced" for address in to],
        }},
    }.get(event_type, {})


def conforms(body: dict) -> None:
    """Fail unless `body` is a webhook Resend could send: a documented event type with every field
    its schema requires and none it does not declare. A type Resend documents nowhere (one it may
    add later) must still be a well-formed report about an email."""
    event_type = body.get("type") if isinstance(body, dict) else None
    known = contract.document("resend")["$defs"]["webhook.event"]["properties"]["type"]["enum"]
    contract.check("resend", "webhook.event" if event_type in known else "webhook.event.future", body)


def svix_signature(secret: str, message_id: str, timestamp: datetime, body: str) -> str:
    # svix imported on first use, as the portal does (portal/email/webhook_router.py): its API
    # client takes about 0.3 s to import, which every run's start paid
    from svix.webhooks import Webhook

    return Webhook(secret).sign(message_id, timestamp.astimezone(timezone.utc), body)


def signed_headers(body: str, *, message_id: str, timestamp: datetime, secret: str = WEBHOOK_SECRET) -> dict:
    """The three headers Svix sends, signed exactly as Svix signs: `v1,` + base64 HMAC-SHA256 of
    `{id}.{timestamp}.{body}` under the secret's key."""
    return {
        "svix-id": message_id,
        "svix-timestamp": str(int(timestamp.timestamp())),
        "svix-signature": svix_signature(secret, message_id, timestamp, body),
        "content-type": "application/json",
        "user-agent": "Svix-Webhooks/1.24.0",
    }

