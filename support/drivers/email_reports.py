"""Reports from Resend: webhooks about the portal's emails, built as Resend builds them and signed
exactly as Svix signs them (support/fakes/resend.py), plus the ways a forger or a broken
sender gets them wrong. Every payload sent is attached to the report."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from support.drivers.email_delivery import EmailRef
from support.evidence import attachments
from support.fakes.resend import (
    WEBHOOK_SECRET,
    about_sent,
    conforms,
    contact_event,
    domain_event,
    envelope,
    event_details,
    new_message_id,
    received,
    signed_headers,
)
from support.harness.clock import database_now
from support.harness.http import Exchange

WEBHOOK = "/webhooks/resend"
STUDIO_INBOX = "studio@northlight.example"


@dataclass
class SentReport:
    event_type: str
    message_id: str
    body: str
    headers: dict
    answer: Exchange
    about: EmailRef | None = None
    extra: dict = field(default_factory=dict)


def _client(world, sender: str):
    clients = world.email.webhook_clients
    if sender not in clients:
        clients[sender] = world.client(sender)
    return clients[sender]


def post(world, sender: str, title: str, body: str, headers: dict) -> Exchange:
    attachments.attach_webhook(world, title, headers, body)
    return _client(world, sender).post(WEBHOOK, content=body.encode("utf-8"), headers=headers)


def body_about(world, event_type: str, email: EmailRef | None, *, minutes_ago: float = 0,
               bounce_type: str = "Permanent") -> dict:
    """The body Resend sends for `event_type` about `email`; `minutes_ago`: when the event happened."""
    occurred_at = database_now(world) - timedelta(minutes=minutes_ago)
    someone = f"someone.{world.suffix}@example.net"
    if event_type.startswith("contact."):
        return contact_event(event_type, address=someone, occurred_at=occurred_at)
    if event_type.startswith("domain."):
        return domain_event(event_type, name="northlight.example", occurred_at=occurred_at)
    if event_type == "email.received":
        # incoming mail has an id of its own, and is addressed to the studio
        return received(to=[STUDIO_INBOX], sender=email.actor.email if email else someone,
                        subject="Re: Your sign-in link", occurred_at=occurred_at)
    if email is None:  # about an email the scenario does not follow
        return envelope(event_type, email_id=str(uuid.uuid4()), to=[someone], subject="Your sign-in link",
                        occurred_at=occurred_at, tags=[{"name": "template", "value": "sign_in_link"}],
                        extra=event_details(event_type, to=[someone], bounce_type=bounce_type))
    sent = email.sent
    if sent is None:
        raise AssertionError(f"the {email.kind} to {email.actor.name} never reached the email provider")
    return about_sent(event_type, sent, occurred_at=occurred_at, bounce_type=bounce_type)


def report(world, event_type: str, email: EmailRef | None, *, minutes_ago: float = 0,
           bounce_type: str = "Permanent", signed_minutes_ago: float = 0,
           secrets: tuple[str, ...] = (WEBHOOK_SECRET,)) -> SentReport:
    """Resend reports `event_type` about `email`: signed with `secrets` (several during a change
    of secret), `signed_minutes_ago` minutes ago (negative: in the future)."""
    body = json.dumps(body_about(world, event_type, email, minutes_ago=minutes_ago, bounce_type=bounce_type))
    return send_signed(world, event_type, body, email, signed_minutes_ago=signed_minutes_ago, secrets=secrets)


def send_signed(world, event_type: str, body: str, email: EmailRef | None, *, message_id: str | None = None,
                signed_minutes_ago: float = 0, secrets: tuple[str, ...] = (WEBHOOK_SECRET,),
                broken: bool = False) -> SentReport:
    """Sign `body` as Resend's Svix does and post it. Unless the scenario sends a `broken` body on
    purpose, the body must be one Resend could send (its published event schema)."""
    if not broken:
        conforms(json.loads(body))
    message_id = message_id or new_message_id()
    timestamp = datetime.now(timezone.utc) - timedelta(minutes=signed_minutes_ago)
    headers = signed_headers(body, message_id=message_id, timestamp=timestamp, secret=secrets[0])
    if len(secrets) > 1:
        headers["svix-signature"] = " ".join(
            signed_headers(body, message_id=message_id, timestamp=timestamp, secret=s)["svix-signature"]
            for s in secrets)
    answer = post(world, "Resend", f"Webhook from Resend: {event_type}", body, headers)
    sent = SentReport(event_type, message_id, body, headers, answer, email)
    world.email.reports.append(sent)
    return sent


def report_about_other_mail(world, actor, event_type: str, bounce_type: str = "Permanent") -> SentReport:
    """A report about an email to the actor that the portal did not send (another system that
    uses the same Resend account)."""
    body = json.dumps(envelope(event_type, email_id=str(uuid.uuid4()), to=[actor.email],
                               subject="Your monthly invoice", sender="Northlight Accounts <accounts@northlight.example>",
                               occurred_at=database_now(world), tags=[{"name": "template", "value": "invoice"}],
                               extra=event_details(event_type, to=[actor.email], bounce_type=bounce_type)))
    return send_signed(world, event_type, body, None)


def report_ahead_of_send(world, actor, event_type: str) -> SentReport:
    """A report about the actor's next email that reaches the portal before the portal has
    recorded that Resend accepted the email (Resend can be that fast): the id Resend will give
    the email is settled in advance."""
    email_id = world.run.resend.assign_next_id()
    body = json.dumps(envelope(event_type, email_id=email_id, to=[actor.email], subject="Your sign-in link for Northlight Studio",
                               occurred_at=database_now(world), tags=[{"name": "template", "value": "sign_in_link"}],
                               extra=event_details(event_type, to=[actor.email])))
    return send_signed(world, event_type, body, None)


def redeliver(world, earlier: SentReport) -> SentReport:
    """Svix delivers the same message again: the same svix-id and body, a fresh timestamp and signature."""
    return send_signed(world, earlier.event_type, earlier.body, earlier.about, message_id=earlier.message_id)


def last_report(world, event_type: str | None = None) -> SentReport:
    reports = [r for r in world.email.reports if event_type in (None, r.event_type)]
    if not reports:
        raise AssertionError(f"no report{' of ' + event_type if event_type else ''} was sent in this scenario")
    return reports[-1]


# -- forgeries: what an attacker sends ------------------------------------------------------------

OTHER_SECRET = "whsec_" + "bWFsbG9yeSdzIG93biBzaWduaW5nIGtleQ=="


def forged_bounce(world, email: EmailRef, problem: str) -> Exchange:
    """A report that `email` bounced, sent by someone without Resend's secret, or tampered with."""
    genuine = json.dumps(body_about(world, "email.bounced", email))
    now = datetime.now(timezone.utc)
    message_id = new_message_id()

    def signed(body=genuine, at=now, secret=WEBHOOK_SECRET, msg=message_id):
        return signed_headers(body, message_id=msg, timestamp=at, secret=secret)

    body, headers = genuine, signed()
    if problem == "without a signature":
        del headers["svix-signature"]
    elif problem == "signed with a secret of her own":
        headers = signed(secret=OTHER_SECRET)
    elif problem == "with a signature that is not well formed":
        headers["svix-signature"] = "v1" + headers["svix-signature"][3:]  # the separating comma left out
    elif problem == "with a signature in an unknown scheme":
        headers["svix-signature"] = "v2" + headers["svix-signature"][2:]
    elif problem == "whose body she changed after Resend signed it":
        delivered = json.dumps(body_about(world, "email.delivered", email))
        headers = signed(body=delivered)  # Resend signed a delivery; she sends a bounce under it
    elif problem == "whose message id she changed after signing":
        headers["svix-id"] = new_message_id()
    elif problem == "that Resend signed 6 minutes ago":
        headers = signed(at=now - timedelta(minutes=6))
    elif problem == "dated 6 minutes in the future":
        headers = signed(at=now + timedelta(minutes=6))
    elif problem == "without a message id":
        del headers["svix-id"]
    elif problem == "without a timestamp":
        del headers["svix-timestamp"]
    elif problem == "with a timestamp that is not a number":
        headers["svix-timestamp"] = "yesterday"
    else:
        raise AssertionError(f"the harness has no forgery called {problem!r}")
    return post(world, "Mallory", f"Forged webhook: bounce {problem}", body, headers)


