"""The id of the request being served: set by the web layer for each request, read by whatever
records what happened (the audit log, log lines). It has one owner, here, so neither the domain
packages nor the logging set-up import the web layer to learn it."""
from __future__ import annotations

import contextvars
import logging

current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdLogFilter(logging.Filter):
    """Puts the current request id on every log record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current.get()
        return True
