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

from portal.web.deps import Database, database
from portal.web.errors import ApiError
from portal.web.routing import PortalRoute

from . import reports
from .events import InvalidReport, check_event_time, parse_report

log = logging.getLogger(__name__)

router = APIRouter(route_class=PortalRoute, tags=["webhooks"])


# svix is imported where a signature is first checked: importing it loads its whole API client
# (about 0.3 s of CPU), which every start of the portal and of the acceptance suite paid, webhooks
# or not; the process's first webhook pays it instead, once
@lru_cache(maxsize=4)
def _verifier(secret: str):
    from svix.webhooks import Webhook

    return Webhook(secret)


async def verified_body(request: Request) -> bytes:
    """The raw body, once its Svix signature and timestamp (within 5 minutes) check out."""
    secret = request.app.state.settings.resend_webhook_secret
    if not secret:
        log.error("a Resend webhook arrived but RESEND_WEBHOOK_SECRET is not set; refused")
        raise ApiError(503, "webhooks_not_configured", "This portal does not accept webhooks yet.")
    body = await request.body()
    from svix.webhooks import WebhookVerificationError

    try:
        # raises on a missing header, a stale or future timestamp, or no matching signature; a
        # malformed header or a body that is not UTF-8 surfaces as ValueError. It returns nothing
        # to rely on.
        _verifier(secret).verify(body, dict(request.headers))
    except (WebhookVerificationError, ValueError) as exc:
        log.warning("refused a Resend webhook: %s", exc or type(exc).__name__)
        raise ApiError(401, "invalid_signature", "The webhook signature could not be verified.") from None
    return body


def _signature_header(name: str, what: str) -> dict:
    return {"name": name, "in": "header", "required": False, "schema": {"type": "string"},
            "description": f"{what} (Svix; the Standard Webhooks name webhook-{name[5:]} is read as well): "
                           "without a valid one the answer is 401"}


# what the handler reads from the raw body it verifies (events.parse_report), said in the document
WEBHOOK_REQUEST = {
    "parameters": [_signature_header("svix-id", "The message id; a repeated id is a duplicate"),
                   _signature_header("svix-timestamp", "Seconds since the epoch, within 5 minutes of now"),
                   _signature_header("svix-signature", "v1,<base64 HMAC-SHA256> (one or more, space-separated)")],
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["type", "created_at", "data"],
        "description": "A Resend event. `data.email_id` is required for the kinds the portal acts on, "
                       "`data.to` for bounces, complaints and suppressions, `data.bounce.type` for bounces",
        "properties": {
            "type": {"type": "string", "minLength": 1, "description": "e.g. email.delivered, email.bounced"},
            "created_at": {"type": "string", "format": "date-time"},
            "data": {"type": "object", "properties": {
                "email_id": {"type": "string", "minLength": 1},
                "to": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
                "bounce": {"type": "object", "properties": {"type": {"type": "string"}}}}},
        }}}}},
}


class ReportReceived(BaseModel):
    status: str   # accepted | duplicate
    effect: str | None = None


@router.post(
    "/webhooks/resend",
    response_model=ReportReceived,
    summary="Reports from Resend about the portal's emails (Svix-signed webhooks)",
    responses={400: {"description": "Signed, but not a report the portal can read"},
               401: {"description": "Missing, malformed or wrong signature, or a timestamp more than 5 minutes off"},
               503: {"description": "RESEND_WEBHOOK_SECRET is not set: the portal accepts no webhooks yet"}},
    openapi_extra=WEBHOOK_REQUEST,
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
