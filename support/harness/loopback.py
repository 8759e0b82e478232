"""The harness's own HTTP/1.1 transport for a portal on this machine, under httpx's Client.

httpx's default transport (httpcore and h11) was half of the client's CPU a request over loopback
(bench/floors.py), 6-8% of the behave process in a GIL profile of a serial run; this one is about
2% (README, "What changed (issue 16)"). It does only the wire part: it writes the request httpx
built (its headers as they are, in order, and its body) and reads the answer (status, reason,
headers as sent, body) into an `httpx.Response` whose body httpx still decodes and whose cookies
httpx still keeps. Connections are kept open, a few per address, and shared by the threads of one
client. Errors are httpx's own exceptions, as httpcore raises them.

Only plain HTTP to a loopback address goes through it: anything else is handed to httpx's
default transport.
"""
from __future__ import annotations

import functools
import ipaddress
import re
import select
import socket
import ssl
import threading

import httpx

MAX_IDLE = 8  # connections kept open per address between requests
MAX_LINE = 65536  # bytes in a status line, header line or chunk size line
MAX_HEADERS = 100
_NO_BODY_STATUSES = frozenset({204, 304})
_HEX = re.compile(rb"[0-9a-fA-F]{1,16}")


@functools.lru_cache(maxsize=16)
def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Connection:
    """One socket, with a buffered reader over it and the timeout it is set to."""

    __slots__ = ("sock", "reader", "timeout")

    def __init__(self, sock: socket.socket, timeout: float | None):
        self.sock = sock
        self.reader = sock.makefile("rb")
        self.timeout = timeout

    def set_timeout(self, timeout: float | None) -> None:
        if timeout != self.timeout:
            self.sock.settimeout(timeout)
            self.timeout = timeout

    def dropped_by_the_server(self) -> bool:
        """An idle connection with something to read has been closed by the server (EOF) or holds
        bytes no request asked for: either way it cannot carry another exchange."""
        readable, _, _ = select.select([self.sock], [], [], 0)
        return bool(readable)

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


class LoopbackTransport(httpx.BaseTransport):
    def __init__(self, verify: ssl.SSLContext | bool = True) -> None:
        self._idle: dict[tuple[str, int], list[_Connection]] = {}
        self._lock = threading.Lock()
        self._verify = verify  # for httpx's default transport, should a request go elsewhere
        self._elsewhere: httpx.HTTPTransport | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme != "http" or not is_loopback_host(url.host):
            return self._default_transport().handle_request(request)
        timeouts = request.extensions.get("timeout", {})
        address = (url.host, url.port or 80)
        connection = self._connection(address, timeouts.get("connect"))
        try:
            status, reason, version, headers, body, keep = _exchange(connection, request, timeouts)
        except BaseException:
            connection.close()
            raise
        if keep:
            self._give_back(address, connection)
        else:
            connection.close()
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body),
                              extensions={"http_version": version, "reason_phrase": reason})

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
            elsewhere, self._elsewhere = self._elsewhere, None
        for connections in idle.values():
            for connection in connections:
                connection.close()
        if elsewhere is not None:
            elsewhere.close()

    def _default_transport(self) -> httpx.HTTPTransport:
        with self._lock:
            if self._elsewhere is None:
                self._elsewhere = httpx.HTTPTransport(verify=self._verify)
            return self._elsewhere

    def _connection(self, address: tuple[str, int], timeout: float | None) -> _Connection:
        """The connection last given back for this address that the server has not closed since
        (as httpcore checks before reusing one), else a new one."""
        while True:
            with self._lock:
                idle = self._idle.get(address)
                connection = idle.pop() if idle else None
            if connection is None:
                return _connect(address, timeout)
            if not connection.dropped_by_the_server():
                return connection
            connection.close()

    def _give_back(self, address: tuple[str, int], connection: _Connection) -> None:
        with self._lock:
            idle = self._idle.setdefault(address, [])
            if len(idle) < MAX_IDLE:
                idle.append(connection)
                return
        connection.close()


def _connect(address: tuple[str, int], timeout: float | None) -> _Connection:
    try:
        sock = socket.create_connection(address, timeout=timeout)
    except socket.timeout as error:
        raise httpx.ConnectTimeout(str(error) or "timed out connecting") from error
    except OSError as error:
        raise httpx.ConnectError(str(error)) from error
    # without it an answer written in two parts waits ~40 ms for a delayed ACK (README, "Performance")
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return _Connection(sock, timeout)


def _exchange(connection: _Connection, request: httpx.Request, timeouts: dict):
    """Send the request and read its answer: (status, reason, version, headers, body, reusable)."""
    head, chunked, closing = _request_head(request)
    connection.set_timeout(timeouts.get("write"))
    try:
        _send(connection.sock, head, request.stream, chunked)
    except socket.timeout as error:
        raise httpx.WriteTimeout(str(error) or "timed out writing the request") from error
    except OSError as error:
        # the server may have answered without reading the whole body (a 413): read that answer
        # if there is one, as httpcore does, and report the write's failure otherwise
        try:
            connection.set_timeout(timeouts.get("read"))
            status, reason, version, headers, body, _ = _read_answer(connection.reader, request.method, closing)
        except Exception:
            raise httpx.WriteError(str(error)) from error
        return status, reason, version, headers, body, False  # the rest of the body is still unsent
    connection.set_timeout(timeouts.get("read"))
    try:
        return _read_answer(connection.reader, request.method, closing)
    except socket.timeout as error:
        raise httpx.ReadTimeout(str(error) or "timed out reading the answer") from error
    except OSError as error:
        raise httpx.ReadError(str(error)) from error


