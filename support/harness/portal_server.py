"""The portal under specification, served by uvicorn in a thread of the suite's own process.

Serving in-process over real loopback HTTP means the suite speaks to the portal exactly as a
browser would, while requests-mock (patched process-wide) still intercepts the calls the
portal makes to its providers.
"""
from __future__ import annotations

import socket
import threading
import time
from typing import Callable

import uvicorn

from portal.app import build_worker, create_app, server_options
from portal.config import Settings


class PortalDidNotStart(RuntimeError):
    pass


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
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "PortalServer":
        sock = self._sock
        config = uvicorn.Config(self.app, lifespan="on", **server_options(self.settings))
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="portal-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + self.startup_timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise PortalDidNotStart("the portal stopped during start-up; see the log above")
            if time.monotonic() > deadline:
                raise PortalDidNotStart(f"the portal did not start within {self.startup_timeout:.0f}s")
            time.sleep(0.01)  # start-up poll, bounded by the deadline above
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
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._server = None
        self._thread = None
        self._sock.close()
