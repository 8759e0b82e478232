"""Resend's HTTP API (https://resend.com/docs/api-reference/emails/send-email), through `requests`."""
from __future__ import annotations

import logging
from dataclasses import dataclass

import requests

log = logging.getLogger(__name__)


# Resend's error catalogue (https://resend.com/docs/api-reference/errors), sorted by what the
# portal does about each answer:
QUOTA_ERRORS = frozenset({"daily_quota_exceeded", "monthly_quota_exceeded"})  # 429: hold the outbox
IN_PROGRESS_ERRORS = frozenset({"concurrent_idempotent_requests"})             # 409: ask again later
# 401 and 403 (a missing, invalid or send-only key; an unverified domain) and this one refuse the
# portal's configuration, not the email: every other email would be refused alike
CONFIGURATION_ERRORS = frozenset({"invalid_from_address"})


@dataclass(frozen=True)
class SendResult:
    ok: bool
    provider_id: str | None = None
    error: str | None = None
    # network (no answer) | unavailable (5xx, JSON or not) | rate_limited (429 rate limit)
    # | in_progress (409: the same key's first call is still being handled): retried on the schedule
    # quota (429 quota used up) | refused (the portal's configuration refused): the outbox is held
    # rejected (anything else: this email itself is refused): dead-lettered at once
    error_kind: str | None = None
    retry_after_seconds: int | None = None
    error_name: str | None = None  # Resend's name for the error, when it gave one

    @property
    def retryable(self) -> bool:
        return not self.ok and self.error_kind in ("network", "unavailable", "rate_limited", "in_progress")

    @property
    def holds_outbox(self) -> bool:
        """Resend would refuse every email alike: stop sending instead of spending their retries."""
        return not self.ok and self.error_kind in ("quota", "refused")


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
    name = body.get("name") if isinstance(body.get("name"), str) else None
    if body:
        detail = f"{name or 'error'}: {body.get('message', '')}".strip()
    else:  # not JSON: a proxy in front of Resend answered, or a page of its own
        detail = f"{response.reason or 'no details'} (not a Resend answer)"
    error = f"HTTP {response.status_code} {detail}"[:500]
    status = response.status_code
    if status == 429 and name in QUOTA_ERRORS:
        return SendResult(False, error=error, error_kind="quota", retry_after_seconds=_retry_after(response),
                          error_name=name)
    if status == 429:
        return SendResult(False, error=error, error_kind="rate_limited", retry_after_seconds=_retry_after(response),
                          error_name=name)
    if status >= 500:
        return SendResult(False, error=error, error_kind="unavailable", retry_after_seconds=_retry_after(response),
                          error_name=name)
    if status == 409 and name in IN_PROGRESS_ERRORS:
        return SendResult(False, error=error, error_kind="in_progress", error_name=name)
    if status in (401, 403) or name in CONFIGURATION_ERRORS:
        return SendResult(False, error=error, error_kind="refused", error_name=name or f"http_{status}")
    return SendResult(False, error=error, error_kind="rejected", error_name=name)


def _retry_after(response: requests.Response) -> int | None:
    raw = response.headers.get("retry-after")
    try:
        return max(0, int(float(raw))) if raw else None
    except ValueError:
        return None
