"""Scanning what the portal keeps for long for personal data in clear: the audit log, Resend's
stored reports, the emails it has sent (the outbox after delivery) and its own log.

What counts as found:
- an email address whose local part is not masked (`t***@brightside.example` is masked), other
  than the portal's own sender address, which names no person;
- a network address (IPv4 or IPv6) other than loopback;
- a run of 20 or more hex or base64url characters that is a live key: a secret this scenario saw
  (session ids, sign-in and share-link keys), a configured secret of the portal, or a string whose
  SHA-256 is the stored hash of a session, sign-in link or share link that still works.
"""
from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass

from support.evidence import attachments

ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{1,4}(?![\w:])")
KEY_LIKE = re.compile(r"[A-Za-z0-9_-]{20,}")

_LIVE_HASHES = """
SELECT token_hash AS hash FROM sign_in_links
 WHERE token_hash = ANY(%(h)s) AND used_at IS NULL AND superseded_at IS NULL AND expires_at > now()
UNION ALL
SELECT id_hash FROM sessions WHERE id_hash = ANY(%(h)s) AND ended_at IS NULL AND expires_at > now()
UNION ALL
SELECT token_hash FROM share_links
 WHERE token_hash = ANY(%(h)s) AND revoked_at IS NULL AND expired_at IS NULL AND expires_at > now()
"""

# what the portal keeps, place by place: (place, query giving one text per row)
PLACES = {
    "the audit log": "SELECT row_to_json(a)::text AS text FROM audit_events a WHERE occurred_at >= %(since)s",
    "Resend's stored reports": "SELECT row_to_json(e)::text AS text FROM email_events e"
                               " WHERE received_at >= %(since)s AND source = 'resend'",
    # the recipient column is whom an email is for: the outbox keeps it to send, to show a person's
    # history and to honour suppressions; what an email said is another matter
    "the emails sent": "SELECT json_build_array(subject, html_body, text_body, last_error)::text AS text"
                       " FROM emails WHERE created_at >= %(since)s AND status <> 'queued'",
}


@dataclass(frozen=True)
class Finding:
    place: str
    what: str
    found: str

    def __str__(self) -> str:
        return f"{self.what} in {self.place}: {self.found}"


def _portal_own_addresses(world) -> set[str]:
    portal = world.run.portal
    sender = portal.settings.email_from if portal is not None else ""
    return {a.lower() for a in ADDRESS.findall(sender)}


def _configured_secrets(world) -> set[str]:
    portal = world.run.portal
    if portal is None:
        return set()
    s = portal.settings
    return {v for v in (s.resend_api_key, s.resend_webhook_secret, s.secret_key) if v}


def texts(world) -> dict[str, list[str]]:
    """Everything kept since the scenario began, place by place (the log: this scenario's lines)."""
    kept = {place: [r["text"] for r in world.db.execute(query, {"since": world.started_at}).fetchall()]
            for place, query in PLACES.items()}
    kept["the portal's log"] = world.run.log.all_lines() if world.run.log is not None else []
    return kept


def scan(world) -> list[Finding]:
    kept = texts(world)
    attachments.attach_json(world, "What the portal kept, as scanned", kept)
    own = _portal_own_addresses(world)
    known = set(world.secrets) | _configured_secrets(world)
    findings: list[Finding] = []
    candidates: dict[str, str] = {}
    for place, rows in kept.items():
        for text in rows:
            for address in ADDRESS.findall(text):
                if address.lower() not in own:
                    findings.append(Finding(place, "an email address in clear", address))
            for found in IPV4.findall(text) + IPV6.findall(text):
                try:
                    if not ipaddress.ip_address(found).is_loopback:
                        findings.append(Finding(place, "a network address", found))
                except ValueError:
                    continue  # not an address after all (e.g. 999.1.1.1)
            for run in KEY_LIKE.findall(text):
                if any(secret in run for secret in known if len(secret) >= 20):
                    findings.append(Finding(place, "a key the scenario holds", run[:6] + "..."))
                else:
                    candidates.setdefault(hashlib.sha256(run.encode()).hexdigest(), place)
    if candidates:
        live = world.db.execute(_LIVE_HASHES, {"h": list(candidates)}).fetchall()
        findings += [Finding(candidates[r["hash"]], "a live key", "(its hash is stored)") for r in live]
    return findings


# -- a day's work, as the scan scenario arranges it ---------------------------------------------------

def signed_in_from_email(world, actor):
    """The real flow: ask for a link, receive the email, follow the link. Returns the email."""
    from support.drivers import email_delivery, sessions, sign_in
    from support.harness.expect import answered

    email = email_delivery.ask_for_sign_in_email(world, actor)
    link = sign_in.receive_link(world, actor)
    email = email_delivery.delivered(world, email)
    answered(world, sign_in.follow_link(actor.client, link), 303, meaning=f"{actor.name} to be signed in")
    sessions.remember_session(world, actor.client)
    return email


def gave_task(world, actor, assignee) -> None:
    from support.drivers import work

    work.arrange_project(world, actor.persona.organisation, "Tidewater")
    work.added_task(world, actor, "Grade the trailer", assignee=assignee, due_in_days=3)
    world.wait_until_portal_idle()
