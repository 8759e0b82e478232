"""Typed step parameters: a persona's name resolves to the glossary's persona."""
from __future__ import annotations

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


register_type(persona=parse_persona, count=parse_count, pronoun=parse_pronoun)
