"""Resend's webhook: reports about the portal's emails, verified with Svix's scheme.

The signature covers `svix-id`, `svix-timestamp` and the raw body, so it is checked on the body
exactly as it arrived, before anything reads it as JSON. A report that fails the check is
refused with 401 and changes nothing; one that passes but cannot be read gets 400; every other
report gets 200, including a redelivery (recognised by its svix-id) and a kind the portal does
not act on, because Resend retries anything else for days.
"""
from __future__ import annotations

import logging
from functools import lru_cache

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from svix.webhooks import Webhook, WebhookVerificationError

from portal.web.deps import Database, database
from portal.web.errors import ApiError

from . import reports
from .events import InvalidReport, check_event_time, parse_report

log = logging.getLogger(__name__)

router = APIRouter(tags=["webhooks"])


@lru_cache(maxsize=4)
def _verifier(secret: str) -> Webhook:
    return Webhook(secret)


async def verified_body(request: Request) -> bytes:
    """The raw body, once its Svix signature and timestamp (within 5 minutes) check out."""
    secret = request.app.state.settings.resend_webhook_secret
    if not secret:
        log.error("a Resend webhook arrived but RESEND_WEBHOOK_SECRET is not set; refused")
        raise ApiError(503, "webhooks_not_configured", "This portal does not accept webhooks yet.")
    body = await request.body()
    try:
        # raises on a missing header, a stale or future timestamp, or no matching signature; a
        # malformed header or a body that is not UTF-8 surfaces as ValueError. It returns nothing
        # to rely on.
        _verifier(secret).verify(body, dict(request.headers))
    except (WebhookVerificationError, ValueError) as exc:
        log.warning("refused a Resend webhook: %s", exc or type(exc).__name__)
        raise ApiError(401, "invalid_signature", "The webhook signature could not be verified.") from None
    return body


class ReportReceived(BaseModel):
    status: str   # accepted | duplicate
    effect: str | None = None


@router.post(
    "/webhooks/resend",
    response_model=ReportReceived,
    summary="Reports from Resend about the portal's emails (Svix-signed webhooks)",
    responses={400: {"description": "Signed, but not a report the portal can read"},
               401: {"description": "Missing, malformed or wrong signature, or a timestamp more than 5 minutes off"}},
)
def resend_webhook(request: Request, body: bytes = Depends(verified_body), db: Database = Depends(database)) -> ReportReceived:
    with db.transaction() as conn:
        try:
            report = parse_report(body)
            check_event_time(report, conn.execute("SELECT now() AS now").fetchone()["now"])
        except InvalidReport as exc:
            raise ApiError(400, exc.code, exc.message, exc.fields) from None
        # Svix's verifier also accepts the Standard Webhooks names of its headers
        message_id = request.headers.get("svix-id") or request.headers["webhook-id"]
        effect = reports.record(conn, message_id, report)
        if effect is None:
            return ReportReceived(status="duplicate")
        return ReportReceived(status="accepted", effect=effect.value)
