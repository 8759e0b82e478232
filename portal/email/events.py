"""What Resend reports about an email and what the portal makes of it: the registry of event
types, the order in which delivery statuses may follow each other, and the fields a report
must carry. Pure logic; portal/email/reports.py applies it to the database.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum


class Action(str, Enum):
    STATUS = "status"            # moves the email's status
    BOUNCE = "bounce"            # moves the status; a hard bounce suppresses, soft bounces are counted
    SUPPRESS = "suppress"        # moves the status and suppresses the address at once
    ACKNOWLEDGE = "acknowledge"  # recorded in the timeline, nothing else


@dataclass(frozen=True)
class EventType:
    name: str
    action: Action
    status: str | None = None        # the status the report stands for
    suppression: str | None = None   # the suppression reason, for SUPPRESS
    why: str = ""


# Every `email.*` event Resend documents (shared PROVIDERS.md). features/email/webhooks.feature
# walks this list in a Scenario Outline; tests/test_email_events.py fails when the two differ.
REGISTRY: dict[str, EventType] = {t.name: t for t in (
    EventType("email.sent", Action.STATUS, "sent", why="Resend accepted the email"),
    EventType("email.scheduled", Action.ACKNOWLEDGE, why="the portal schedules nothing with Resend"),
    EventType("email.delivered", Action.STATUS, "delivered", why="the recipient's mail server took it"),
    EventType("email.delivery_delayed", Action.STATUS, "delivery_delayed", why="Resend keeps trying; recorded"),
    EventType("email.complained", Action.SUPPRESS, "complained", suppression="complaint",
              why="the recipient marked it as spam"),
    EventType("email.bounced", Action.BOUNCE, "bounced", why="hard: suppress at once; soft: counted"),
    EventType("email.opened", Action.ACKNOWLEDGE, why="the portal does not track opens"),
    EventType("email.clicked", Action.ACKNOWLEDGE, why="the portal does not track clicks"),
    EventType("email.received", Action.ACKNOWLEDGE, why="incoming mail; the portal reads no replies"),
    EventType("email.failed", Action.STATUS, "failed", why="Resend could not send it"),
    EventType("email.suppressed", Action.SUPPRESS, "suppressed", suppression="provider",
              why="Resend refused: the address is on its own suppression list"),
)}

# A status moves only to one of higher rank; between equal ranks the later event wins.
# `dead` (every attempt failed) is outside the order: no report can follow it.
STATUS_RANK = {
    "queued": 0,
    "sent": 1,
    "delivery_delayed": 2,
    "soft_bounced": 2,
    "delivered": 3,
    "bounced": 4,
    "complained": 4,
    "failed": 4,
    "suppressed": 4,
}

# SES's bounce types, as Resend passes them on (their exact spelling there is unconfirmed, so
# they are compared case-insensitively). Anything but Permanent (Transient, Undetermined) is soft.
HARD_BOUNCE_TYPES = frozenset({"permanent"})


def bounce_class(bounce_type: str) -> str:
    return "hard" if bounce_type.strip().lower() in HARD_BOUNCE_TYPES else "soft"


def moves_forward(current: str, current_at: datetime | None, new: str, new_at: datetime) -> bool:
    """May an email whose status is `current` (since `current_at`) take the status `new` of an
    event that happened at `new_at`? By precedence first, then by the events' own times."""
    if current not in STATUS_RANK or new not in STATUS_RANK:
        return False
    if STATUS_RANK[new] != STATUS_RANK[current]:
        return STATUS_RANK[new] > STATUS_RANK[current]
    return new != current and (current_at is None or new_at > current_at)


class Effect(str, Enum):
    APPLIED = "applied"            # the email has the status the report stands for
    SUPERSEDED = "superseded"      # a later or weightier status already holds; kept in the timeline
    ACKNOWLEDGED = "acknowledged"  # a kind the portal records and does not act on
    IGNORED = "ignored"            # a kind outside the registry (other families, new kinds)
    UNMATCHED = "unmatched"        # about an email the outbox does not know (yet)


@dataclass(frozen=True)
class Judgement:
    effect: Effect
    new_status: str | None = None  # set when the email's status is to change


def judge(kind: EventType | None, reported_status: str | None, occurred_at: datetime,
          email_status: str | None, email_status_at: datetime | None) -> Judgement:
    """What a report does to its email (None for `email_status`: no such email)."""
    if kind is None:
        return Judgement(Effect.IGNORED)
    if kind.action is Action.ACKNOWLEDGE:
        return Judgement(Effect.ACKNOWLEDGED)
    if email_status is None:
        return Judgement(Effect.UNMATCHED)
    if moves_forward(email_status, email_status_at, reported_status, occurred_at):
        return Judgement(Effect.APPLIED, reported_status)
    return Judgement(Effect.APPLIED if email_status == reported_status else Effect.SUPERSEDED)


