"""The personas and organisations of features/glossary.md, read from the glossary itself.

The glossary is the single place where personas are defined: product owners edit the table,
and the suite builds its actors from it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parents[2] / "features" / "glossary.md"


class GlossaryError(ValueError):
    pass


@dataclass(frozen=True)
class Organisation:
    name: str
    kind: str  # studio | agency
    email_domain: str

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


@dataclass(frozen=True)
class Persona:
    name: str
    role: str | None          # admin | producer | guest; None: no account
    organisation: Organisation | None
    account: str              # active | suspended | none
    description: str

    @property
    def has_account(self) -> bool:
        return self.account != "none"



@dataclass(frozen=True)
class Glossary:
    organisations: dict[str, Organisation]
    personas: dict[str, Persona]


def _table(markdown: str, heading: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of the first Markdown table under `## heading`, keyed by the header cells."""
    section = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    if not section:
        raise GlossaryError(f"the glossary has no '## {heading}' section")
    lines = [l.strip() for l in section.group(1).splitlines() if l.strip().startswith("|")]
    if len(lines) < 3:
        raise GlossaryError(f"the '## {heading}' section has no table rows")
    cells = lambda line: [c.strip().strip("`*") for c in line.strip("|").split("|")]
    header = [h.lower() for h in cells(lines[0])]
    missing = [c for c in required if c not in header]
    if missing:
        raise GlossaryError(f"the '## {heading}' table lacks the column(s): {', '.join(missing)}")
    return [dict(zip(header, cells(line))) for line in lines[2:]]


def parse_glossary(markdown: str) -> Glossary:
    organisations = {}
    for row in _table(markdown, "Organisations", ("organisation", "kind", "email domain")):
        org = Organisation(row["organisation"], row["kind"], row["email domain"])
        if org.kind not in ("studio", "agency"):
            raise GlossaryError(f"organisation {org.name}: kind must be studio or agency, not {org.kind!r}")
        organisations[org.name] = org
    personas = {}
    for row in _table(markdown, "Personas", ("persona", "role", "organisation", "account")):
        account = row["account"].lower()
        if account not in ("active", "suspended", "none"):
            raise GlossaryError(f"persona {row['persona']}: account must be active, suspended or none")
        org_name = row["organisation"]
        if account != "none" and org_name not in organisations:
            raise GlossaryError(f"persona {row['persona']}: unknown organisation {org_name!r}")
        role = row["role"].lower()
        if account != "none" and role not in ("admin", "producer", "guest"):
            raise GlossaryError(f"persona {row['persona']}: role must be admin, producer or guest")
        personas[row["persona"]] = Persona(
            name=row["persona"],
            role=role if account != "none" else None,
            organisation=organisations.get(org_name),
            account=account,
            description=row.get("who they are", ""),
        )
    return Glossary(organisations, personas)


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    return parse_glossary(GLOSSARY.read_text(encoding="utf-8"))


def persona(name: str) -> Persona:
    return _defined(glossary().personas, name, "a persona")


def organisation(name: str) -> Organisation:
    return _defined(glossary().organisations, name, "an organisation")


def _defined(table: dict, name: str, what: str):
    try:
        return table[name]
    except KeyError:
        raise GlossaryError(f"{name!r} is not {what} of features/glossary.md (known: {', '.join(table)})") from None
