"""Redaction of secrets in everything the suite writes to its reports and messages.

Three nets, from specific to general: headers that carry credentials, named fields in query
strings, forms and JSON, and any string shaped like a portal token (43 URL-safe characters:
256 bits), a portal API key (`nl_live_...`) or a provider key (`re_...`, `whsec_...`). Anything caught becomes `[REDACTED]`.
"""
from __future__ import annotations

import json
import re
from typing import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "[REDACTED]"
SECRET_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "proxy-authorization", "x-api-key",
                            "svix-signature", "mux-signature"})
SECRET_FIELDS = frozenset({"token", "password", "secret", "api_key", "apikey", "key", "session", "session_id",
                           "access_token", "refresh_token", "signature"})
_TOKEN_SHAPED = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
_PROVIDER_KEY = re.compile(r"\b(re|whsec|sk|pk)_[A-Za-z0-9+/=_-]{8,}")
_PROVIDER_PREFIXES = ("re_", "whsec_", "sk_", "pk_")
_PORTAL_API_KEY = re.compile(r"\bnl_live_[A-Za-z0-9_-]{4,}")  # the portal's API keys, whole or cut short
_COOKIE_VALUE = re.compile(r"^(\s*[^=;\s]+=)([^;]*)")


def redact_text(text: str, known_secrets: Iterable[str] = ()) -> str:
    for secret in sorted({s for s in known_secrets if s and len(s) >= 8}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    # each pattern only where its fixed part occurs: a substring search is a scan in C, while these
    # patterns are tried at every position (together most of the cost of an exchange's evidence)
    if "nl_live_" in text:
        text = _PORTAL_API_KEY.sub(f"nl_live_{MASK}", text)
    text = _TOKEN_SHAPED.sub(MASK, text)
    if any(prefix in text for prefix in _PROVIDER_PREFIXES):
        text = _PROVIDER_KEY.sub(lambda m: f"{m.group(1)}_{MASK}", text)
    return text


def redact_header(name: str, value: str) -> str:
    lowered = name.lower()
    if lowered == "set-cookie":
        # keep the cookie's name and attributes: they are what a reviewer checks
        return _COOKIE_VALUE.sub(lambda m: m.group(1) + MASK, value)
    if lowered in SECRET_HEADERS:
        if lowered == "cookie":
            return "; ".join(part.split("=", 1)[0] + "=" + MASK for part in value.split(";") if part.strip())
        scheme, _, rest = value.partition(" ")
        return f"{scheme} {MASK}" if rest else MASK
    return value


def redact_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, redact_header(name, value)) for name, value in headers]


def redact_url(url: str, known_secrets: Iterable[str] = ()) -> str:
    parts = urlsplit(url)
    query = urlencode(
        [(k, MASK if k.lower() in SECRET_FIELDS else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)],
        safe="[]",
    )
    return redact_text(urlunsplit(parts._replace(query=query)), known_secrets)


def _redact_json(value):
    # a value json.loads made: dict and list are its only containers (checking for typing's Mapping
    # instead cost a fifth of rendering each exchange for the report)
    if isinstance(value, dict):
        return {k: (MASK if str(k).lower() in SECRET_FIELDS and v not in (None, "") else _redact_json(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_json(v) for v in value]
    return value


def redact_body(body: str, content_type: str = "", known_secrets: Iterable[str] = ()) -> str:
    if not body:
        return body
    kind = content_type.split(";")[0].strip().lower()
    if kind.endswith("json"):
        try:
            value = json.loads(body)
            lowered = body.lower()
            # else no key is one to mask (a key may be written with escapes: then always walked)
            if "\\u" in body or any(f'"{name}"' in lowered for name in SECRET_FIELDS):
                value = _redact_json(value)
            pretty = json.dumps(value, indent=2, ensure_ascii=False)
            pretty.encode("utf-8")  # half a character (a lone surrogate) cannot be shown as text
            body = pretty
        except (ValueError, RecursionError):
            pass  # shown as it was sent
    elif kind == "application/x-www-form-urlencoded":
        body = urlencode([(k, MASK if k.lower() in SECRET_FIELDS else v)
                          for k, v in parse_qsl(body, keep_blank_values=True)], safe="[]")
    return redact_text(body, known_secrets)