class InvalidReport(ValueError):
    def __init__(self, code: str, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields


@dataclass(frozen=True)
class Report:
    """One event Resend reported, as read from the webhook's body."""
    type: str
    occurred_at: datetime
    data: dict
    payload: dict

    @property
    def kind(self) -> EventType | None:
        return REGISTRY.get(self.type)

    @property
    def email_id(self) -> str | None:
        value = self.data.get("email_id")
        return value if isinstance(value, str) and value else None

    @property
    def addresses(self) -> list[str]:
        to = self.data.get("to")
        to = [to] if isinstance(to, str) else to if isinstance(to, list) else []
        return sorted({_bare_address(a) for a in to if isinstance(a, str) and a.strip()})

    @property
    def bounce(self) -> str | None:
        if self.type != "email.bounced":
            return None
        return bounce_class(self.data["bounce"]["type"])

    @property
    def reported_status(self) -> str | None:
        if self.bounce == "soft":
            return "soft_bounced"
        return self.kind.status if self.kind else None

    @property
    def suppression(self) -> str | None:
        """Why this report suppresses its addresses at once, if it does."""
        if self.bounce == "hard":
            return "hard_bounce"
        return self.kind.suppression if self.kind else None

    @property
    def detail(self) -> str | None:
        """A line for the timeline: the provider's own words, where it gives any."""
        data = self.data
        if self.type == "email.bounced":
            bounce = data["bounce"]
            kinds = "/".join(str(bounce[k]) for k in ("type", "subType") if bounce.get(k))
            return f"{self.bounce} bounce ({kinds}): {bounce.get('message') or 'no message'}"[:500]
        for key, field in (("failed", "reason"), ("suppressed", "message")):
            if isinstance(data.get(key), dict) and data[key].get(field):
                return str(data[key][field])[:500]
        return None


_ANGLE_ADDRESS = re.compile(r"<([^<>]+)>")


def _bare_address(value: str) -> str:
    """`Theo <theo@x.example>` or `theo@x.example` -> `theo@x.example`."""
    match = _ANGLE_ADDRESS.search(value)
    return (match.group(1) if match else value).strip().lower()


def _timestamp(value) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _recipients_ok(to) -> bool:
    if isinstance(to, str):
        return bool(to.strip())
    return isinstance(to, list) and bool(to) and all(isinstance(a, str) and a.strip() for a in to)


# Resend's reports are a few levels deep; anything far deeper is not a report, and Python's parser
# would exhaust its recursion limit on it
MAX_DEPTH = 32
# how far from the portal's clock an event may be: Resend retries for days, never for a month,
# and its clock is not an hour ahead of ours. Outside this a report's time cannot be right and
# would decide which of two reports wins
OLDEST_EVENT = timedelta(days=30)
NEWEST_EVENT = timedelta(hours=1)


def nesting_depth(body: bytes) -> int:
    """How deeply the JSON document in `body` nests its arrays and objects, read without parsing
    it (so without recursion); brackets inside strings do not count."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def _unstorable(text: str) -> bool:
    """Text PostgreSQL cannot store: NUL, or a lone surrogate (not a character, not UTF-8)."""
    return "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def unstorable_text(value, path: str = "") -> str | None:
    """The dotted path of the first key or string in `value` that holds unstorable text."""
    if isinstance(value, str):
        return (path or "body") if _unstorable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if _unstorable(str(key)):
                return path or "body"
            found = unstorable_text(item, where)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = unstorable_text(item, f"{path}[{index}]" if path else f"[{index}]")
            if found:
                return found
    return None


def check_event_time(report: Report, now: datetime) -> None:
    """Refuse a report about an event more than 30 days before or 1 hour after `now` (the
    database clock), naming `created_at`."""
    if report.occurred_at < now - OLDEST_EVENT:
        raise InvalidReport("invalid_webhook", "The event lacks required fields or has invalid ones.",
                            {"created_at": "The event is more than 30 days old."})
    if report.occurred_at > now + NEWEST_EVENT:
        raise InvalidReport("invalid_webhook", "The event lacks required fields or has invalid ones.",
                            {"created_at": "The event is more than an hour in the future."})


def parse_report(body: bytes) -> Report:
    """Read a webhook body; raise InvalidReport naming what is missing or wrong.

    Required are the fields the portal needs to act on the report: `type`, `created_at` and
    `data` always; for a kind it acts on, `data.email_id` (to find the email); for kinds that act
    on the address (bounces, complaints, suppressions), `data.to`; for a bounce, `data.bounce.type`.
    """
    if nesting_depth(body) > MAX_DEPTH:
        raise InvalidReport("invalid_webhook", "The event lacks required fields or has invalid ones.",
                            {"body": f"Nested more than {MAX_DEPTH} levels deep."})
    try:
        payload = json.loads(body)
    except ValueError:  # also bodies that are not UTF-8
        raise InvalidReport("malformed_json", "The request body is not valid JSON.") from None
    unstorable = unstorable_text(payload)
    if unstorable:
        raise InvalidReport("invalid_webhook", "The event lacks required fields or has invalid ones.",
                            {unstorable: "Holds a NUL character or a lone surrogate, which is not text."})
    if not isinstance(payload, dict):
        raise InvalidReport("invalid_webhook", "The event must be a JSON object.", {"body": "Must be a JSON object."})
    fields: dict[str, str] = {}
    event_type = payload.get("type")
    if not isinstance(event_type, str) or not event_type.strip():
        fields["type"] = "This field is required."
    occurred_at = _timestamp(payload.get("created_at"))
    if occurred_at is None:
        fields["created_at"] = "An ISO 8601 date and time is required."
    data = payload.get("data")
    if not isinstance(data, dict):
        fields["data"] = "An object is required."
    elif isinstance(event_type, str) and event_type in REGISTRY:
        action = REGISTRY[event_type].action
        if action is not Action.ACKNOWLEDGE and not (isinstance(data.get("email_id"), str) and data["email_id"]):
            fields["data.email_id"] = "This field is required."
        if action in (Action.BOUNCE, Action.SUPPRESS) and not _recipients_ok(data.get("to")):
            fields["data.to"] = "At least one recipient address is required."
        if action is Action.BOUNCE:
            bounce = data.get("bounce")
            if not (isinstance(bounce, dict) and isinstance(bounce.get("type"), str) and bounce["type"].strip()):
                fields["data.bounce.type"] = "The bounce type (Permanent, Transient, ...) is required."
    if fields:
        raise InvalidReport("invalid_webhook", "The event lacks required fields or has invalid ones.", fields)
    return Report(type=event_type.strip(), occurred_at=occurred_at, data=data, payload=payload)
