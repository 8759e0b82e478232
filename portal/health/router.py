"""Liveness and readiness for load balancers and orchestrators."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from portal.web.routing import PortalRoute

from . import checks

router = APIRouter(route_class=PortalRoute, tags=["health"])


@router.get("/health", summary="The process is alive")
def health() -> dict:
    return {"status": "ok"}


class CheckOut(BaseModel):
    status: str
    critical: bool


class Readiness(BaseModel):
    status: str  # ok | degraded | unavailable
    checks: dict[str, CheckOut]


@router.get("/readyz", summary="Each dependency, whether it is critical, and whether the portal can serve",
            response_model=Readiness,
            responses={503: {"model": Readiness, "description": "Not ready: a critical dependency is not up"}})
def readiness(request: Request) -> JSONResponse:
    """Walks the readiness registry (portal/health/checks.py), at most once per
    PORTAL_READINESS_CACHE_SECONDS however many probes arrive: 503 `unavailable` when a critical
    dependency is not up, 200 `degraded` when another one is not, else 200 `ok`."""
    pool, settings = request.app.state.pool, request.app.state.settings
    results = request.app.state.readiness.results(pool, settings, request.app.state.clock)
    status, code = checks.overall(results)
    body = {"status": status,
            "checks": {r.name: {"status": r.status, "critical": r.critical, "checked_at": r.checked_at.isoformat()}
                       for r in results}}
    return JSONResponse(body, status_code=code)
