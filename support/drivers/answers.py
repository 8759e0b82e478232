"""Answers from every layer of the portal (middleware, router, handlers), as a client gets them:
what each must carry whatever produced it."""
from __future__ import annotations

import json
import socket
import ssl
import time
from urllib.parse import urlsplit

from support.harness.expect import COUNTING_HEADERS
from support.harness.http import Exchange, PortalClient

_JSON = {"Content-Type": "application/json"}


_BODY = '{"email": "a@b.example"}'


def _unreadable_request(host: str, user_agent: str) -> bytes:
    """A request whose declared body size is not a number: no HTTP parser can tell where its body ends,
    so the server refuses it before any layer of the application sees it. An HTTP client library
    will not send such a request, hence written out by hand."""
    return (f"POST /auth/sign-in-links HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {user_agent}\r\n"
            f"Content-Type: application/json\r\nContent-Length: twelve\r\n\r\n{_BODY}").encode("latin-1")


def _with_hosts(count: int):
    """A well-formed request but for its number of Host headers (HTTP/1.1 needs exactly one, RFC 9112
    3.2), which an HTTP client library will not send either. It asks the portal to close the
    connection after answering, so that the answer is read to its end."""
    def request(host: str, user_agent: str) -> bytes:
        named = f"Host: {host}\r\n" * count
        return (f"POST /auth/sign-in-links HTTP/1.1\r\n{named}User-Agent: {user_agent}\r\nConnection: close\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(_BODY)}\r\n\r\n{_BODY}").encode("latin-1")
    return request


def _message(raw: bytes) -> tuple[str, list[tuple[str, str]], bytes]:
    """An HTTP message's first line, its headers in order, and its body."""
    head, _, body = raw.partition(b"\r\n\r\n")
    first, *lines = head.decode("latin-1").split("\r\n")
    return first, [(name, value.strip()) for name, _, value in (line.partition(":") for line in lines)], body


def hand_written(build):
    """A request an HTTP client library will not send, written by `build(host, user_agent)` and
    sent to the client's portal on a connection of its own; the answer read until the portal closes
    the connection, recorded as every exchange is, for the report and the contract check."""
    return lambda client: _send_hand_written(client, build)


def _send_hand_written(client: PortalClient, build) -> Exchange:
    base = urlsplit(str(client.http.base_url))
    port = base.port or (443 if base.scheme == "https" else 80)
    raw = build(base.netloc, client.http.headers["User-Agent"])
    started = time.perf_counter()
    with socket.create_connection((base.hostname, port), timeout=15) as plain:
        sock = ssl.create_default_context().wrap_socket(plain, server_hostname=base.hostname) \
            if base.scheme == "https" else plain
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    _, request_headers, request_body = _message(raw)
    status_line, response_headers, body = _message(answer)
    if not status_line.startswith("HTTP/1."):
        raise AssertionError(f"the portal's answer to a hand-written request is not HTTP: {answer[:120]!r}")
    exchange = Exchange(
        actor=client.actor, method="POST", url=f"{base.scheme}://{base.netloc}/auth/sign-in-links",
        request_headers=request_headers, request_body=request_body.decode("utf-8"), status=int(status_line.split()[1]),
        response_headers=response_headers, response_body=body.decode("utf-8", "replace"),
        elapsed_ms=(time.perf_counter() - started) * 1000, request_content_type="application/json",
        response_content_type=next((v for k, v in response_headers if k.lower() == "content-type"), ""),
        started=started,
    )
    client.log.add(exchange)
    return exchange


# each: how a client gets it, and the status it must have (so a row cannot pass by answering
# something else)
ANSWERS = {
    "a body too large for the portal": (lambda c: c.post("/auth/sign-in-links", content=b"{" + b" " * 70_000 + b"}",
                                                         headers=_JSON), 413),
    "a body too large, sent without saying its size": (
        lambda c: c.post("/auth/sign-in-links", content=iter([b"{", b" " * 70_000, b"}"]), headers=_JSON), 413),
    "a body sent as plain text": (lambda c: c.post("/auth/sign-in-links", content=json.dumps({"email": "a@b.example"}),
                                                   headers={"Content-Type": "text/plain"}), 415),
    "a body that is not valid JSON": (lambda c: c.post("/auth/sign-in-links", content=b'{"email": ', headers=_JSON), 400),
    "a request that cannot be read as HTTP": (hand_written(_unreadable_request), 400),
    "a request without a Host header": (hand_written(_with_hosts(0)), 400),
    "a request with two Host headers": (hand_written(_with_hosts(2)), 400),
    "a method the address does not accept": (lambda c: c.request("PUT", "/projects"), 405),
    "an address that does not exist": (lambda c: c.get("/no-such-page"), 404),
    "the profile of the signed-in person": (lambda c: c.get("/me"), 200),
    "the list of projects": (lambda c: c.get("/projects"), 200),
    # a read has no body to limit: whatever a client attaches is not read, and the document lists no 413 for it
    "the list of projects, asked with a body too large attached": (
        lambda c: c.request("GET", "/projects", content=b" " * 70_000, headers=_JSON), 200),
    "the list of emails, for a studio admin": (lambda c: c.get("/admin/emails"), 200),
    "the list of scheduled tasks, for a studio admin": (lambda c: c.get("/admin/tasks"), 200),
    "the liveness check": (lambda c: c.get("/health"), 200),
    "a share page for a key that does not exist": (lambda c: c.get("/s/" + "x" * 43), 404),
    "the home page": (lambda c: c.get("/"), 200),
    # it would load its scripts from a CDN that the portal's Content-Security-Policy blocks
    "the interactive API documentation page": (lambda c: c.get("/docs"), 404),
}

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def get(client: PortalClient, answer: str) -> tuple[Exchange, int]:
    if answer not in ANSWERS:
        raise AssertionError(f"no such answer in the harness: {answer!r} (known: {', '.join(ANSWERS)})")
    request, status = ANSWERS[answer]
    return request(client), status


