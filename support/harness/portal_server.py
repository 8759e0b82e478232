"""The portal under specification, served by uvicorn in a thread of the suite's own process.

Serving in-process over real loopback HTTP means the suite speaks to the portal exactly as a
browser would, while requests-mock (patched process-wide) still intercepts the calls the
portal makes to its providers.
"""
from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from typing import Callable

import uvicorn

from portal.app import build_worker, create_app, server_options
from portal.config import Settings


class PortalDidNotStart(RuntimeError):
    pass


class PromptServer(uvicorn.Server):
    """uvicorn's Server, stopped as soon as it is asked to stop.

    uvicorn looks at `should_exit` once every 0.1 s, and stopping waits a fixed 0.1 s before it
    looks whether connections are still open, then 0.1 s at a time: a stop took 140 to 180 ms
    (measured), and a run stops a portal 13 times. Here `request_stop` wakes the loop at once,
    and the wait for open connections and running tasks ends as soon as none is left. The stop
    is as graceful as uvicorn's own: no new connection is accepted, idle keep-alive connections
    are closed, an answer under way is finished first (within `timeout_graceful_shutdown`, if
    set), and the application's lifespan shutdown runs (the portal closes its pool and stops its
    worker there)."""

    POLL_SECONDS = 0.002  # the polling interval of the bounded wait for connections to close

    _loop: asyncio.AbstractEventLoop | None = None
    _wake: asyncio.Event | None = None

    def __init__(self, config: uvicorn.Config):
        super().__init__(config)
        self.settled = threading.Event()  # set once it has started, or has stopped trying

    def serve_in_thread(self, sock: socket.socket) -> None:
        """`run` on `sock` (a thread's target): `settled` is set whatever happens, so that whoever
        waits for the start learns at once that it failed."""
        try:
            self.run(sockets=[sock])
        except SystemExit:  # uvicorn's way of saying its start failed (it logged why); `started` says so
            pass
        finally:
            self.settled.set()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            self.settled.set()

    def request_stop(self) -> None:
        """Ask the server to stop, from any thread; `run` returns once it has."""
        self.should_exit = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # its loop has already closed: it has stopped
                loop.call_soon_threadsafe(wake.set)

    async def main_loop(self) -> None:
        self._wake = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):  # uvicorn's tick: its Date header, once a second
                await asyncio.wait_for(self._wake.wait(), 0.1)
            should_exit = await self.on_tick(counter)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()  # an idle one closes now; one answering closes after its answer
        try:
            async with asyncio.timeout(self.config.timeout_graceful_shutdown):
                while (self.server_state.connections or self.server_state.tasks) and not self.force_exit:
                    await asyncio.sleep(self.POLL_SECONDS)
        except TimeoutError:
            for task in self.server_state.tasks:
                task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
        for server in self.servers:
            await server.wait_closed()
        if not self.force_exit:
            await self.lifespan.shutdown()


class PortalServer:
    """`make_settings` receives the portal's own URL (the port is only known once bound), so that
    the links it emails point back at it."""

    def __init__(self, make_settings: Callable[[str], Settings], startup_timeout: float = 15.0,
                 warm_up_at_start: bool = True):
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and
        # without it every answer written in two parts waits ~40 ms for a delayed ACK (measured)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.bind(("127.0.0.1", 0))  # a free port chosen by the kernel, never a fixed one
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.settings = make_settings(self.url)
        self.startup_timeout = startup_timeout
        self.app = create_app(self.settings, warm_up_at_start=warm_up_at_start)
        self._server: PromptServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "PortalServer":
        config = uvicorn.Config(self.app, lifespan="on", **server_options(self.settings))
        self._server = PromptServer(config)
        self._thread = threading.Thread(target=self._server.serve_in_thread, args=(self._sock,),
                                        name="portal-server", daemon=True)
        self._thread.start()
        if not self._server.settled.wait(self.startup_timeout):
            raise PortalDidNotStart(f"the portal did not start within {self.startup_timeout:.0f}s")
        if not self._server.started:
            raise PortalDidNotStart("the portal stopped during start-up; see the log above")
        return self

    @property
    def worker(self):
        return getattr(self.app.state, "worker", None)

    def stop_worker(self) -> None:
        """Stop the background worker, as if its process had died; requests are still served."""
        if self.worker is not None:
            self.worker.stop()

    def start_worker(self) -> None:
        """A new background worker in place of a stopped one, as after a restart of the process."""
        worker = build_worker(self.settings, self.app.state.pool)
        worker.start()
        self.app.state.worker = worker


    def stop(self, timeout: float = 15.0) -> None:
        if self._server is not None:
            self._server.request_stop()
        if self._thread is not None:
            self._thread.join(timeout)
        self._server = None
        self._thread = None
        self._sock.close()
