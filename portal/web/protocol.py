"""How uvicorn reads HTTP for the portal: its C parser (httptools), with the portal's own answer to
a request that cannot be read as HTTP at all.

Such a request never reaches the application (no middleware sees it), so uvicorn answers it itself,
in plain text, without the headers every other answer of the portal carries. Here that answer is the
portal's: the standard error body (`bad_request`), a request id, the security headers and
`Cache-Control: no-store`; the connection is closed, as uvicorn does. httptools refuses more than
h11 did before it (a method it does not know, an obsolete folded header, a request line ended by a
bare LF, two Content-Length headers), so more such answers come from here than before.
"""
from __future__ import annotations

import json
import uuid

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .errors import error_body
from .middleware import SECURITY_HEADERS

UNREADABLE = "The request could not be read as HTTP."


def unreadable_answer(request_id: str, default_headers: list[tuple[bytes, bytes]]) -> bytes:
    """The whole HTTP answer to an unreadable request, as bytes to write."""
    body = json.dumps(error_body("bad_request", UNREADABLE)).encode()
    headers = list(default_headers) + [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"connection", b"close"),
        *SECURITY_HEADERS,
        (b"x-request-id", request_id.encode("ascii")),
    ]
    return b"HTTP/1.1 400 Bad Request\r\n" + b"".join(n + b": " + v + b"\r\n" for n, v in headers) + b"\r\n" + body


class PortalHttpProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        self.transport.write(unreadable_answer(uuid.uuid4().hex, self.server_state.default_headers))
        self.transport.close()
