import logging
import threading

from portal.web.middleware import request_id_var
from support.harness.portal_log import CapturedLog


def _log(handler: CapturedLog, name: str, message: str, request_id: str) -> None:
    token = request_id_var.set(request_id)
    try:
        handler.handle(logging.LogRecord(name, logging.INFO, __file__, 1, message, None, None))
    finally:
        request_id_var.reset(token)


def test_request_lines_waits_for_the_access_line_written_after_the_answer():
    handler = CapturedLog()
    _log(handler, "portal.errors", "something went wrong", "req-00000001")
    later = threading.Timer(0.05, _log, (handler, "portal.access", "POST /auth/sign-in-links 400 1.0ms", "req-00000001"))
    later.start()
    lines = handler.request_lines("req-00000001", timeout=5)
    assert [line.split()[1] for line in lines] == ["portal.errors", "portal.access"]


def test_request_lines_gives_up_after_its_timeout():
    handler = CapturedLog()
    _log(handler, "portal.errors", "no access line follows", "req-00000002")
    assert len(handler.request_lines("req-00000002", timeout=0.05)) == 1
    assert handler.request_lines("req-unknown", timeout=0.01) == []
