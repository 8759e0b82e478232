"""The portal's error lines, as a log search reads them: JSON objects keyed by the request id."""
from __future__ import annotations

import json

from support.drivers import portal_log
from support.harness.http import Exchange

ERRORS = " portal.errors "
ACCESS = " portal.access "


def lines_of(world, exchange: Exchange) -> list[str]:
    return portal_log.lines_of(world, exchange)


def error_entries(world, exchange: Exchange) -> list[dict]:
    """Each error line of the request, its message parsed as the JSON object it must be."""
    entries = []
    for line in lines_of(world, exchange):
        if ERRORS in line:
            message = line.split("] ", 1)[1]
            entries.append(json.loads(message))
    return entries


def the_error_line(world, exchange: Exchange) -> dict:
    """The request's one error line, parsed; fails unless there is exactly one. It carries the id the
    answer carries, as every error line must."""
    entries = error_entries(world, exchange)
    assert len(entries) == 1, f"expected one error line for the request, found {len(entries)}: {entries}"
    request_id = exchange.header("x-request-id")
    assert entries[0].get("request_id") == request_id, f"the line's request id is not the answer's {request_id}: {entries[0]}"
    return entries[0]
