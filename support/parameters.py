"""Typed step parameters: a persona's name resolves to the glossary's persona, durations
(`1 hour`, `30 days`, `3 minutes 50 seconds`) become timedeltas, and the like."""
from __future__ import annotations

import re
from datetime import timedelta

import parse
from behave import register_type

from support.data.personas import glossary, organisation, persona
from support.drivers import email_delivery, sharing, sign_in, work

_NAMES = "|".join(sorted(glossary().personas, key=len, reverse=True))
_ORGANISATIONS = "|".join(re.escape(n) for n in sorted(glossary().organisations, key=len, reverse=True))
_UNITS = {"second": "seconds", "minute": "minutes", "hour": "hours", "day": "days"}
_DURATION_PART = re.compile(r"(\d+) (second|minute|hour|day)s?")


@parse.with_pattern(_NAMES)
def parse_persona(text: str):
    return persona(text)


@parse.with_pattern(_ORGANISATIONS)
def parse_organisation(text: str):
    return organisation(text)


@parse.with_pattern(r"\d+")
def parse_count(text: str) -> int:
    return int(text)


@parse.with_pattern(r"his|her|their")
def parse_pronoun(text: str) -> str:
    return text


@parse.with_pattern(r"\d+ (?:second|minute|hour|day)s?(?: \d+ (?:second|minute|hour|day)s?)*")
def parse_duration(text: str) -> timedelta:
    """"1 hour", "61 minutes", "30 days", "3 minutes 50 seconds"."""
    return sum((timedelta(**{_UNITS[unit]: int(n)}) for n, unit in _DURATION_PART.findall(text)), timedelta())


@parse.with_pattern(r"viewing only|viewing and download")
def parse_permission(text: str) -> str:
    """How people say what a share link allows, as the portal's permission."""
    return {"viewing only": "view", "viewing and download": "download"}[text]


def _one_of(phrases) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


@parse.with_pattern(_one_of(sharing.GUEST_REQUESTS))
def parse_guest_request(text: str) -> str:
    """What a guest's browser asks of a share link: "opens the share link", "downloads the cut"..."""
    return text


@parse.with_pattern(_one_of(sharing.OUTSIDER_ATTEMPTS))
def parse_link_action(text: str) -> str:
    """What an owner does with a cut's links: "see the cut's links", "revoke the cut's link"..."""
    return text


@parse.with_pattern(_one_of(sign_in.HELD_LINKS))
def parse_held_sign_in_link(text: str) -> str:
    """A sign-in link someone holds: "a link that expired", "a link with a mangled key"..."""
    return text


@parse.with_pattern(_one_of(sharing.DEAD_LINKS))
def parse_dead_share_link(text: str) -> str:
    """A share link that no longer works: "a revoked link", "a link replaced by rotation"..."""
    return text


@parse.with_pattern(r'[^"]*')
def parse_quoted(text: str) -> str:
    """The text between double quotes, never past the closing one."""
    return text


@parse.with_pattern(_one_of(list(work.ATTEMPTS) + list(work.OWN_PROJECT_ATTEMPTS)))
def parse_work_action(text: str) -> str:
    """What someone does with a project's work: "see the milestones", "delete the task"..."""
    return text


@parse.with_pattern(_one_of(work.UNVERSIONED))
def parse_unversioned_change(text: str) -> str:
    return text


@parse.with_pattern(_one_of(work.MILESTONE_PROBLEMS))
def parse_milestone_problem(text: str) -> str:
    return text


@parse.with_pattern(_one_of(work.ORDER_PROBLEMS))
def parse_order_problem(text: str) -> str:
    return text


@parse.with_pattern(_one_of(work.REFUSED_RECORDS))
def parse_refused_record(text: str) -> str:
    return text


@parse.with_pattern(_one_of(email_delivery.KINDS))
def parse_email_kind(text: str) -> str:
    """A kind of email as the features name it: "sign-in email", "digest"..."""
    return text


@parse.with_pattern(r"he|she|they")
def parse_subject(text: str) -> str:
    return text


@parse.with_pattern(r"on|off")
def parse_on_off(text: str) -> bool:
    return text == "on"


register_type(q=parse_quoted, subject=parse_subject, work_action=parse_work_action, unversioned_change=parse_unversioned_change,
              milestone_problem=parse_milestone_problem, order_problem=parse_order_problem,
              refused_record=parse_refused_record, email_kind=parse_email_kind, on_off=parse_on_off)
register_type(persona=parse_persona, organisation=parse_organisation, count=parse_count, pronoun=parse_pronoun,
              duration=parse_duration, permission=parse_permission, guest_request=parse_guest_request,
              link_action=parse_link_action, held_sign_in_link=parse_held_sign_in_link,
              dead_share_link=parse_dead_share_link)
