"""Every answer the Resend fake can give and every webhook body the harness can build, checked
against Resend's documented contract (support/fakes/contracts/resend.schema.json): a fake kinder
or sloppier than Resend lets defects through."""
import json
from datetime import datetime, timezone

import pytest
import requests

from support.fakes import contract
from support.fakes.network import BlockedNetwork
from support.fakes.resend import (
    ERRORS,
    FAKE_API_KEY,
    RATE_LIMIT_PER_SECOND,
    RESEND_API,
    ResendFake,
    SentEmail,
    about_sent,
    conforms,
    contact_event,
    domain_event,
    envelope,
    error_body,
    event_details,
    new_message_id,
    received,
    signed_headers,
)

EMAIL = {"from": "Northlight Studio <portal@northlight.example>", "to": ["theo@brightside.example"],
         "subject": "Your sign-in link for Northlight Studio", "html": "<a href='https://p.example/x'>in</a>",
         "text": "in", "tags": [{"name": "template", "value": "sign_in_link"}]}
GOOD_HEADERS = {"Authorization": f"Bearer {FAKE_API_KEY}", "Idempotency-Key": "email-1"}
AT = datetime(2026, 5, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def fake():
    network = BlockedNetwork()
    resend = ResendFake(network)
    network.start()
    try:
        yield resend
    finally:
        network.stop()


def send(body=EMAIL, headers=GOOD_HEADERS):
    return requests.post(f"{RESEND_API}/emails", data=json.dumps(body),
                         headers={"Content-Type": "application/json", **headers}, timeout=5)


def assert_answer_conforms(answer):
    body = answer.json()
    part = "answer.429.headers" if body.get("name") == "rate_limit_exceeded" else "answer.headers"
    contract.check_headers("resend", part, answer.headers)
    contract.check("resend", "send_email.answer.200" if answer.status_code == 200 else "error.body", body)
    if answer.status_code != 200:
        assert body["statusCode"] == answer.status_code


# --- answers -----------------------------------------------------------------------------------------

def test_an_accepted_email_gets_an_id_and_resend_s_headers(fake):
    answer = send()
    assert answer.status_code == 200
    assert_answer_conforms(answer)
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["ratelimit-limit"] == str(RATE_LIMIT_PER_SECOND) == "5"
    assert fake.take_violations() == []


def test_the_rate_limit_headers_count_the_calls_of_the_last_second(fake):
    remaining = [int(send(headers={**GOOD_HEADERS, "Idempotency-Key": f"k{i}"}).headers["ratelimit-remaining"])
                 for i in range(3)]
    assert remaining == sorted(remaining, reverse=True) and remaining[0] <= RATE_LIMIT_PER_SECOND - 1


def test_a_replay_with_the_same_key_conforms_and_a_different_payload_is_refused(fake):
    first = send()
    again = send()
    assert again.json() == first.json()
    other = send({**EMAIL, "subject": "Something else"})
    assert other.status_code == 409 and other.json()["name"] == "invalid_idempotent_request"
    assert_answer_conforms(other)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_every_documented_error_can_be_scripted_and_conforms(fake, name):
    fake.fail_next(1, name)
    answer = send()
    assert answer.status_code == ERRORS[name][0]
    assert answer.json()["name"] == name
    assert_answer_conforms(answer)


def test_a_rate_limit_answer_says_when_to_come_back(fake):
    fake.fail_next(1, "rate_limit_exceeded", headers={"retry-after": "300"})
    answer = send()
    assert answer.headers["retry-after"] == "300" and answer.headers["ratelimit-remaining"] == "0"
    assert "5 requests per second" in answer.json()["message"]


@pytest.mark.parametrize("name, status", [("validation_error", 403), ("validation_error", 401)])
def test_an_error_with_several_documented_statuses_takes_the_one_asked_for(fake, name, status):
    fake.fail_next(1, name, status=status)
    answer = send()
    assert answer.status_code == status
    assert_answer_conforms(answer)


@pytest.mark.parametrize("name, status", [("internal_server_error", 503), ("rate_limit_exceeded", 500),
                                          ("quota_exceeded", 429)])
def test_an_error_resend_does_not_document_cannot_be_scripted(fake, name, status):
    with pytest.raises(AssertionError):
        fake.fail_next(1, name, status=status)


def test_a_proxy_in_front_answers_a_page_that_is_not_json(fake):
    fake.proxy_error(1, 502)
    answer = send()
    assert answer.status_code == 502 and answer.headers["Content-Type"] == "text/html"
    with pytest.raises(ValueError):
        answer.json()
    assert fake.sent == []


# --- calls that break the contract: Resend's own answer, and a violation that fails the step --------

@pytest.mark.parametrize("label, body, headers, status, name", [
    ("no key", EMAIL, {"Idempotency-Key": "k"}, 401, "missing_api_key"),
    ("a key the team does not have", EMAIL, {**GOOD_HEADERS, "Authorization": "Bearer re_other"}, 403, "invalid_api_key"),
    ("an idempotency key of 300 characters", EMAIL, {**GOOD_HEADERS, "Idempotency-Key": "k" * 300}, 400,
     "invalid_idempotency_key"),
    ("an empty idempotency key", EMAIL, {**GOOD_HEADERS, "Idempotency-Key": ""}, 400, "invalid_idempotency_key"),
    ("51 recipients", {**EMAIL, "to": [f"p{i}@example.net" for i in range(51)]}, GOOD_HEADERS, 400, "validation_error"),
    ("a tag with a space", {**EMAIL, "tags": [{"name": "sign in", "value": "x"}]}, GOOD_HEADERS, 400, "validation_error"),
    ("a tag value with a dot", {**EMAIL, "tags": [{"name": "t", "value": "v1.2"}]}, GOOD_HEADERS, 400, "validation_error"),
    ("a malformed recipient", {**EMAIL, "to": ["theo at brightside"]}, GOOD_HEADERS, 400, "validation_error"),
    ("a malformed sender", {**EMAIL, "from": "Northlight Studio"}, GOOD_HEADERS, 422, "invalid_from_address"),
    ("no subject", {k: v for k, v in EMAIL.items() if k != "subject"}, GOOD_HEADERS, 422, "missing_required_field"),
    ("a field Resend does not know", {**EMAIL, "reply-to": "x@y.example"}, GOOD_HEADERS, 400, "validation_error"),
])
def test_a_call_that_breaks_the_contract_gets_resend_s_answer_and_is_a_violation(fake, label, body, headers,
                                                                                  status, name):
    answer = send(body, headers)
    assert (answer.status_code, answer.json()["name"]) == (status, name), label
    assert_answer_conforms(answer)
    assert fake.sent == []
    violations = fake.take_violations()
    assert len(violations) >= 1 and all(v.startswith("POST /emails ") for v in violations), violations
    assert fake.take_violations() == []


def test_a_body_that_is_not_json_is_refused(fake):
    answer = requests.post(f"{RESEND_API}/emails", data="{not json",
                           headers={"Content-Type": "application/json", **GOOD_HEADERS}, timeout=5)
    assert (answer.status_code, answer.json()["name"]) == (400, "validation_error")
    assert fake.take_violations()


def test_error_bodies_default_to_resend_s_own_message():
    assert error_body("invalid_idempotency_key") == {
        "statusCode": 400, "name": "invalid_idempotency_key", "message": "The key must be between 1-256 chars."}


# --- webhook bodies: every builder, every documented event type ---------------------------------------

KNOWN = contract.document("resend")["$defs"]["webhook.event"]["properties"]["type"]["enum"]
SENT = SentEmail(id="4ef9a417-02e9-4d39-ad75-9611e0fcc33c", sender=EMAIL["from"], to=["theo@brightside.example"],
                 subject="Your task digest", html="<a href='https://p.example/t'>t</a>", text="", idempotency_key="k",
                 tags=[{"name": "template", "value": "task_digest"}], authorization="")


@pytest.mark.parametrize("event_type", [t for t in KNOWN if t.startswith("email.") and t != "email.received"])
def test_every_report_about_a_sent_email_conforms_and_is_built_from_that_email(event_type):
    body = about_sent(event_type, SENT, occurred_at=AT)
    conforms(body)
    data = body["data"]
    assert (data["email_id"], data["from"], data["to"], data["subject"]) == (SENT.id, SENT.sender, SENT.to, SENT.subject)
    assert data["tags"] == {"template": "task_digest"}


@pytest.mark.parametrize("bounce_type", ["Permanent", "Transient", "Undetermined"])
def test_every_bounce_has_a_diagnostic_code_per_recipient(bounce_type):
    to = ["a@example.net", "b@example.net"]
    details = event_details("email.bounced", to=to, bounce_type=bounce_type)
    conforms(envelope("email.bounced", email_id="e", to=to, subject="s", occurred_at=AT, extra=details))
    assert len(details["bounce"]["diagnosticCode"]) == 2


def test_a_suppression_report_says_why():
    details = event_details("email.suppressed", to=["a@example.net"])["suppressed"]
    assert details["reason"] in ("previous_bounce", "previous_complaint") and details["diagnosticCode"]


def test_incoming_mail_has_its_own_fields_and_no_tags():
    body = received(to=["studio@northlight.example"], sender="theo@brightside.example", subject="Re: hi", occurred_at=AT)
    conforms(body)
    assert {"message_id", "cc", "bcc", "attachments"} <= set(body["data"]) and "tags" not in body["data"]


@pytest.mark.parametrize("event_type", [t for t in KNOWN if t.startswith("contact.")])
def test_contact_reports_conform(event_type):
    conforms(contact_event(event_type, address="sam@example.net", occurred_at=AT))


@pytest.mark.parametrize("event_type", [t for t in KNOWN if t.startswith("domain.")])
def test_domain_reports_conform(event_type):
    conforms(domain_event(event_type, name="northlight.example", occurred_at=AT))


def test_every_documented_event_type_has_a_builder_here():
    covered = {t for t in KNOWN if t.startswith(("email.", "contact.", "domain."))}
    assert covered == set(KNOWN)


@pytest.mark.parametrize("body, problem", [
    (envelope("email.bounced", email_id="e", to=["a@example.net"], subject="s", occurred_at=AT,
              extra={"bounce": {"type": "Permanent", "subType": "General", "message": "m"}}),
     "data.bounce: 'diagnosticCode' is a required property"),
    ({**received(to=["a@example.net"], sender="b@example.net", subject="s", occurred_at=AT)}, None),
    (envelope("email.forwarded", email_id="e", to=["a@example.net"], subject="s", occurred_at=AT), None),
    ({"type": "email.forwarded", "created_at": "2026-05-01T10:00:00.000Z", "data": {"email_id": "e"}},
     "data: 'created_at' is a required property"),
])
def test_conforms_refuses_what_resend_would_never_send(body, problem):
    if problem is None:
        conforms(body)
        return
    with pytest.raises(AssertionError, match=problem.replace(".", r"\.").replace("(", r"\(")):
        conforms(body)


def test_received_mail_with_tags_is_refused():
    body = received(to=["a@example.net"], sender="b@example.net", subject="s", occurred_at=AT)
    body["data"]["tags"] = {"template": "sign_in_link"}
    with pytest.raises(AssertionError, match="'tags' was unexpected"):
        conforms(body)


def test_signed_webhook_headers_conform():
    headers = signed_headers("{}", message_id=new_message_id(), timestamp=datetime.now(timezone.utc))
    contract.check_headers("resend", "webhook.headers", headers)
