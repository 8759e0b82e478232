"""Every HTTP exchange the suite makes, checked against the portal's own OpenAPI document.

The document (portal/web/openapi.py) promises, for each operation, every status it can answer, the
body of each (media type and schema) and the headers each carries. `PortalContract.problems(exchange)`
says, in one plain sentence each, where an answer breaks that promise:

- an operation's answer with a status the document does not list (named with the operation, so
  that whoever merges a new endpoint sees at once what it does not yet document);
- a body of another media type, or one that does not match the schema;
- a documented header missing or malformed (`X-Request-ID`, `Location`, `Retry-After`, ...);
- an address outside the document answered with anything but the error body's 404 (or 405 with
  `Allow`, when the address exists for other methods).

Answers to deliberately bad requests are checked the same way: a refusal must be documented too.
Response checks are done by openapi-core; the rules for addresses outside the document are here.

Cost: openapi-core's `iter_response_errors` re-derives everything on each call (the operation, the
response, a schema validator with a deep copy of its format checker, each header's deserialiser):
about 3-6 ms an exchange, a large part of the suite's time. So each (operation, status) gets a plan
once, built from openapi-core's own pieces (its schema validator factory, the same validator class
and format checker it would use), and an answer the plan finds keeping the document is done in
tens of microseconds. An answer the plan does not clear is handed to openapi-core's full check,
whose findings are the verdict and the words: the plan only ever says "keeps it" when openapi-core
would too (where it is unsure, a body's media type it does not decode, a header it does not cast,
it defers), so no verdict changes.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.validation.schemas import oas31_schema_validators_factory
from jsonschema_path import SchemaPath
from werkzeug.datastructures import Headers, ImmutableMultiDict

from support.evidence.redaction import redact_url

PREFIX = "Contract violation"
# served by the portal, deliberately not operations of its API: the home page and the document itself;
# and the monitoring system's /metrics (issue 15), a 404 for anyone else (features/operations/metrics.feature)
SERVED_UNDOCUMENTED = frozenset({"/", "/openapi.json", "/metrics"})
SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def snapshot() -> dict:
    """The committed snapshot of the portal's OpenAPI document (tools/openapi_snapshot.py)."""
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Operation:
    method: str
    template: str

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


class _Request:
    """An exchange's request as openapi-core reads it, with the path template already matched."""

    def __init__(self, exchange, method: str, template: str):
        parts = urlsplit(exchange.url)
        self.host_url = f"{parts.scheme}://{parts.netloc}"
        self.path = parts.path
        self.path_pattern = template
        self.method = method.lower()
        self.body = exchange.request_body.encode("utf-8") if exchange.request_body else None
        self.content_type = (exchange.request_content_type or "").lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict([(k, v) for k, vs in parse_qs(parts.query).items() for v in vs]),
            header=Headers(exchange.request_headers),
            cookie=ImmutableMultiDict(),
        )


class _Response:
    def __init__(self, exchange):
        self.status_code = exchange.status
        self.headers = Headers(exchange.response_headers)
        self.content_type = (exchange.response_content_type or "").lower()
        self.data = exchange.response_body.encode("utf-8") if exchange.response_body else b""


_DIGITS = re.compile(r"^[0-9]+$")


