"""Log lines as JSON objects, one a line, for a log search."""
import json
import logging

from portal import logs


def record(message, *args, exc_info=None, request_id="req-00000001"):
    rec = logging.LogRecord("portal.errors", logging.ERROR, __file__, 1, message, args, exc_info)
    rec.request_id = request_id
    return rec


def test_a_plain_message_becomes_one_json_line_with_the_request_id():
    line = logs.formatter("json").format(record("job %s failed", 7))
    assert "\n" not in line
    assert json.loads(line) | {"time": "t"} == {"time": "t", "level": "ERROR", "logger": "portal.errors",
                                                "request_id": "req-00000001", "message": "job 7 failed"}


def test_a_message_that_is_a_json_object_joins_its_fields_to_the_line():
    line = logs.formatter("JSON").format(record('{"event": "server_error", "status": 503, "level": "x"}'))
    entry = json.loads(line)
    assert (entry["event"], entry["status"], entry["level"]) == ("server_error", 503, "ERROR")


def test_a_traceback_stays_inside_the_line():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys
        line = logs.formatter("json").format(record("failed", exc_info=sys.exc_info()))
    assert "\n" not in line and "RuntimeError: boom" in json.loads(line)["traceback"]


def test_text_is_the_default():
    assert not isinstance(logs.formatter("text"), logs.JsonFormatter)
    assert not isinstance(logs.formatter(""), logs.JsonFormatter)
