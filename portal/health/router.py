"""Liveness and readiness for load balancers and orchestrators."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from . import checks

router = APIRouter(tags=["health"])


@router.get("/health", summary="The process is alive")
def health() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="Each dependency, whether it is critical, and whether the portal can serve")
def readiness(request: Request) -> JSONResponse:
    """Walks the readiness registry (portal/health/checks.py): 503 `unavailable` when a critical
    dependency is not up, 200 `degraded` when another one is not, else 200 `ok`."""
    pool, settings = request.app.state.pool, request.app.state.settings
    results = [checks.run(check, pool, settings) for check in checks.REGISTRY.values()]
    status, code = checks.overall(results)
    body = {"status": status,
            "checks": {r.name: {"status": r.status, "critical": r.critical} for r in results}}
    return JSONResponse(body, status_code=code)
