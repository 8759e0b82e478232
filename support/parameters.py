"""Typed step parameters: a persona's name resolves to the glossary's persona, durations
(`1 hour`, `30 days`, `3 minutes 50 seconds`) become timedeltas, and the like.

Most types are "one of these phrases", built by `phrases()` from a catalogue the drivers keep (the
requests a guest can make, the kinds of dead link...), so a step accepts exactly what the harness
can do, and each type knows its allowed values (`.values`) for the step catalogue.
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Callable, Iterable

import parse
from behave import register_type

from support.data.personas import glossary, organisation, persona
from support.drivers import api_access, audit, cuts, email_delivery, people, readiness, sharing, sign_in, work

_UNITS = {"second": "seconds", "minute": "minutes", "hour": "hours", "day": "days"}
_DURATION_PART = re.compile(r"(\d+) (second|minute|hour|day)s?")


def phrases(values: Iterable[str], meaning: str, convert: Callable[[str], object] = str):
    """A parameter type matching exactly one of `values` (longest first, so no phrase shadows a
    longer one), converted by `convert`; `meaning` says what it stands for."""
    values = sorted(values, key=len, reverse=True)

    @parse.with_pattern("|".join(re.escape(v) for v in values))
    def parse_phrase(text: str):
        return convert(text)

    parse_phrase.__doc__ = meaning
    parse_phrase.values = sorted(values)
    return parse_phrase


@parse.with_pattern(r"\d+")
def parse_count(text: str) -> int:
    """A whole number: "5", "100"."""
    return int(text)


@parse.with_pattern(r"\d+ (?:second|minute|hour|day)s?(?: \d+ (?:second|minute|hour|day)s?)*")
def parse_duration(text: str) -> timedelta:
    """A duration: "1 hour", "61 minutes", "30 days", "3 minutes 50 seconds"."""
    return sum((timedelta(**{_UNITS[unit]: int(n)}) for n, unit in _DURATION_PART.findall(text)), timedelta())


@parse.with_pattern(r'[^"]*')
def parse_quoted(text: str) -> str:
    """The text between double quotes, never past the closing one."""
    return text


PERMISSIONS = {"viewing only": "view", "viewing and download": "download"}

TYPES = {
    "mux_report": phrases(cuts.REPORTS, "What a Mux webhook reports, as support/drivers/cuts.py REPORTS names it."),
    "cut_status": phrases(cuts.STATUSES, "A cut's status: uploading, processing, ready, failed, upload failed."),
    "mux_trouble": phrases(cuts.MUX_TROUBLE, "What goes wrong at Mux when the portal asks it for an upload."),
    "bad_signature": phrases(cuts.BAD_SIGNATURES, "What is wrong with a webhook's mux-signature."),
    "persona": phrases(glossary().personas, "A persona of features/glossary.md, as the glossary defines them.", persona),
    "organisation": phrases(glossary().organisations, "An organisation of features/glossary.md.", organisation),
    "count": parse_count,
    "duration": parse_duration,
    "q": parse_quoted,
    "pronoun": phrases(["his", "her", "their"], "A possessive pronoun, for reading only."),
    "subject": phrases(["he", "she", "they"], "A pronoun, for reading only."),
    "on_off": phrases(["on", "off"], "Switched on or off.", lambda text: text == "on"),
    "before_after": phrases(["before", "after"], "Earlier or later than a moment."),
    "permission": phrases(PERMISSIONS, "What a share link allows, as people say it.", PERMISSIONS.get),
    "guest_request": phrases(sharing.GUEST_REQUESTS, "What a guest's browser asks of a share link."),
    "link_action": phrases(sharing.OUTSIDER_ATTEMPTS, "What an owner does with a cut's links."),
    "held_sign_in_link": phrases(sign_in.HELD_LINKS, "A sign-in link someone holds, and how it came to be."),
    "dead_share_link": phrases(sharing.DEAD_LINKS, "A share link that no longer works, and why."),
    "work_action": phrases(list(work.ATTEMPTS) + list(work.OWN_PROJECT_ATTEMPTS),
                           "What someone does with a project's work (milestones and tasks)."),
    "unversioned_change": phrases(work.UNVERSIONED, "A change to a milestone or task sent without the version it read."),
    "milestone_problem": phrases(work.MILESTONE_PROBLEMS, "A task's milestone that the portal refuses."),
    "order_problem": phrases(work.ORDER_PROBLEMS, "A new order of milestones that the portal refuses."),
    "refused_record": phrases(work.REFUSED_RECORDS, "A record the database itself refuses."),
    "role": phrases(people.ROLES, "A role in an organisation, as people say it: an admin, a producer, guests."),
    "api_caller": phrases(api_access.CALLERS, "A caller of the JSON API with a budget of its own: a system with a key, a browser."),
    "held_key": phrases(api_access.HELD_KEYS, "An API key a system holds that the portal refuses, and why."),
    "held_invitation": phrases(people.HELD_INVITATIONS, "An invitation someone holds that no longer works, and why."),
    "email_kind": phrases(email_delivery.KINDS, "A kind of email, as the features name it."),
    "provider_answer": phrases(email_delivery.PROVIDER_ANSWERS,
                               "An answer Resend documents, by its error name, or a proxy's page in front of it."),
    "audit_reading": phrases(audit.READINGS, "What an admin reads of the audit log.", audit.READINGS.get),
    "readiness_check": phrases(readiness.CHECKS, "A dependency readiness reports on.", readiness.CHECKS.get),
    "hold_attempt": phrases(audit.HOLD_ATTEMPTS, "What someone does with a project's legal hold.", audit.HOLD_ATTEMPTS.get),
}

register_type(**TYPES)
