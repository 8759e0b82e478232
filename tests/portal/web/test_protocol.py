"""A request that cannot be read as HTTP gets the portal's error answer, from uvicorn's protocol itself."""
import json
import socket
import threading
import time

import pytest
import uvicorn
from fastapi import FastAPI

from portal.web.protocol import PortalHttpProtocol


@pytest.fixture(scope="module")
def port():
    app = FastAPI()

    @app.get("/ok")
    async def ok():
        return {"ok": True}

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, http=PortalHttpProtocol, loop="uvloop", log_config=None,
                                           server_header=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)  # start-up poll, bounded
    yield sock.getsockname()[1]
    server.should_exit = True
    thread.join(10)


def _exchange(port: int, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(raw)
        data = b""
        while chunk := s.recv(65536):  # the portal closes the connection after this answer
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("raw", [
    b"GARBAGE\r\n\r\n",
    b"FOO /ok HTTP/1.1\r\nHost: x\r\n\r\n",                          # a method the parser does not know
    b"POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"GET /ok HTTP/1.1\r\nHost: x\r\nX-A: a\r\n folded\r\n\r\n",       # obsolete line folding
])
def test_an_unreadable_request_gets_the_standard_error_with_every_header(port, raw):
    status, headers, body = _exchange(port, raw)
    assert status == 400
    assert json.loads(body) == {"error": {"code": "bad_request", "message": "The request could not be read as HTTP."}}
    assert headers["content-type"] == "application/json" and int(headers["content-length"]) == len(body)
    assert headers["connection"] == "close" and headers["cache-control"] == "no-store"
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert len(headers["x-request-id"]) == 32 and "server" not in headers


def test_a_readable_request_is_served(port):
    status, _, body = _exchange(port, b"GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert (status, json.loads(body)) == (200, {"ok": True})
