"""The harness's loopback transport, against small real servers on this machine: what goes on the
wire, what comes back, when a connection is kept, and which of httpx's errors a failure is."""
import gzip
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from support.harness import loopback
from support.harness.http import ExchangeLog, PortalClient, _tls_context
from support.harness.loopback import LoopbackTransport


class ScriptedServer:
    """Accepts connections and gives each to `serve(connection, server)` in a thread of its own;
    keeps what every connection sent."""

    def __init__(self, serve):
        self.serve = serve
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.requests: list[tuple[bytes, bytes]] = []  # (head, body) as received
        self.threads: list[threading.Thread] = []
        self.closed = threading.Event()  # set by a script when it has closed its side
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._run, args=(connection,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _run(self, connection):
        with connection:
            self.serve(Peer(connection, self), self)

    def stop(self):
        self.listener.close()


class Peer:
    def __init__(self, sock, server):
        self.sock, self.server, self.pending = sock, server, b""

    def _more(self) -> bool:
        data = self.sock.recv(65536)
        self.pending += data
        return bool(data)

    def _take(self, size: int) -> bytes:
        while len(self.pending) < size:
            if not self._more():
                raise EOFError
        taken, self.pending = self.pending[:size], self.pending[size:]
        return taken

    def _line(self) -> bytes:
        while b"\r\n" not in self.pending:
            if not self._more():
                raise EOFError
        line, _, self.pending = self.pending.partition(b"\r\n")
        return line

    def request(self) -> tuple[bytes, bytes] | None:
        """The next request's head and body (de-chunked), or None when the client has closed."""
        try:
            while b"\r\n\r\n" not in self.pending:
                if not self._more():
                    return None
            head, _, self.pending = self.pending.partition(b"\r\n\r\n")
            lowered = head.lower()
            body = b""
            if b"transfer-encoding: chunked" in lowered:
                while size := int(self._line(), 16):
                    body += self._take(size)
                    self._line()
                self._line()
            elif b"content-length: " in lowered:
                body = self._take(int(lowered.split(b"content-length: ")[1].split(b"\r\n")[0]))
        except EOFError:
            return None
        self.server.requests.append((head, body))
        return head, body

    def send(self, data: bytes):
        self.sock.sendall(data)


def answering(answer: bytes, then_close=False):
    """A script that answers every request with `answer` (and closes after the first, if told)."""
    def serve(peer, server):
        while peer.request() is not None:
            peer.send(answer)
            if then_close:
                peer.sock.close()
                server.closed.set()
                return
    return serve


OK = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"


@pytest.fixture
def serve():
    servers = []

    def start(script):
        server = ScriptedServer(script)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def client_of(server, **options):
    return httpx.Client(base_url=server.url, transport=LoopbackTransport(), **options)


# -- connections kept, and not kept -----------------------------------------------------------

def test_requests_share_one_kept_open_connection_with_no_delay_on_it(serve):
    server = serve(answering(OK))
    transport = LoopbackTransport()
    with httpx.Client(base_url=server.url, transport=transport) as client:
        assert [client.get(f"/{n}").text for n in range(5)] == ["ok"] * 5
        (kept,) = transport._idle[("127.0.0.1", server.port)]
        assert kept.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    assert server.connections == 1


def test_a_kept_connection_the_server_closed_is_replaced_without_an_error(serve):
    server = serve(answering(OK, then_close=True))
    with client_of(server) as client:
        assert client.get("/first").text == "ok"
        server.closed.wait(5)
        assert client.get("/second").text == "ok"
    assert server.connections == 2


@pytest.mark.parametrize("answer", [
    b"HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 2\r\n\r\nok",
    b"HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nok",
    b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\ncontent-length: 2\r\n\r\nok",
], ids=["Connection: close", "HTTP/1.0", "HTTP/1.0 keep-alive"])
def test_an_answer_that_ends_its_connection_is_not_reused(serve, answer):
    server = serve(answering(answer))
    with client_of(server) as client:
        assert [client.get("/").text, client.get("/").text] == ["ok", "ok"]
    assert server.connections == 2


def test_a_request_that_asks_to_close_is_not_reused(serve):
    server = serve(answering(OK))
    with client_of(server) as client:
        client.get("/", headers={"Connection": "close"})
        client.get("/")
    assert server.connections == 2


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):
        body = self.path.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_many_threads_share_one_client_and_each_gets_its_own_answer():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    transport = LoopbackTransport()
    answers = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{server.server_address[1]}", transport=transport) as client:
            def send(thread):
                answers[thread] = [client.get(f"/{thread}/{n}").text for n in range(25)]

            threads = [threading.Thread(target=send, args=(t,)) for t in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert len(transport._idle[("127.0.0.1", server.server_address[1])]) <= loopback.MAX_IDLE
    finally:
        server.shutdown()
        server.server_close()
    assert answers == {t: [f"/{t}/{n}" for n in range(25)] for t in range(8)}


def test_close_closes_every_kept_connection(serve):
    ended = threading.Semaphore(0)

    def serve_until_closed(peer, server):
        while peer.request() is not None:
            peer.send(OK)
        ended.release()

    server = serve(serve_until_closed)
    transport = LoopbackTransport()
    client = httpx.Client(base_url=server.url, transport=transport)
    barrier = threading.Barrier(3)

    def send():
        barrier.wait()
        client.get("/")

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kept = list(transport._idle[("127.0.0.1", server.port)])  # held here, so only close() can close them
    client.close()
    assert all(connection.sock.fileno() == -1 for connection in kept)
    assert all(ended.acquire(timeout=5) for _ in kept)
    assert len(kept) == server.connections


def test_no_more_than_a_few_idle_connections_are_kept_per_address():
    transport = LoopbackTransport()
    pairs = [socket.socketpair() for _ in range(loopback.MAX_IDLE + 2)]
    connections = [loopback._Connection(ours, None) for ours, _ in pairs]
    for connection in connections:
        transport._give_back(("127.0.0.1", 1), connection)
    assert transport._idle[("127.0.0.1", 1)] == connections[:loopback.MAX_IDLE]
    assert [c.sock.fileno() for c in connections[loopback.MAX_IDLE:]] == [-1, -1]
    transport.close()
    for _, theirs in pairs:
        theirs.close()


# -- what goes on the wire ------------------------------------------------------------------

def test_the_request_goes_out_with_exactly_its_headers_in_order_and_its_body(serve):
    server = serve(answering(OK))
    with client_of(server, headers={"User-Agent": "portal-spec (Theo)"}) as client:
        request = client.build_request("POST", "/a path?x=1", content=b'{"a": 1}',
                                       headers=[("X-B", "2"), ("X-A", "1"), ("X-A", "3")])
        client.send(request)
    ((head, body),) = server.requests
    expected = [b"POST /a%20path?x=1 HTTP/1.1"] + [name + b": " + value for name, value in request.headers.raw]
    assert head.split(b"\r\n") == expected
    assert body == b'{"a": 1}'


def test_a_body_of_no_declared_size_is_sent_in_chunks(serve):
    server = serve(answering(OK))
    with client_of(server) as client:
        client.post("/", content=iter([b"ab", b"", b"cde"]))
    ((head, body),) = server.requests
    assert b"Transfer-Encoding: chunked" in head.split(b"\r\n")
    assert b"content-length" not in head.lower()
    assert body == b"abcde"


def test_a_line_break_inside_a_header_is_refused_before_anything_is_sent(serve):
    server = serve(answering(OK))
    # httpx lets it through; h11 refused it, and so does the transport
    request = httpx.Request("GET", server.url + "/", headers={"X-Evil": "a\r\nX-Injected: 1"})
    with pytest.raises(httpx.LocalProtocolError):
        LoopbackTransport().handle_request(request)
    assert server.requests == []


def test_the_evidence_shows_the_headers_that_went_on_the_wire(serve):
    server = serve(answering(OK))
    client = PortalClient("Theo", server.url, ExchangeLog(), client_address="198.18.0.7")
    try:
        exchange = client.post("/auth/sign-in-links", json={"email": "theo@agency.example"})
    finally:
        client.close()
    ((head, body),) = server.requests
    on_the_wire = [tuple(line.decode().split(": ", 1)) for line in head.split(b"\r\n")[1:]]
    assert [(name.lower(), value) for name, value in on_the_wire] == exchange.request_headers
    assert exchange.request_body == body.decode()


def test_a_portal_elsewhere_keeps_httpx_default_transport():
    client = PortalClient("Theo", "https://portal.example", ExchangeLog())
    local = PortalClient("Theo", "http://localhost:8000", ExchangeLog())
    try:
        assert type(client.http._transport) is httpx.HTTPTransport
        assert type(local.http._transport) is LoopbackTransport
        assert local.http._transport._verify is _tls_context()  # should a request of it go elsewhere
    finally:
        client.close()
        local.close()


def test_a_request_not_to_plain_http_on_loopback_is_handed_to_httpx_default_transport(monkeypatch):
    handed = []
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request",
                        lambda self, request: handed.append(str(request.url)) or httpx.Response(204))
    transport = LoopbackTransport()
    for url in ("https://127.0.0.1:1/", "http://portal.example/"):
        assert transport.handle_request(httpx.Request("GET", url)).status_code == 204
    transport.close()
    assert handed == ["https://127.0.0.1:1/", "http://portal.example/"]


