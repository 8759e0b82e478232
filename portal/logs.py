"""The log's line formats: text for a person at a terminal, or one JSON object a line
(PORTAL_LOG_FORMAT=json) for a log search. The error lines' messages are JSON objects already
(portal/web/middleware.py); in the JSON format their fields join the line's own."""
from __future__ import annotations

import json
import logging

TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record), "level": record.levelname, "logger": record.name,
                 "request_id": getattr(record, "request_id", "-")}
        message = record.getMessage()
        parsed = None
        if message.startswith("{"):
            try:
                parsed = json.loads(message)
            except ValueError:
                parsed = None
        if isinstance(parsed, dict):
            entry.update({key: value for key, value in parsed.items() if key not in ("time", "level", "logger")})
        else:
            entry["message"] = message
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def formatter(kind: str) -> logging.Formatter:
    """`json`: one JSON object a line; anything else: text."""
    return JsonFormatter() if kind.strip().lower() == "json" else logging.Formatter(TEXT)
