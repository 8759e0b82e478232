"""Liveness and readiness for load balancers and orchestrators."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from portal.email.delivery import provider_state
from portal.video import mux

router = APIRouter(tags=["health"])


def video_service_state(settings) -> str:
    """`configured` when the portal has what it needs of Mux's usual environment: an access token,
    the webhook secret and the URL signing key; else `not_configured` (the portal is degraded)."""
    environment = mux.environments(settings)[mux.ANYWHERE]
    ready = environment.configured and environment.webhook_secret and environment.signing_key_id and environment.signing_key
    return "configured" if ready else "not_configured"


@router.get("/health", summary="The process is alive")
def health() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="Each dependency and whether the portal can serve")
def readiness(request: Request) -> JSONResponse:
    """503 when the database is unreachable; 200 but `degraded` when email can't go out or Mux is not configured."""
    pool = request.app.state.pool
    settings = request.app.state.settings
    checks: dict[str, dict] = {}
    try:
        with pool.connection(timeout=settings.readiness_timeout_seconds) as conn:
            conn.execute("SELECT 1")
        checks["database"] = {"status": "up"}
        email = provider_state(pool, settings.email_configured)
    except Exception:  # noqa: BLE001 - any failure means not ready; details stay in the server log
        checks["database"] = {"status": "down"}
        email = "unknown" if settings.email_configured else "not_configured"
    checks["email_provider"] = {"status": email}
    # Mux is not critical: without it nothing new is uploaded or played, but everything else works
    video = video_service_state(settings)
    checks["video_service"] = {"status": video}
    if checks["database"]["status"] != "up":
        overall, code = "unavailable", 503
    elif email != "up" or video != "configured":
        overall, code = "degraded", 200
    else:
        overall, code = "ok", 200
    return JSONResponse({"status": overall, "checks": checks}, status_code=code)
