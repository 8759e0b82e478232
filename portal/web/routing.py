"""The portal's route class: every router is made with `APIRouter(route_class=PortalRoute)`.

A plain `def` endpoint still runs on a worker thread, in one call (portal.web.deps.Database needs
that), but FastAPI is handed a coroutine that does so. For a `def` endpoint FastAPI validates the
answer against its response model in a second trip to the thread pool; for a coroutine it does
that on the event loop, where it takes microseconds. Measured: three thread-pool trips per API
request became two, and the trips were about a third of the event loop's own time.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


def on_worker_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """`endpoint` as a coroutine that runs it on a worker thread; a coroutine as it is. FastAPI reads
    the parameters (and their annotations, in the endpoint's own module) through `__wrapped__`."""
    if inspect.iscoroutinefunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return run


class PortalRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, on_worker_thread(endpoint), **kwargs)