# -- broken reports: signed by Resend, but not something the portal can read ----------------------

def _without(path: str):
    def change(body: dict) -> dict:
        *parents, leaf = path.split(".")
        node = body
        for part in parents:
            node = node[part]
        del node[leaf]
        return body
    return change


_BROKEN = {
    "a list instead of an object": lambda b: [b],
    "no event type": _without("type"),
    "no event time": _without("created_at"),
    "an event time that is not a time": lambda b: {**b, "created_at": "last Tuesday"},
    "no data": _without("data"),
    "no email id": _without("data.email_id"),
    "a bounce without a recipient": _without("data.to"),
    "a bounce without its bounce type": _without("data.bounce.type"),
    "an event time in the year 1": lambda b: {**b, "created_at": "0001-01-01T00:00:00+14:00"},
    "a NUL character in the bounce message": lambda b: {**b, "data": {**b["data"], "bounce": {
        **b["data"]["bounce"], "message": "mailbox\u0000full"}}},
    "half a character in the subject": lambda b: {**b, "data": {**b["data"], "subject": "Your sign-in link \ud800"}},
    # a document, not a dict: 30,000 nested arrays in the tags
    "tags nested 30,000 levels deep": lambda b: json.dumps(b)[:-1] + ', "tags_extra": ' + "[" * 30_000 + "]" * 30_000 + "}",
}