class _Plan:
    """What one documented answer (an operation's response for a status) requires, compiled once:
    a schema validator per media type of its body and per header, from openapi-core's own factory.
    `keeps(exchange)` is True only when the answer surely keeps the document; False means "ask
    openapi-core", which then says whether and how it breaks it."""

    # how openapi-core reads a body of these media types (openapi_core.deserializing.media_types)
    DECODERS = {"application/json": json.loads, "text/html": str}

    def __init__(self, spec: SchemaPath, answer: SchemaPath, validators: dict):
        self.media = None  # None: the answer documents no body, and none is checked
        self.listed: set[str] = set()  # every media type the answer lists, compiled or not
        if "content" in answer:
            self.media = {}
            for mimetype, media_type in (answer / "content").str_items():
                self.listed.add(mimetype)
                if mimetype not in self.DECODERS or "schema" not in media_type:
                    continue  # left to openapi-core
                self.media[mimetype] = _validator(spec, media_type / "schema", validators)
        self.headers = []  # (name, required, cast, validator); cast None: left to openapi-core
        if "headers" in answer:
            for name, header in (answer / "headers").str_items():
                if name.lower() == "content-type":
                    continue  # openapi-core ignores it, as OpenAPI says
                with header.open() as raw:
                    spec_of = dict(raw)
                schema = spec_of.get("schema")
                kind = schema.get("type") if isinstance(schema, dict) else None
                simple = "content" not in spec_of and spec_of.get("style", "simple") == "simple" \
                    and kind in ("string", "integer")
                self.headers.append((name, bool(spec_of.get("required")), kind if simple else None,
                                     _validator(spec, header / "schema", validators) if simple else None))

    def keeps(self, exchange) -> bool:
        if self.media is not None:
            body = exchange.response_body
            mimetype = (exchange.response_content_type or "").lower()
            media, _, parameters = mimetype.partition(";")
            media = media.rstrip()
            # openapi-core's choice: the whole value as listed, else the media type without parameters
            listed = mimetype if mimetype in self.listed else media if media in self.listed else None
            validator = self.media.get(listed)
            if not body or validator is None or (parameters and parameters.strip() != "charset=utf-8"):
                return False  # no body, a range or unlisted type, another charset: openapi-core decides
            try:
                value = self.DECODERS[listed](body)
            except ValueError:
                return False
            if not validator.is_valid(value):
                return False
        for name, required, kind, validator in self.headers:
            value = exchange.header(name)
            if value is None:
                if required:
                    return False
                continue
            if kind is None:
                return False
            if kind == "integer":
                if not _DIGITS.match(value):
                    return False
                value = int(value)
            if not validator.is_valid(value):
                return False
        return True


def _validator(spec: SchemaPath, schema: SchemaPath, validators: dict):
    """The jsonschema validator openapi-core builds for this schema (same class, format checker, $refs),
    one per distinct schema: most answers share the error body's and every answer's headers'."""
    with schema.open() as contents:
        key = json.dumps(contents, sort_keys=True)
    if key not in validators:
        validators[key] = oas31_schema_validators_factory.create(spec, schema).validator
    return validators[key]


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"(\{[^}/]+\})", template)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")


