"""Resend's HTTP API (https://resend.com/docs/api-reference/emails/send-email), through `requests`."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import requests

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendResult:
    ok: bool
    provider_id: str | None = None
    error: str | None = None
    # network | unavailable (5xx) | rate_limited (429) | rejected (other 4xx)
    error_kind: str | None = None
    retry_after_seconds: int | None = None

    @property
    def retryable(self) -> bool:
        return not self.ok and self.error_kind in ("network", "unavailable", "rate_limited")


def idempotency_key(email: dict) -> str:
    """Derived from the outbox entry, so every retry of one email carries the same key and Resend
    never sends it twice. A dead letter an admin sends again starts a new round with a new key."""
    resends = email.get("resends") or 0
    return f"email-{email['public_id']}" + (f"-resend-{resends}" if resends else "")


class ResendSender:
    def __init__(self, api_url: str, api_key: str, sender: str, timeout_seconds: int = 10):
        self.api_url = api_url.rstrip("/")
        self.api_key = api_key
        self.sender = sender
        self.timeout = timeout_seconds
        self.session = requests.Session()

    def send(self, email: dict) -> SendResult:
        payload = {
            "from": self.sender,
            "to": [email["recipient"]],
            "subject": email["subject"],
            "html": email["html_body"],
            "text": email["text_body"],
            "tags": [{"name": "template", "value": email["template"]}],
        }
        headers = {
            "Authorization": f"Bearer {self.api_key}",
            "Idempotency-Key": idempotency_key(email),
        }
        try:
            response = self.session.post(f"{self.api_url}/emails", json=payload, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            return SendResult(ok=False, error=f"network error: {type(exc).__name__}", error_kind="network")
        if response.status_code in (200, 201):
            email_id = _json_object(response).get("id")
            if not isinstance(email_id, str) or not email_id:
                return SendResult(ok=False, error="provider answered without an email id", error_kind="unavailable")
            return SendResult(ok=True, provider_id=email_id)
        return _failure(response)


def _json_object(response: requests.Response) -> dict:
    """The answer's JSON when it is an object; {} for anything else (a proxy's page, a list, null)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _failure(response: requests.Response) -> SendResult:
    body = _json_object(response)
    if body:
        detail = f"{body.get('name', 'error')}: {body.get('message', '')}".strip()
    else:
        detail = response.reason or "no details"
    error = f"HTTP {response.status_code} {detail}"[:500]
    if response.status_code == 429:
        return SendResult(False, error=error, error_kind="rate_limited", retry_after_seconds=_retry_after(response))
    if response.status_code >= 500:
        return SendResult(False, error=error, error_kind="unavailable", retry_after_seconds=_retry_after(response))
    return SendResult(False, error=error, error_kind="rejected")


def _retry_after(response: requests.Response) -> int | None:
    raw = response.headers.get("retry-after")
    try:
        return max(0, int(float(raw))) if raw else None
    except ValueError:
        return None