def _request_head(request: httpx.Request) -> tuple[bytes, bool, bool]:
    """The request line and headers as bytes, whether the body is sent in chunks (httpx has
    written `Transfer-Encoding: chunked` for a body of no declared size), and whether the request
    asks to close the connection after its answer."""
    headers = request.headers.raw
    head = b"".join([request.method.encode("ascii"), b" ", request.url.raw_path, b" HTTP/1.1\r\n",
                     *(b"%s: %s\r\n" % pair for pair in headers), b"\r\n"])
    if head.count(b"\n") != len(headers) + 2 or head.count(b"\r") != len(headers) + 2:
        raise httpx.LocalProtocolError("a line break inside the request line or a header")
    framing = {b"transfer-encoding": [], b"connection": []}
    for name, value in headers:
        if (lowered := name.lower()) in framing:
            framing[lowered].append(value)
    return head, b"chunked" in _tokens(framing[b"transfer-encoding"]), b"close" in _tokens(framing[b"connection"])


def _send(sock: socket.socket, head: bytes, stream, chunked: bool) -> None:
    if isinstance(stream, httpx.ByteStream) and not chunked:
        sock.sendall(head + b"".join(stream))  # one write: head and body leave in one segment
        return
    sock.sendall(head)
    for piece in stream:
        if not piece:
            continue
        sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
    if chunked:
        sock.sendall(b"0\r\n\r\n")


def _read_answer(reader, method: str, closing_asked: bool):
    while True:
        status, reason, version = _status_line(reader)
        headers = _header_lines(reader)
        if not 100 <= status < 200 or status == 101:
            break  # an interim answer (100 Continue, 103 Early Hints) is followed by the real one
    names = {}
    for name, value in headers:
        lowered = name.lower()
        if lowered in (b"content-length", b"transfer-encoding", b"connection"):
            names.setdefault(lowered, []).append(value.strip().lower())
    closing = closing_asked or version != b"HTTP/1.1" or b"close" in _tokens(names.get(b"connection"))
    if method == "HEAD" or status < 200 or status in _NO_BODY_STATUSES:
        return status, reason, version, headers, b"", not closing
    if b"chunked" in _tokens(names.get(b"transfer-encoding")):
        return status, reason, version, headers, _chunked_body(reader), not closing
    lengths = set(names.get(b"content-length", ()))
    if lengths:
        if len(lengths) > 1 or not all(map(bytes.isdigit, lengths)):
            raise httpx.RemoteProtocolError(f"a malformed Content-Length: {sorted(lengths)!r}")
        length = int(lengths.pop())
        body = reader.read(length)
        if len(body) < length:
            raise httpx.RemoteProtocolError(
                f"peer closed connection without sending complete message body: "
                f"received {len(body)} bytes, expected {length}")
        return status, reason, version, headers, body, not closing
    return status, reason, version, headers, reader.read(), False  # to the end of the connection


def _tokens(values) -> set[bytes]:
    if not values:
        return set()
    return {token.strip().lower() for value in values for token in value.split(b",")}


def _status_line(reader) -> tuple[int, bytes, bytes]:
    line = reader.readline(MAX_LINE + 1)
    if not line:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
    if len(line) > MAX_LINE or not line.endswith(b"\n"):
        raise httpx.RemoteProtocolError("the status line is too long or cut short")
    parts = line.rstrip(b"\r\n").split(b" ", 2)
    version, code = parts[0], parts[1] if len(parts) > 1 else b""
    if version not in (b"HTTP/1.1", b"HTTP/1.0") or len(code) != 3 or not code.isdigit():
        raise httpx.RemoteProtocolError(f"a malformed status line: {line[:80]!r}")
    return int(code), parts[2] if len(parts) > 2 else b"", version


def _header_lines(reader) -> list[tuple[bytes, bytes]]:
    headers = []
    while True:
        line = reader.readline(MAX_LINE + 1)
        if line in (b"\r\n", b"\n"):
            return headers
        if not line.endswith(b"\n"):
            raise httpx.RemoteProtocolError("the answer's headers are cut short or a line is too long")
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip() or len(headers) >= MAX_HEADERS:
            raise httpx.RemoteProtocolError(f"a malformed header line: {line[:80]!r}")
        headers.append((name, value.strip()))


def _chunked_body(reader) -> bytes:
    pieces = []
    while True:
        line = reader.readline(MAX_LINE + 1)
        if not line.endswith(b"\n"):
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body: "
                                            "incomplete chunked read")
        size_text = line.split(b";", 1)[0].strip()
        if not _HEX.fullmatch(size_text):
            raise httpx.RemoteProtocolError(f"a malformed chunk size: {line[:80]!r}")
        size = int(size_text, 16)
        if size == 0:
            _header_lines(reader)  # trailers, dropped as httpcore drops them
            return b"".join(pieces)
        piece = reader.read(size + 2)
        if len(piece) < size + 2:
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body: "
                                            "incomplete chunked read")
        if piece[size:] != b"\r\n":
            raise httpx.RemoteProtocolError("a chunk not followed by its line end")
        pieces.append(piece[:size])