# -- what comes back ------------------------------------------------------------------------

def test_status_reason_and_repeated_headers_come_back_as_sent(serve):
    server = serve(answering(b"HTTP/1.1 201 Made It\r\nSet-Cookie: a=1; Path=/\r\nX-Other: y\r\n"
                             b"Set-Cookie: b=2; Path=/\r\nContent-Length: 0\r\n\r\n"))
    with client_of(server) as client:
        answer = client.get("/")
        assert (answer.status_code, answer.reason_phrase, answer.http_version) == (201, "Made It", "HTTP/1.1")
        assert answer.headers.raw[:3] == [(b"Set-Cookie", b"a=1; Path=/"), (b"X-Other", b"y"),
                                          (b"Set-Cookie", b"b=2; Path=/")]
        assert dict(client.cookies) == {"a": "1", "b": "2"}


def test_a_chunked_answer_is_put_together_and_a_compressed_one_decoded_by_httpx(serve):
    packed = gzip.compress(b"hello, world")
    chunked = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) for p in (packed[:5], packed[5:])) + b"0\r\nX-Trailer: t\r\n\r\n"
    server = serve(answering(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
                             + chunked))
    with client_of(server) as client:
        assert [client.get("/").text, client.get("/").text] == ["hello, world"] * 2
    assert server.connections == 1