def missing_safeguards(exchange: Exchange) -> list[str]:
    """What an answer lacks of what every answer carries."""
    problems = [f"{name}: {value} missing (got {exchange.header(name)!r})"
                for name, value in SECURITY_HEADERS.items() if exchange.header(name) != value]
    if not (exchange.header("content-security-policy") or "").startswith("default-src 'none'"):
        problems.append(f"content-security-policy missing or loose (got {exchange.header('content-security-policy')!r})")
    if exchange.header("cache-control") != "no-store":
        problems.append(f"cache-control: no-store missing (got {exchange.header('cache-control')!r})")
    if exchange.header("server") is not None:
        problems.append(f"the answer names the server software: server: {exchange.header('server')}")
    return problems


def headers_only(client: PortalClient, answer: str) -> tuple[Exchange, Exchange]:
    """The same address read twice: with HEAD, then with GET."""
    request, _ = ANSWERS[answer]
    full = request(client)
    path = full.path
    return client.request("HEAD", path), full


def comparable_headers(exchange: Exchange) -> dict[str, str]:
    """The headers by name and value; a header that counts the caller's requests (the JSON API's
    `RateLimit`) by name only: two requests in a row are two counts."""
    return {k.lower(): ("" if k.lower() in COUNTING_HEADERS else v) for k, v in exchange.response_headers
            if k.lower() not in ("x-request-id", "date", "set-cookie")}


TRAILING_SLASH_ADDRESSES = {
    "the liveness check": "/health/",
    "the list of projects": "/projects/",
    "a share page": "/s/" + "k" * 43 + "/",
}


def with_trailing_slash(client: PortalClient, address: str, host: str) -> Exchange:
    return client.get(TRAILING_SLASH_ADDRESSES[address], headers={"Host": host})


def api_description(client: PortalClient) -> Exchange:
    return client.get("/openapi.json")


def administration_listed(exchange: Exchange) -> bool:
    return any(path.startswith("/admin") for path in exchange.json().get("paths", {}))


def _first_difference(published, served, where: str = "") -> str:
    """Where two JSON values first differ, as a path into them."""
    if isinstance(published, dict) and isinstance(served, dict):
        for key in sorted(set(published) | set(served)):
            if published.get(key) != served.get(key):
                return _first_difference(published.get(key), served.get(key), f"{where}/{key}")
    elif isinstance(published, list) and isinstance(served, list) and len(published) == len(served):
        for i, (a, b) in enumerate(zip(published, served)):
            if a != b:
                return _first_difference(a, b, f"{where}/{i}")
    return f"{where or '/'}: published {json.dumps(published)[:120]}, served {json.dumps(served)[:120]}"


def differences_from_published(exchange: Exchange) -> list[str]:
    """Each operation (and shared part) of the served API description that is not as published for
    integrators in the committed snapshot (docs/openapi.json, tools/openapi_snapshot.py)."""
    from support.harness.openapi_contract import snapshot

    published, served = snapshot(), exchange.json()
    differences = []
    for path in sorted(set(published.get("paths", {})) | set(served.get("paths", {}))):
        was, now = published.get("paths", {}).get(path, {}), served.get("paths", {}).get(path, {})
        for method in sorted(set(was) | set(now)):
            if was.get(method) != now.get(method):
                differences.append(f"{method.upper()} {path}: " + _first_difference(was.get(method), now.get(method)))
    shared = [{k: v for k, v in document.items() if k != "paths"} for document in (published, served)]
    if shared[0] != shared[1]:
        differences.append("outside the operations: " + _first_difference(*shared))
    return differences
