"""The email outbox: emails are rendered and written in the caller's transaction, then a
worker delivers them. Nothing is sent from a request handler.
"""
from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from psycopg import Connection

WAKE_CHANNEL = "portal_work"

# links carry one-time secrets; once an email is delivered (or given up on) the stored copy
# keeps the link's shape but not its secret
_SECRET_IN_LINK = re.compile(r"([?&]token=)[A-Za-z0-9_-]{20,}")


def scrub_secrets(body: str) -> str:
    return _SECRET_IN_LINK.sub(r"\1[redacted]", body)


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("portal.email", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


def render(template: str, context: dict) -> tuple[str, str, str]:
    env = _templates()
    subject = env.get_template(f"{template}.subject.txt").render(context).strip()
    html = env.get_template(f"{template}.html").render(context)
    text = env.get_template(f"{template}.txt").render(context)
    return subject, html, text


def enqueue(conn: Connection, template: str, recipient: str, context: dict) -> int:
    subject, html, text = render(template, context)
    row = conn.execute(
        "INSERT INTO emails (template, recipient, subject, html_body, text_body)"
        " VALUES (%s, %s, %s, %s, %s) RETURNING id",
        (template, recipient, subject, html, text),
    ).fetchone()
    conn.execute(f"NOTIFY {WAKE_CHANNEL}")  # delivered to listeners when the transaction commits
    return row["id"]