def test_an_answer_of_no_declared_size_runs_to_the_end_of_the_connection(serve):
    server = serve(answering(b"HTTP/1.1 200 OK\r\n\r\nall of it", then_close=True))
    with client_of(server) as client:
        assert client.get("/").text == "all of it"


@pytest.mark.parametrize("method, status", [("HEAD", 200), ("GET", 204), ("GET", 304)])
def test_answers_without_a_body_are_not_read_for_one(serve, method, status):
    # each declares a size it does not send: reading it would wait for bytes that never come
    server = serve(answering(b"HTTP/1.1 %d Whatever\r\nContent-Length: 5\r\n\r\n" % status))
    with client_of(server, timeout=5) as client:
        assert [client.request(method, "/").content for _ in range(2)] == [b"", b""]
    assert server.connections == 1


def test_an_interim_answer_is_passed_over_for_the_real_one(serve):
    server = serve(answering(b"HTTP/1.1 100 Continue\r\n\r\n" + OK))
    with client_of(server) as client:
        assert (client.get("/").status_code, client.get("/").text) == (200, "ok")


# -- failures, as httpx names them ----------------------------------------------------------

def test_a_refused_connection_is_a_connect_error():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    with httpx.Client(transport=LoopbackTransport()) as client, pytest.raises(httpx.ConnectError):
        client.get(f"http://127.0.0.1:{port}/")