@dataclass
class PortalContract:
    document: dict
    undocumented: Counter = field(default_factory=Counter)  # (operation, status) -> times seen

    def __post_init__(self):
        self._spec = SchemaPath.from_dict(self.document)
        self._plans: dict[tuple[str, str, str], _Plan] = {}  # (method, template, response key)
        self._validators: dict[str, object] = {}  # a schema's JSON -> its compiled validator
        paths = self.document.get("paths", {})
        # literal segments before parameters: /projects/{id}/milestones/order before a wider match
        self._paths = sorted(((t, _pattern(t)) for t in paths), key=lambda tp: (tp[0].count("{"), -len(tp[0])))

    @cached_property
    def openapi(self) -> OpenAPI:
        """openapi-core's full check, built on first need (it validates the whole document first)."""
        return OpenAPI.from_dict(self.document)

    def template_of(self, path: str) -> str | None:
        return next((t for t, pattern in self._paths if pattern.match(path)), None)

    def problems(self, exchange, known_secrets=()) -> list[str]:
        """Each way the exchange's answer breaks the document, as one sentence; [] when it keeps it."""
        found = self._check(exchange)
        if not found:
            return []
        where = f"{exchange.actor}'s {exchange.method} {redact_url(exchange.path.split('?')[0], known_secrets)}"
        return [f"{PREFIX}: {where} answered {exchange.status}, but {problem}." for problem in found]

    def _check(self, exchange) -> list[str]:
        path = urlsplit(exchange.url).path
        template = self.template_of(path)
        method = exchange.method.upper()
        if template is None and path in SERVED_UNDOCUMENTED:
            return self._every_answer_headers(exchange, f"{path} is served outside the document")
        if template is None:
            return self._outside(exchange, 404, "no operation of the OpenAPI document has this address")
        item = self.document["paths"][template]
        if method.lower() not in item:
            if method == "HEAD" and "get" in item:
                return self._head(exchange, Operation("GET", template))
            return self._outside(exchange, 405, f"{template} has no {method} operation in the OpenAPI document",
                                 allow=sorted(m.upper() for m in item if m != "parameters"))
        operation = Operation(method, template)
        responses = item[method.lower()].get("responses", {})
        if str(exchange.status) not in responses and "default" not in responses \
                and f"{str(exchange.status)[0]}XX" not in responses:
            self.undocumented[(operation, exchange.status)] += 1
            return [f"the OpenAPI document lists no {exchange.status} for {operation} "
                    f"(it lists {', '.join(sorted(responses))})"]
        status = str(exchange.status)
        answer = status if status in responses else f"{status[0]}XX" if f"{status[0]}XX" in responses else "default"
        plan = self._plans.get((method, template, answer))
        if plan is None:
            plan = self._plans[(method, template, answer)] = _Plan(
                self._spec, self._spec / "paths" / template / method.lower() / "responses" / answer, self._validators)
        if plan.keeps(exchange):
            return []
        errors = self.openapi.iter_response_errors(_Request(exchange, method, template), _Response(exchange))
        return [f"{_explain(problem)} (operation {operation})" for problem in errors]

    def _head(self, exchange, operation: Operation) -> list[str]:
        responses = self.document["paths"][operation.template]["get"]["responses"]
        if str(exchange.status) not in responses:
            self.undocumented[(Operation("HEAD", operation.template), exchange.status)] += 1
            return [f"HEAD answers as GET, and the OpenAPI document lists no {exchange.status} for {operation}"]
        return self._missing_headers(exchange, self._resolve(responses[str(exchange.status)]))

    def _missing_headers(self, exchange, answer: dict) -> list[str]:
        missing = []
        for name, spec in answer.get("headers", {}).items():
            spec = self._resolve(spec)
            if spec.get("required") and exchange.header(name) is None:
                missing.append(f"the documented header {name} is missing")
        return missing

    def _resolve(self, spec: dict) -> dict:
        while "$ref" in spec:
            node = self.document
            for part in spec["$ref"].lstrip("#/").split("/"):
                node = node[part]
            spec = node
        return spec

    def _outside(self, exchange, expected: int, why: str, allow: list[str] | None = None) -> list[str]:
        """An address or method outside the document: the portal must answer its plain refusal."""
        if exchange.status != expected:
            return [f"{why}, so the answer must be the error body's {expected}"]
        problems = []
        if not _is_error_body(exchange):
            problems.append(f"{why}, and the answer is not the portal's error body {{\"error\": {{...}}}}")
        if allow is not None and exchange.header("Allow") is None:
            problems.append(f"{why}, and a 405 must say in Allow which methods the address takes ({', '.join(allow)})")
        return problems + self._every_answer_headers(exchange, why)

    @staticmethod
    def _every_answer_headers(exchange, why: str) -> list[str]:
        return [f"{why}, and the answer lacks the header every answer carries: {name}"
                for name in ("X-Request-ID", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
                             "Content-Security-Policy") if exchange.header(name) is None]


def _is_error_body(exchange) -> bool:
    if not (exchange.response_content_type or "").startswith("application/json"):
        return False
    try:
        body = json.loads(exchange.response_body)
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("error"), dict) \
        and isinstance(body["error"].get("code"), str) and isinstance(body["error"].get("message"), str)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + " [...]"


def _schema_details(problem: BaseException | None) -> list[str]:
    details = []
    while problem is not None and not details:
        for inner in getattr(problem, "schema_errors", None) or []:
            where = "/".join(str(p) for p in getattr(inner, "absolute_path", [])) or "the body"
            details.append(f"{where}: {_short(getattr(inner, 'message', inner))}")
        problem = problem.__cause__ or problem.__context__
    return details


def _explain(problem: Exception) -> str:
    """openapi-core's finding as a reviewer reads it, without dumping the whole body."""
    from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
    from openapi_core.validation.response.exceptions import InvalidHeader, MissingHeaderError

    if isinstance(problem, MissingHeaderError):
        return f"the documented header {problem.name} is missing"
    if isinstance(problem, InvalidHeader):
        return f"the header {problem.name} does not match the document ({'; '.join(_schema_details(problem)) or _short(problem)})"
    cause = problem.__cause__
    if isinstance(cause, MediaTypeNotFound):
        return (f"the body is {cause.mimetype or 'of no media type'}, which the document does not list "
                f"(it lists {', '.join(cause.availableMimetypes) or 'no body'})")
    details = _schema_details(problem)
    if details:
        return f"the body does not match the documented schema ({'; '.join(details[:5])})"
    return _short(f"{type(problem).__name__}: {problem}")
