"""GET /metrics: the Prometheus text format, for the trusted network or the metrics token only;
anyone else gets the portal's plain 404, as for an address that does not exist."""
from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from portal import metrics
from portal.web.routing import PortalRoute

router = APIRouter(route_class=PortalRoute)


@router.get("/metrics", include_in_schema=False)
async def metrics_text(request: Request) -> Response:
    if not metrics.allowed(request.scope, request.app.state.settings):
        raise HTTPException(404)

    def read() -> bytes:
        with request.app.state.pool.connection() as conn:
            return metrics.render(conn)

    return Response(await run_in_threadpool(read), media_type=metrics.CONTENT_TYPE)
