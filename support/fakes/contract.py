"""Provider contracts: what a provider's published documentation says a call and its answer look
like, written down as JSON Schema (draft 2020-12) and checked on every call a fake receives.

One file per provider, `support/fakes/contracts/<provider>.schema.json`; each part of the
contract (a request body, its headers, an answer, a webhook payload) is a named entry under its
`$defs`, e.g. `send_email.request.body`. Each entry records in `x-source` the documentation page
it was written from and when it was read.

    from support.fakes import contract
    contract.check("resend", "send_email.request.body", payload)        # raises ContractViolation
    contract.check_headers("resend", "send_email.request.headers", request.headers)
    contract.problems("resend", "send_email.response.200", body)        # -> list[str], never raises
    contract.parts("resend")                                            # -> the names of its parts

A violation fails the scenario (it is an AssertionError) with one plain line per problem, naming
the field: `resend send_email.request.body: tags[0].name: 'sign in' does not match ...`.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

CONTRACTS = Path(__file__).resolve().parent / "contracts"


class ContractViolation(AssertionError):
    """A call or an answer that the provider's documented contract does not allow."""

    def __init__(self, provider: str, part: str, problems: list[str]):
        self.provider, self.part, self.problems = provider, part, problems
        listed = "\n  ".join(problems)
        super().__init__(f"{provider} {part} breaks the provider's documented contract:\n  {listed}")


@lru_cache(maxsize=None)
def document(provider: str) -> dict:
    """The provider's whole contract file, parsed (and itself checked against the metaschema)."""
    path = CONTRACTS / f"{provider}.schema.json"
    if not path.is_file():
        raise FileNotFoundError(f"no contract for provider {provider!r}: {path} does not exist")
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


def parts(provider: str) -> list[str]:
    """The names of the contract's parts, in the order the file lists them."""
    return list(document(provider).get("$defs", {}))


def source(provider: str, part: str) -> str:
    """The documentation page (and the date it was read) a part was written from."""
    return _part(provider, part).get("x-source", "")


def problems(provider: str, part: str, instance) -> list[str]:
    """Every way `instance` breaks the named part, one readable line each (empty: it conforms)."""
    errors = sorted(_validator(provider, part).iter_errors(instance), key=lambda e: list(e.absolute_path))
    return [_describe(error) for error in _leaves(errors)]


def check(provider: str, part: str, instance) -> None:
    """Raise ContractViolation, naming each offending field, unless `instance` conforms."""
    found = problems(provider, part, instance)
    if found:
        raise ContractViolation(provider, part, found)


def check_headers(provider: str, part: str, headers: Mapping[str, str]) -> None:
    """Like check(), for HTTP headers: names are compared in lower case, as HTTP does."""
    check(provider, part, lowercase_headers(headers))


def lowercase_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(name).lower(): value for name, value in dict(headers).items()}


# -- internals ---------------------------------------------------------------------------------

def _part(provider: str, part: str) -> dict:
    defs = document(provider).get("$defs", {})
    if part not in defs:
        raise KeyError(f"the {provider} contract has no part {part!r}; it has: {', '.join(defs)}")
    return defs[part]


@lru_cache(maxsize=None)
def _validator(provider: str, part: str) -> Draft202012Validator:
    _part(provider, part)
    schema = document(provider)
    base = schema.get("$id", f"urn:contract:{provider}")
    registry = Registry().with_resource(base, Resource.from_contents(schema))
    pointer = part.replace("~", "~0").replace("/", "~1")
    return Draft202012Validator({"$ref": f"{base}#/$defs/{pointer}"}, registry=registry)


def _leaves(errors: list[ValidationError]) -> list[ValidationError]:
    """For a oneOf/anyOf failure, the reason from the alternative that came closest, rather than
    'is not valid under any of the given schemas'."""
    out: list[ValidationError] = []
    for error in errors:
        needs_one_of = error.context and all(e.validator == "required" for e in error.context)
        out.append(best_match([error]) if error.context and not needs_one_of else error)
    seen, unique = set(), []
    for error in out:
        line = _describe(error)
        if line not in seen:
            seen.add(line)
            unique.append(error)
    return unique


def _describe(error: ValidationError) -> str:
    where = _path(error.absolute_path) or "(the whole value)"
    return f"{where}: {_message(error)}"


def _message(error: ValidationError) -> str:
    """jsonschema's message, made short enough to read when the value is long."""
    value, limit = error.instance, error.validator_value
    if error.validator in ("anyOf", "oneOf") and error.context and all(e.validator == "required" for e in error.context):
        return "needs one of: " + ", ".join(sorted({str(e.validator_value[0]) for e in error.context}))
    if error.validator in ("maxItems", "minItems"):
        bound = "at most" if error.validator == "maxItems" else "at least"
        return f"has {len(value)} item(s); {bound} {limit} allowed"
    if error.validator in ("maxLength", "minLength"):
        bound = "at most" if error.validator == "maxLength" else "at least"
        return f"is {len(value)} character(s) long; {bound} {limit} allowed"
    if error.validator == "pattern":
        return f"{_short(value)} does not match the pattern {limit}"
    if error.validator == "additionalProperties":
        return error.message
    message = error.message
    return message if len(message) <= 240 else message[:200] + " ... " + message[-30:]


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:60] + "..." + text[-12:]


def _path(path) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text