def broken_report(world, email: EmailRef, problem: str) -> Exchange:
    genuine = body_about(world, "email.bounced", email)
    if problem == "whose body is not JSON":
        body = json.dumps(genuine)[:-20]  # cut off, as a proxy that gave up half-way would send it
    elif problem in _BROKEN:
        broken = _BROKEN[problem](genuine)
        body = broken if isinstance(broken, str) else json.dumps(broken)
    else:
        raise AssertionError(f"the harness has no broken report called {problem!r} (known: {', '.join(_BROKEN)})")
    return send_signed(world, "email.bounced (broken)", body, email, broken=True).answer


# -- what the portal made of a report (a fact only the database holds for reports about no email) --

_RECORDED = "SELECT type, effect, detail, email_id IS NOT NULL AS about_an_email FROM email_events WHERE svix_id = %s"


def recorded(world, sent: SentReport) -> dict | None:
    rows = world.db.execute(_RECORDED, (sent.message_id,)).fetchall()
    attachments.attach_rows(world, f"How the portal recorded the report {sent.message_id}", _RECORDED, rows)
    return rows[0] if rows else None


# -- when the reported event happened, as scenarios name it: minutes before the portal's clock -----

EVENT_TIMES = {
    "29 days and 23 hours ago": 30 * 24 * 60 - 60,
    "30 days and 1 hour ago": 30 * 24 * 60 + 60,
    "59 minutes from now": -59,
    "61 minutes from now": -61,
}


def minutes_ago(when: str) -> float:
    if when not in EVENT_TIMES:
        raise AssertionError(f"the harness has no event time called {when!r} (known: {', '.join(EVENT_TIMES)})")
    return EVENT_TIMES[when]


# -- a click report carrying the email's link, spelled as trackers and HTML spell it ----------------

def _spelled(link: str, spelling: str) -> str:
    from urllib.parse import quote

    spellings = {
        "as it was sent": lambda: link,
        "percent-encoded inside a tracking address": lambda: "https://click.tracker.example/r?u=" + quote(link, safe=""),
        "with its ampersand written for HTML": lambda: link.replace("?token=", "?utm_source=email&amp;token="),
        "with an encoded ampersand inside a tracking address":
            lambda: "https://click.tracker.example/r?u=" + quote(link.replace("?token=", "?utm_source=email&token="), safe=""),
    }
    if spelling not in spellings:
        raise AssertionError(f"the harness has no spelling of a link called {spelling!r} (known: {', '.join(spellings)})")
    return spellings[spelling]()


def click_report(world, email: EmailRef, spelling: str) -> SentReport:
    """Resend reports a click on the first link of `email`, carrying that link spelled `spelling`."""
    body = body_about(world, "email.clicked", email)
    body["data"]["click"]["link"] = _spelled(email.sent.links[0], spelling)
    return send_signed(world, "email.clicked", json.dumps(body), email)
