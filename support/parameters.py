"""Typed step parameters: a persona's name resolves to the glossary's persona; counts and
durations (`3 minutes 50 seconds`) become numbers."""
from __future__ import annotations

import re

import parse
from behave import register_type

from .personas import glossary, persona

_NAMES = "|".join(sorted(glossary().personas, key=len, reverse=True))


@parse.with_pattern(_NAMES)
def parse_persona(text: str):
    return persona(text)


@parse.with_pattern(r"\d+")
def parse_count(text: str) -> int:
    return int(text)


@parse.with_pattern(r"his|her|their")
def parse_pronoun(text: str) -> str:
    return text


_DURATION_PART = re.compile(r"(\d+) (minute|second)s?")


@parse.with_pattern(r"\d+ (?:minutes?|seconds?)(?: \d+ seconds?)?")
def parse_duration(text: str) -> float:
    """`1 minute`, `50 seconds`, `3 minutes 50 seconds` -> seconds."""
    return float(sum(int(n) * (60 if unit == "minute" else 1) for n, unit in _DURATION_PART.findall(text)))


register_type(persona=parse_persona, count=parse_count, pronoun=parse_pronoun, duration=parse_duration)