def test_a_connection_that_times_out_is_a_connect_timeout(monkeypatch):
    timeouts = []

    def time_out(address, timeout):
        timeouts.append(timeout)
        raise socket.timeout("timed out")

    monkeypatch.setattr(loopback.socket, "create_connection", time_out)
    with httpx.Client(transport=LoopbackTransport(), timeout=httpx.Timeout(9, connect=3)) as client:
        with pytest.raises(httpx.ConnectTimeout):
            client.get("http://127.0.0.1:1/")
    assert timeouts == [3]


def test_an_answer_that_does_not_come_is_a_read_timeout(serve):
    server = serve(lambda peer, server: (peer.request(), server.closed.wait(5)))
    try:
        with client_of(server, timeout=httpx.Timeout(5, read=0.05)) as client, pytest.raises(httpx.ReadTimeout):
            client.get("/")
    finally:
        server.closed.set()


def test_a_body_the_server_does_not_read_is_a_write_timeout(serve):
    server = serve(lambda peer, server: server.closed.wait(5))
    try:
        with client_of(server, timeout=httpx.Timeout(5, write=0.05)) as client, pytest.raises(httpx.WriteTimeout):
            client.post("/", content=b"x" * 64_000_000)
    finally:
        server.closed.set()


def test_an_answer_given_before_the_body_was_all_sent_is_still_read(serve, monkeypatch):
    # no Connection: close, but a connection with half a request on it cannot carry another
    server = serve(answering(b"HTTP/1.1 413 Too Large\r\ncontent-length: 3\r\n\r\nbig"))
    sent = loopback._send

    def send_then_break(sock, *args):
        sent(sock, *args)
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(loopback, "_send", send_then_break)
    with client_of(server) as client:
        assert (client.post("/", content=b"{}").status_code, client.post("/", content=b"{}").text) == (413, "big")
    assert server.connections == 2


def test_a_failed_write_with_no_answer_to_read_is_a_write_error(serve, monkeypatch):
    server = serve(lambda peer, server: None)  # closes without reading or answering

    def broken(*args):
        raise ConnectionResetError(104, "Connection reset by peer")

    monkeypatch.setattr(loopback, "_send", broken)
    with client_of(server) as client, pytest.raises(httpx.WriteError):
        client.post("/", content=b"{}")


@pytest.mark.parametrize("answer", [
    b"",  # closed without a word
    b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort",
    b"HTTP/1.1 200 OK\r\ncontent-len",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
], ids=["nothing", "short body", "cut in the headers", "cut in a chunk"])
def test_a_connection_dropped_before_the_answer_ends_is_a_remote_protocol_error(serve, answer):
    def serve_and_drop(peer, server):
        peer.request()
        peer.send(answer)

    server = serve(serve_and_drop)
    with client_of(server) as client, pytest.raises(httpx.RemoteProtocolError):
        client.get("/")


@pytest.mark.parametrize("answer", [
    b"hello there\r\n\r\n",
    b"HTTP/1.1 2000 OK\r\n\r\n",
    b"HTTP/2 200 OK\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
    b"HTTP/1.1 200 OK\r\n folded: value\r\n\r\n",
    b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\ncontent-length: -2\r\n\r\nok",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\n",
])
def test_a_malformed_answer_is_a_remote_protocol_error(serve, answer):
    server = serve(answering(answer))
    with client_of(server, timeout=5) as client, pytest.raises(httpx.RemoteProtocolError):
        client.get("/")
