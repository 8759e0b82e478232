"""Evidence for the Allure report: HTTP exchanges, emails and database rows, secrets redacted."""
from __future__ import annotations

import json

import allure

from support.evidence.redaction import redact_text


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


def attach_run_summary(text: str) -> None:
    """The end-of-run summary, shown among the report's global attachments."""
    allure.global_attach(text, name="Specification summary", attachment_type=allure.attachment_type.TEXT)


def record_start_failure(problem: BaseException, results_dir) -> None:
    """The run could not start (no database, no portal): say so in the report, as an
    environment problem, since no scenario will run to carry the news."""
    import uuid
    from pathlib import Path

    from allure_commons.logger import AllureFileLogger
    from allure_commons.model2 import Label, Status, StatusDetails, TestResult
    from allure_commons.utils import now

    message = (f"The acceptance suite could not start, so no scenario ran. This is an environment problem "
               f"(database or portal), not a portal defect: {type(problem).__name__}: {redact_text(str(problem))}")
    result = TestResult(
        uuid=str(uuid.uuid4()), name="The acceptance suite could not start", fullName="environment: start-up",
        status=Status.BROKEN, statusDetails=StatusDetails(message=message), start=now(), stop=now(),
        labels=[Label(name="epic", value="Environment"), Label(name="severity", value="blocker")],
    )
    Path(results_dir).mkdir(parents=True, exist_ok=True)
    AllureFileLogger(str(results_dir), clean=False).report_result(result)
    allure.global_error(message)


def attach_json(world, title: str, data) -> None:
    body = json.dumps(data, indent=2, default=str, ensure_ascii=False)
    allure.attach(redact_text(body, world.secrets), name=title, attachment_type=allure.attachment_type.JSON)


def attach_webhook(world, title: str, headers: dict, body: str) -> None:
    """A webhook as the provider sent it: its headers (the signature masked) and its payload."""
    from support.evidence.redaction import redact_headers

    try:
        payload = json.loads(body)
        json.dumps(payload, ensure_ascii=False).encode("utf-8")  # half a character cannot be shown as text
    except (ValueError, RecursionError):
        payload = body  # a deliberately broken body is shown as it was sent
    attach_json(world, title, {"headers": dict(redact_headers(headers.items())), "payload": payload})


def attach_timeline(world, email: dict) -> None:
    """An email's status and timeline, as an admin reads it."""
    rows = [{k: entry.get(k) for k in ("at", "source", "event", "effect", "detail")} for entry in email.get("timeline", [])]
    attach_json(world, f"Timeline of the email to {email.get('recipient')}: {email.get('subject')} ({email.get('status')})",
                {"status": email.get("status"), "attempts": email.get("attempts"), "last_error": email.get("last_error"),
                 "timeline": rows})
