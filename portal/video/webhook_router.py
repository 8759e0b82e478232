"""Mux's webhook: signed reports about uploads and assets.

The `mux-signature` is checked on the raw body before anything reads it, against each Mux
environment's signing secret; the one that signed says which environment (data residency) the
report is about. Unsigned, forged, malformed or stale: 401 and nothing changes. Signed but not a
Mux event: 400. Everything else is 200, a redelivery and a type the portal does not handle
included, since Mux retries anything else for a day.
"""
from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from portal.web.deps import Database, database
from portal.web.errors import ApiError
from portal.web.routing import PortalRoute

from . import lifecycle, mux, signatures

log = logging.getLogger(__name__)
router = APIRouter(route_class=PortalRoute, tags=["webhooks"])


async def verified(request: Request) -> tuple[str, bytes]:
    """(the environment that signed, the raw body)."""
    environments = mux.environments(request.app.state.settings).values()
    by_secret = {e.webhook_secret: e.residency for e in environments if e.webhook_secret}
    if not by_secret:
        log.error("a Mux webhook arrived but MUX_WEBHOOK_SECRET is not set; refused")
        raise ApiError(503, "webhooks_not_configured", "This portal does not accept Mux webhooks yet.")
    body = await request.body()
    try:
        secret = signatures.verify(request.headers.get("mux-signature"), body, list(by_secret),
                                    now=request.app.state.clock.time())
    except signatures.InvalidSignature as exc:
        log.warning("refused a Mux webhook: %s", exc)
        raise ApiError(401, "invalid_signature", "The webhook signature could not be verified.") from None
    return by_secret[secret], body


class MuxReportReceived(BaseModel):
    status: str = Field(description="`accepted`, or `duplicate` for a report already received")
    outcome: str = Field(description="`applied`, `stale` (the cut is further along), `noted`, `ignored` "
                                     "(a type the portal does not handle), `unknown_cut`, `unplayable` (ready without a "
                                     "signed playback id) or `duplicate`")


@router.post("/webhooks/mux", response_model=MuxReportReceived,
             summary="Reports from Mux about uploads and assets (signed with mux-signature)",
             responses={400: {"description": "Signed, but not a Mux event the portal can read"},
                        401: {"description": "Missing, malformed or wrong signature, or a timestamp more than 5 minutes off"}})
def mux_webhook(signed: tuple[str, bytes] = Depends(verified), db: Database = Depends(database)) -> MuxReportReceived:
    residency, body = signed
    try:
        report = lifecycle.parse(body)
    except lifecycle.InvalidReport as exc:
        raise ApiError(400, "invalid_report", exc.message, exc.fields) from None
    with db.transaction() as conn:
        outcome = lifecycle.record(conn, residency, report)
    return MuxReportReceived(status="duplicate" if outcome == lifecycle.DUPLICATE else "accepted", outcome=outcome)
