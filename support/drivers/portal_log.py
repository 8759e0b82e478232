"""What the portal wrote to its log, as an operator reads it: by request, and scanned for secrets."""
from __future__ import annotations

from support.evidence import attachments
from support.harness.http import Exchange

PART = 12  # a run of this many characters of a key is "a part of it": enough to narrow a search


def lines_of(world, exchange: Exchange) -> list[str]:
    lines = world.run.log.request_lines(exchange.header("x-request-id"))
    attachments.attach_json(world, "The portal's log of the request", lines)
    return lines


def parts_of(secret: str) -> list[str]:
    """The secret, and every run of PART characters of it."""
    return [secret] + [secret[i:i + PART] for i in range(0, max(len(secret) - PART, 0) + 1)]


def holding(lines: list[str], secret: str) -> list[str]:
    parts = parts_of(secret)
    return [line for line in lines if any(part in line for part in parts)]
