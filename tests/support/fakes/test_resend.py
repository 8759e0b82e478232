"""The harness's Resend: the fake API's scripted behaviours and the webhooks it signs."""
import json
import re
from datetime import datetime, timedelta, timezone

import pytest
import requests
from svix.webhooks import Webhook, WebhookVerificationError

from support.fakes.network import BlockedNetwork
from support.fakes.resend import (
    FAKE_API_KEY,
    RESEND_API,
    RETIRED_WEBHOOK_SECRET,
    WEBHOOK_SECRET,
    ResendFake,
    envelope,
    event_details,
    new_message_id,
    resend_time,
    signed_headers,
)
from support.parameters import parse_duration

EMAIL = {"from": "Studio <s@northlight.example>", "to": ["theo@brightside.example"], "subject": "Hi", "text": "Hello"}


@pytest.fixture
def fake():
    network = BlockedNetwork()
    resend = ResendFake(network)
    network.start()
    try:
        yield resend
    finally:
        network.stop()


def send(key="email-1", body=EMAIL):
    return requests.post(f"{RESEND_API}/emails", json=body,
                         headers={"Authorization": f"Bearer {FAKE_API_KEY}", "Idempotency-Key": key}, timeout=5)


def test_a_lost_answer_still_sends_and_a_retry_with_the_key_sends_nothing_new(fake):
    fake.lose_next_answer()
    with pytest.raises(requests.exceptions.ReadTimeout):
        send()
    retry = send()
    assert retry.status_code == 200 and retry.json()["id"] == fake.sent[0].id
    assert len(fake.sent) == 1
    assert [c.idempotency_key for c in fake.calls] == ["email-1", "email-1"]
    assert fake.calls[0].to == ("theo@brightside.example",)


def test_scripted_failures_come_before_a_lost_answer(fake):
    fake.fail_next(1, "internal_server_error")
    fake.lose_next_answer()
    assert send().status_code == 500
    with pytest.raises(requests.exceptions.ReadTimeout):
        send()
    assert len(fake.sent) == 1


def test_the_next_id_can_be_settled_in_advance(fake):
    email_id = fake.assign_next_id()
    assert send().json()["id"] == email_id
    assert send(key="email-2").json()["id"] != email_id


def test_calls_are_kept_and_forgotten_at_reset(fake):
    fake.fail_next(1, "application_error")
    send()
    send()
    assert len(fake.calls_matching(lambda c: c.idempotency_key == "email-1")) == 2
    fake.reset()
    assert fake.calls == [] and fake.sent == []


# --- webhooks ---------------------------------------------------------------------------------------

def test_webhooks_are_signed_so_that_svix_verifies_them():
    body = json.dumps({"type": "email.delivered"})
    headers = signed_headers(body, message_id="msg_1", timestamp=datetime.now(timezone.utc))
    Webhook(WEBHOOK_SECRET).verify(body.encode(), headers)  # raises if not
    assert headers["svix-signature"].startswith("v1,")
    with pytest.raises(WebhookVerificationError):
        Webhook(RETIRED_WEBHOOK_SECRET).verify(body.encode(), headers)


def test_a_timestamp_in_another_zone_is_signed_as_the_same_instant():
    body = "{}"
    moment = datetime.now(timezone(timedelta(hours=2)))
    headers = signed_headers(body, message_id="msg_1", timestamp=moment)
    assert headers["svix-timestamp"] == str(int(moment.timestamp()))
    Webhook(WEBHOOK_SECRET).verify(body.encode(), headers)


def test_message_ids_look_like_svix_ids():
    assert re.fullmatch(r"msg_[0-9A-Za-z]{27}", new_message_id())
    assert new_message_id() != new_message_id()


def test_resend_times_are_utc_with_milliseconds():
    moment = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert resend_time(moment) == "2026-05-01T10:00:00.123Z"


def test_the_envelope_has_resend_s_shape():
    at = datetime(2026, 5, 1, 10, 0, tzinfo=timezone.utc)
    body = envelope("email.bounced", email_id="e1", to=["theo@b.example"], subject="Hi", occurred_at=at,
                    tags=[{"name": "template", "value": "sign_in_link"}],
                    extra=event_details("email.bounced", to=["theo@b.example"], bounce_type="Transient"))
    assert body["type"] == "email.bounced" and body["created_at"] == "2026-05-01T10:00:00.000Z"
    assert set(body["data"]) >= {"created_at", "email_id", "from", "to", "subject", "tags", "bounce"}
    assert body["data"]["bounce"]["type"] == "Transient"


@pytest.mark.parametrize("event_type, key", [("email.clicked", "click"), ("email.failed", "failed"),
                                             ("email.suppressed", "suppressed"), ("email.bounced", "bounce")])
def test_event_types_carry_their_extras(event_type, key):
    assert list(event_details(event_type)) == [key]


def test_the_webhook_secret_has_resend_s_format():
    assert WEBHOOK_SECRET.startswith("whsec_") and RETIRED_WEBHOOK_SECRET.startswith("whsec_")


# --- durations in steps ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, seconds", [("1 minute", 60), ("16 minutes", 960), ("50 seconds", 50),
                                           ("3 minutes 50 seconds", 230), ("1 minute 1 second", 61),
                                           ("1 hour", 3600), ("30 days", 30 * 86400)])
def test_durations_read_as_time_spans(text, seconds):
    assert parse_duration(text).total_seconds() == seconds
