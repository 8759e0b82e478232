"""The harness's uvicorn server stops when asked, as gracefully as uvicorn's own (PromptServer):
an answer under way is finished, idle keep-alive connections are closed, no new connection is
accepted, and the application's lifespan shutdown runs."""
import asyncio
import socket
import threading
import time

import httpx
import pytest
import uvicorn

from support.harness.portal_server import PromptServer

BOUND = 10.0  # seconds: a stop that never returns fails the test instead of hanging it
KEEP_ALIVE = 60  # uvicorn closes an idle connection itself only after this, well past BOUND


class App:
    """An ASGI app recording its lifespan; /slow answers only once `release` is set."""

    def __init__(self):
        self.events: list[str] = []
        self.slow_started = threading.Event()
        self.release = threading.Event()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    self.events.append("startup")
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
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + BOUND
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.005)
    assert server.started
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
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    thread.join(BOUND)
    assert not thread.is_alive() and app.events == ["startup", "shutdown"]
