"""The harness's uvicorn server (PromptServer) tells at once whether it started, and stops when
asked, as gracefully as uvicorn's own: an answer under way is finished, idle keep-alive
connections are closed, no new connection is accepted, and the application's lifespan shutdown
runs."""
import asyncio
import socket
import threading

import httpx
import pytest
import uvicorn

from support.harness.portal_server import PromptServer

BOUND = 10.0  # seconds: a stop that never returns fails the test instead of hanging it
KEEP_ALIVE = 60  # uvicorn closes an idle connection itself only after this, well past BOUND


class App:
    """An ASGI app recording its lifespan; /slow answers only once `release` is set."""

    def __init__(self, fail_startup: bool = False):
        self.fail_startup = fail_startup
        self.events: list[str] = []
        self.slow_started = threading.Event()
        self.release = threading.Event()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    self.events.append("startup")
                    if self.fail_startup:
                        await send({"type": "lifespan.startup.failed", "message": "no database"})
                        return
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    self.events.append("shutdown")
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["path"] == "/slow":
            self.slow_started.set()
            while not self.release.is_set():
                await asyncio.sleep(0.005)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"done " + scope["path"].encode()})


@pytest.fixture
def served():
    app = App()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = PromptServer(uvicorn.Config(app, lifespan="on", log_level="warning", timeout_keep_alive=KEEP_ALIVE))
    thread = threading.Thread(target=server.serve_in_thread, args=(sock,), daemon=True)
    thread.start()
    assert server.settled.wait(BOUND) and server.started
    yield app, server, thread, f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.request_stop()
    thread.join(BOUND)


def stop(server, thread):
    server.request_stop()
    thread.join(BOUND)
    assert not thread.is_alive(), "the server did not stop"


def test_a_stop_runs_the_application_s_lifespan_shutdown(served):
    app, server, thread, url = served
    assert httpx.get(url + "/").text == "done /"
    stop(server, thread)
    assert app.events == ["startup", "shutdown"]


def test_an_answer_under_way_is_finished_before_the_server_stops(served):
    app, server, thread, url = served
    answers = []
    client = threading.Thread(target=lambda: answers.append(httpx.get(url + "/slow", timeout=BOUND)))
    client.start()
    assert app.slow_started.wait(BOUND)
    server.request_stop()
    thread.join(0.2)
    assert thread.is_alive(), "the server stopped with an answer under way"
    assert app.events == ["startup"], "the lifespan shut down with an answer under way"
    app.release.set()
    client.join(BOUND)
    thread.join(BOUND)
    assert [a.status_code for a in answers] == [200] and answers[0].text == "done /slow"
    assert not thread.is_alive() and app.events == ["startup", "shutdown"]


def test_an_idle_keep_alive_connection_does_not_keep_the_server_running(served):
    app, server, thread, url = served
    with httpx.Client() as client:
        assert client.get(url + "/").status_code == 200  # its connection stays open in the client's pool
        stop(server, thread)
    assert app.events == ["startup", "shutdown"]


def test_a_stopped_server_accepts_no_connection(served):
    app, server, thread, url = served
    stop(server, thread)
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/")


def test_a_stop_asked_before_the_server_runs_stops_it_as_soon_as_it_has_started():
    app = App()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = PromptServer(uvicorn.Config(app, lifespan="on", log_level="warning"))
    server.request_stop()
    thread = threading.Thread(target=server.serve_in_thread, args=(sock,), daemon=True)
    thread.start()
    thread.join(BOUND)
    assert not thread.is_alive() and app.events == ["startup", "shutdown"]


def bound_socket():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    return sock


def test_a_failed_start_is_known_at_once_and_is_not_a_start():
    app = App(fail_startup=True)
    server = PromptServer(uvicorn.Config(app, lifespan="on", log_level="critical"))
    thread = threading.Thread(target=server.serve_in_thread, args=(bound_socket(),), daemon=True)
    thread.start()
    assert server.settled.wait(BOUND)
    assert server.started is False and app.events == ["startup"]
    thread.join(BOUND)
    assert not thread.is_alive()


def test_a_server_that_cannot_even_load_its_application_is_settled_too():
    server = PromptServer(uvicorn.Config("no_such_module_here:app", log_level="critical"))
    server.serve_in_thread(bound_socket())  # uvicorn's exit (it logs why) ends the thread quietly
    assert server.settled.is_set() and server.started is False


def test_the_portal_server_says_the_portal_did_not_start_when_its_start_up_fails(monkeypatch):
    from support.harness import portal_server

    server = portal_server.PortalServer.__new__(portal_server.PortalServer)
    server.app, server.settings, server.startup_timeout = App(fail_startup=True), None, BOUND
    server._sock = bound_socket()
    monkeypatch.setattr(portal_server, "server_options", lambda settings: {"log_level": "critical"})
    with pytest.raises(portal_server.PortalDidNotStart, match="stopped during start-up"):
        server.start()
