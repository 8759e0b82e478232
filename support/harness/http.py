"""Talking to the portal over HTTP as a person or a client would, and keeping a record of it.

Each actor has its own `httpx.Client` (its own cookie jar, reused across requests: a new client
per request costs ~30 ms). Every exchange is recorded with the actor's name so that failure
messages and the report can say who sent what and what came back, secrets redacted.
"""
from __future__ import annotations

import functools
import json as json_module
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from html import unescape

import httpx

from support.evidence.redaction import redact_body, redact_headers, redact_text, redact_url
from support.harness.loopback import LoopbackTransport, is_loopback_host

MAX_GIST = 160  # characters of an answer quoted in a failure message; the attachment has it all


@dataclass
class Exchange:
    actor: str
    method: str
    url: str
    request_headers: list[tuple[str, str]]
    request_body: str
    status: int
    response_headers: list[tuple[str, str]]
    response_body: str
    elapsed_ms: float
    request_content_type: str = ""
    response_content_type: str = ""
    started: float = 0.0  # perf_counter at send

    @property
    def interval(self) -> tuple[float, float]:
        return self.started, self.started + self.elapsed_ms / 1000

    @functools.cached_property
    def path(self) -> str:
        """The path and query as sent (httpx's `raw_path`), read off the URL httpx wrote out: parsing
        it again with httpx.URL cost a sixth of writing each exchange's evidence."""
        rest = self.url.split("://", 1)[-1].split("#", 1)[0]
        start = next((i for i, char in enumerate(rest) if char in "/?"), len(rest))  # the authority ends
        path = rest[start:]
        return path if path.startswith("/") else "/" + path

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.response_headers if k.lower() == name.lower()), None)

    def json(self):
        import json

        try:
            return json.loads(self.response_body)
        except ValueError:
            raise AssertionError(f"expected a JSON answer, but {self.summary()}") from None

    def render(self, known_secrets=()) -> str:
        """The exchange as a reviewer reads it, with every secret masked."""
        lines = [f"{self.actor}: {self.method} {redact_url(self.url, known_secrets)}"]
        lines += [f"{k}: {v}" for k, v in redact_headers(self.request_headers)]
        if self.request_body:
            lines += ["", redact_body(self.request_body, self.request_content_type, known_secrets)]
        lines += ["", f"--> {self.status}  ({self.elapsed_ms:.1f} ms)"]
        lines += [f"{k}: {v}" for k, v in redact_headers(self.response_headers)]
        if self.response_body:
            lines += ["", redact_body(self.response_body, self.response_content_type, known_secrets)]
        return "\n".join(lines)

    def summary(self, known_secrets=()) -> str:
        """One sentence: who asked what, and what came back (status, JSON error code or page
        heading, Location of a redirect). The whole exchange is in the step's attachment."""
        return (f"{self.actor}'s request {self.method} {redact_url(self.path, known_secrets)} "
                f"answered {self.status}{self.gist(known_secrets)}")

    def gist(self, known_secrets=()) -> str:
        """What a reader needs of the answer to see what went wrong, in a few words."""
        if 300 <= self.status < 400:
            location = self.header("location")
            return f" redirecting to {redact_url(location, known_secrets)}" if location else " with no Location to go to"
        body = self.response_body.strip()
        if not body:
            return " with an empty body"
        if "json" in self.response_content_type or body[:1] in "{[":
            try:
                data = json_module.loads(body)
            except ValueError:
                data = None
            if isinstance(data, dict) and isinstance(data.get("error"), dict):
                error = data["error"]
                message = redact_text(str(error.get("message", "")), known_secrets)
                return f" with error {error.get('code')!r}" + (f" ({_short(message)})" if message else "")
            if data is not None:
                redacted = redact_body(body, "application/json", known_secrets)
                try:
                    redacted = json_module.dumps(json_module.loads(redacted), separators=(",", ":"), ensure_ascii=False)
                except ValueError:
                    pass
                return f": {_short(redacted)}"
        if "html" in self.response_content_type or body.lstrip().lower().startswith(("<!doctype", "<html")):
            heading = _page_heading(body)
            return f" with the page {heading!r}" if heading else " with a page that has no heading"
        return f": {_short(redact_body(body, self.response_content_type, known_secrets))}"


def _short(text: str, limit: int = MAX_GIST) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 5] + " [...]"


def _page_heading(html: str) -> str:
    for pattern in (r"<h1[^>]*>(.*?)</h1>", r"<title[^>]*>(.*?)</title>"):
        found = re.search(pattern, html, re.I | re.S)
        if found:
            text = unescape(re.sub(r"<[^>]+>", " ", found.group(1)))
            if text.strip():
                return _short(text)
    return ""


@dataclass
class ExchangeLog:
    """Exchanges of the current step (drained after each step) and of the whole scenario."""
    pending: list[Exchange] = field(default_factory=list)
    all: list[Exchange] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, exchange: Exchange) -> None:
        with self._lock:
            self.pending.append(exchange)
            self.all.append(exchange)

    def drain(self) -> list[Exchange]:
        with self._lock:
            taken, self.pending = self.pending, []
        return taken


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """One TLS context for every client: building one per client costs ~24 ms (measured), which a
    scenario with a hundred browsers pays a hundred times."""
    return ssl.create_default_context()


@functools.lru_cache(maxsize=8)
def _on_loopback(base_url: str) -> bool:
    return is_loopback_host(httpx.URL(base_url).host)


def _decode(content: bytes) -> str:
    return content.decode("utf-8", "replace")


def _request_body(request: httpx.Request) -> str:
    try:
        return _decode(request.content)
    except httpx.RequestNotRead:  # sent in chunks, without a declared size
        return "(a body sent in chunks; not recorded)"


class PortalClient:
    """One actor's browser or API client. Thread-safe for the concurrent steps (httpx.Client is)."""

    def __init__(self, actor: str, base_url: str, log: ExchangeLog, client_address: str | None = None):
        self.actor = actor
        self.log = log
        headers = {"User-Agent": f"portal-spec ({actor})"}
        if client_address:
            # the in-process portal trusts loopback as a proxy: each actor comes from its own network
            headers["X-Forwarded-For"] = client_address
        # a portal on this machine is reached directly: no proxy from the environment stands between
        # (and not looking for one saves a sixth of making each client), and through the harness's
        # own transport, a quarter of httpx's default one's CPU a request (support/harness/loopback.py)
        on_loopback = _on_loopback(base_url)
        self.http = httpx.Client(base_url=base_url, headers=headers, follow_redirects=False, timeout=15.0,
                                 verify=_tls_context(), trust_env=not on_loopback,
                                 transport=LoopbackTransport(verify=_tls_context()) if on_loopback else None)

    def request(self, method: str, path: str, **kwargs) -> Exchange:
        started = time.perf_counter()
        response = self.http.request(method, path, **kwargs)
        exchange = Exchange(
            actor=self.actor,
            method=method,
            url=str(response.request.url),
            request_headers=list(response.request.headers.multi_items()),
            request_body=_request_body(response.request),
            status=response.status_code,
            response_headers=list(response.headers.multi_items()),
            response_body=response.text,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            request_content_type=response.request.headers.get("content-type", ""),
            response_content_type=response.headers.get("content-type", ""),
            started=started,
        )
        self.log.add(exchange)
        return exchange

    def get(self, path: str, **kwargs) -> Exchange:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> Exchange:
        return self.request("POST", path, **kwargs)

    @property
    def cookies(self) -> httpx.Cookies:
        return self.http.cookies

    def close(self) -> None:
        self.http.close()
