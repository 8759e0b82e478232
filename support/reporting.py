"""Evidence for the Allure report: HTTP exchanges, emails and database rows, secrets redacted."""
from __future__ import annotations

import json

import allure

from .redaction import redact_text


def attach_exchanges(world) -> None:
    for exchange in world.exchanges.drain():
        allure.attach(
            exchange.render(world.secrets),
            name=f"{exchange.actor}: {exchange.method} {redact_text(exchange.path.split('?')[0], world.secrets)} -> {exchange.status}",
            attachment_type=allure.attachment_type.TEXT,
        )


def attach_email(world, email) -> None:
    """The email as its recipient sees it, with the secret in its link masked."""
    allure.attach(
        redact_text(email.as_seen_by_recipient(), world.secrets),
        name=f"Email to {', '.join(email.to)}: {email.subject}",
        attachment_type=allure.attachment_type.HTML,
    )


def attach_rows(world, title: str, query: str, rows: list[dict]) -> None:
    body = json.dumps({"query": " ".join(query.split()), "rows": rows}, indent=2, default=str)
    allure.attach(redact_text(body, world.secrets), name=title, attachment_type=allure.attachment_type.JSON)


def attach_json(world, title: str, data) -> None:
    body = json.dumps(data, indent=2, default=str, ensure_ascii=False)
    allure.attach(redact_text(body, world.secrets), name=title, attachment_type=allure.attachment_type.JSON)


def attach_webhook(world, title: str, headers: dict, body: str) -> None:
    """A webhook as the provider sent it: its headers (the signature masked) and its payload."""
    from .redaction import redact_headers

    try:
        payload = json.loads(body)
    except ValueError:
        payload = body  # a deliberately broken body is shown as it was sent
    attach_json(world, title, {"headers": dict(redact_headers(headers.items())), "payload": payload})


def attach_timeline(world, email: dict) -> None:
    """An email's status and timeline, as an admin reads it."""
    rows = [{k: entry.get(k) for k in ("at", "source", "event", "effect", "detail")} for entry in email.get("timeline", [])]
    attach_json(world, f"Timeline of the email to {email.get('recipient')}: {email.get('subject')} ({email.get('status')})",
                {"status": email.get("status"), "attempts": email.get("attempts"), "last_error": email.get("last_error"),
                 "timeline": rows})
