"""The webhook's signature check (portal.email.webhook_router.verified_body), on a small app of its own."""
import base64
import hashlib
import hmac
import time
from datetime import datetime, timedelta, timezone

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from svix.webhooks import Webhook

from portal.config import Settings
from portal.email.webhook_router import verified_body
from portal.web.errors import install_error_handlers

SECRET = "whsec_" + base64.b64encode(b"unit test webhook key").decode()
OTHER = "whsec_" + base64.b64encode(b"somebody else's key").decode()
BODY = '{"type": "email.delivered", "created_at": "2026-05-01T10:00:00.000Z", "data": {"email_id": "e1"}}'


def client(secret: str = SECRET) -> TestClient:
    app = FastAPI()
    app.state.settings = Settings(database_url="postgresql://unused", resend_webhook_secret=secret)
    install_error_handlers(app)

    @app.post("/hook")
    async def hook(body: bytes = Depends(verified_body)):
        return {"length": len(body)}

    return TestClient(app)


def headers(body: str = BODY, *, msg_id: str = "msg_2LJ8aKgC9YVS6JNi3PH0SM4LZ9n", at: datetime | None = None,
            secret: str = SECRET) -> dict:
    at = at or datetime.now(timezone.utc)
    return {"svix-id": msg_id, "svix-timestamp": str(int(at.timestamp())),
            "svix-signature": Webhook(secret).sign(msg_id, at, body)}


def post(body: str | bytes = BODY, hdrs: dict | None = None, secret: str = SECRET):
    raw = body.encode() if isinstance(body, str) else body
    return client(secret).post("/hook", content=raw, headers=hdrs if hdrs is not None else headers(body))


def refused(response) -> bool:
    return response.status_code == 401 and response.json() == {
        "error": {"code": "invalid_signature", "message": "The webhook signature could not be verified."}}


def test_a_report_signed_with_the_secret_passes_with_its_raw_body():
    response = post()
    assert response.status_code == 200 and response.json() == {"length": len(BODY)}


def test_the_signature_is_exactly_svix_s_hmac_over_id_timestamp_and_body():
    at = int(time.time())
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    mac = base64.b64encode(hmac.new(key, f"msg_1.{at}.{BODY}".encode(), hashlib.sha256).digest()).decode()
    assert post(hdrs={"svix-id": "msg_1", "svix-timestamp": str(at), "svix-signature": f"v1,{mac}"}).status_code == 200


@pytest.mark.parametrize("missing", ["svix-id", "svix-timestamp", "svix-signature"])
def test_a_missing_header_is_refused(missing):
    hdrs = headers()
    del hdrs[missing]
    assert refused(post(hdrs=hdrs))


@pytest.mark.parametrize("signature", [
    "v1",                           # no comma
    "v1,abc,def",                   # too many parts
    "v1,%%%not base64%%%",
    "v1,c2hvcnQ=",                  # base64, but not a SHA-256 MAC
    "v1,YWJj v1",                   # a second entry without a comma
    "",
])
def test_a_malformed_signature_is_refused_not_a_server_error(signature):
    hdrs = headers()
    hdrs["svix-signature"] = signature
    assert refused(post(hdrs=hdrs))


def test_a_signature_under_another_secret_or_scheme_is_refused():
    assert refused(post(hdrs=headers(secret=OTHER)))
    hdrs = headers()
    hdrs["svix-signature"] = "v2" + hdrs["svix-signature"][2:]
    assert refused(post(hdrs=hdrs))


def test_one_valid_signature_among_several_passes_as_during_a_change_of_secret():
    hdrs = headers()
    hdrs["svix-signature"] = f"{headers(secret=OTHER)['svix-signature']} {hdrs['svix-signature']}"
    assert post(hdrs=hdrs).status_code == 200


def test_a_changed_body_or_message_id_is_refused():
    assert refused(post(BODY.replace("delivered", "bounced"), hdrs=headers()))
    hdrs = headers()
    hdrs["svix-id"] = "msg_another"
    assert refused(post(hdrs=hdrs))


@pytest.mark.parametrize("offset_minutes, accepted", [(-6, False), (-4, True), (4, True), (6, False)])
def test_the_timestamp_must_be_within_5_minutes(offset_minutes, accepted):
    response = post(hdrs=headers(at=datetime.now(timezone.utc) + timedelta(minutes=offset_minutes)))
    assert (response.status_code == 200) is accepted
    assert accepted or refused(response)


@pytest.mark.parametrize("timestamp", ["yesterday", "", "1e400"])
def test_a_timestamp_that_is_not_a_number_is_refused(timestamp):
    hdrs = headers()
    hdrs["svix-timestamp"] = timestamp
    assert refused(post(hdrs=hdrs))


def test_a_body_that_is_not_utf8_is_refused_by_the_signature_check():
    raw = b'{"type": "\xff"}'
    at = int(time.time())
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    mac = base64.b64encode(hmac.new(key, b"msg_1." + str(at).encode() + b"." + raw, hashlib.sha256).digest()).decode()
    assert refused(post(raw, hdrs={"svix-id": "msg_1", "svix-timestamp": str(at), "svix-signature": f"v1,{mac}"}))


def test_without_a_configured_secret_every_report_is_refused_as_unavailable():
    response = post(secret="")
    assert response.status_code == 503 and response.json()["error"]["code"] == "webhooks_not_configured"
