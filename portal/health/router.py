"""Liveness and readiness for load balancers and orchestrators."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from portal.email.delivery import provider_state

router = APIRouter(tags=["health"])


@router.get("/health", summary="The process is alive")
def health() -> dict:
    return {"status": "ok"}


class Readiness(BaseModel):
    status: str  # ok | degraded | unavailable
    checks: dict[str, dict]


@router.get("/readyz", summary="Each dependency and whether the portal can serve", response_model=Readiness,
            responses={503: {"model": Readiness, "description": "Not ready: a dependency the portal needs is down"}})
def readiness(request: Request) -> JSONResponse:
    """503 when the database is unreachable; 200 but `degraded` when email can't go out."""
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
    if checks["database"]["status"] != "up":
        overall, code = "unavailable", 503
    elif email != "up":
        overall, code = "degraded", 200
    else:
        overall, code = "ok", 200
    return JSONResponse({"status": overall, "checks": checks}, status_code=code)
