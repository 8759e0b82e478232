import pytest
import requests
import requests_mock

from portal.email.resend import ResendSender, SendResult, idempotency_key

API = "https://api.resend.test"
ENDPOINT = f"{API}/emails"
EMAIL = {
    "public_id": "6f1c2a9e-0d4b-4c55-9a1e-2b7d3c4e5f60",
    "recipient": "theo.3fa9c1@brightside.example",
    "subject": "Your sign-in link",
    "html_body": "<p>Hello Theo</p>",
    "text_body": "Hello Theo",
    "template": "sign_in_link",
}


@pytest.fixture
def sender():
    return ResendSender(API + "/", "re_test_key_123456", "Northlight Studio <portal@northlight.example>", 7)


@pytest.fixture
def provider():
    with requests_mock.Mocker() as mock:
        yield mock


def test_a_200_with_an_id_is_a_success(sender, provider):
    provider.post(ENDPOINT, status_code=200, json={"id": "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"})
    assert sender.send(EMAIL) == SendResult(ok=True, provider_id="49a3999c-0ce1-4ea6-ab68-afcd6dc2e794")


def test_the_request_carries_the_key_the_idempotency_key_and_the_email(sender, provider):
    provider.post(ENDPOINT, status_code=200, json={"id": "x1"})
    sender.send(EMAIL)
    sent = provider.last_request
    assert provider.call_count == 1
    assert sent.url == ENDPOINT  # the trailing slash of the API URL is not doubled
    assert sent.headers["Authorization"] == "Bearer re_test_key_123456"
    assert sent.headers["Idempotency-Key"] == "email-6f1c2a9e-0d4b-4c55-9a1e-2b7d3c4e5f60"
    assert sent.timeout == 7
    assert sent.json() == {
        "from": "Northlight Studio <portal@northlight.example>",
        "to": ["theo.3fa9c1@brightside.example"],
        "subject": "Your sign-in link",
        "html": "<p>Hello Theo</p>",
        "text": "Hello Theo",
        "tags": [{"name": "template", "value": "sign_in_link"}],
    }


def test_a_201_is_a_success_too(sender, provider):
    provider.post(ENDPOINT, status_code=201, json={"id": "4ef9a417-02e9-4d39-ad75-9611e0fcc33c"})
    assert sender.send(EMAIL) == SendResult(ok=True, provider_id="4ef9a417-02e9-4d39-ad75-9611e0fcc33c")


@pytest.mark.parametrize("email_id", [None, 42, ""])
def test_a_success_whose_id_is_not_a_string_counts_as_unavailable(sender, provider, email_id):
    provider.post(ENDPOINT, status_code=200, json={"id": email_id})
    assert sender.send(EMAIL).error_kind == "unavailable"


@pytest.mark.parametrize("body", [{"object": "email"}, ["x"]])
def test_a_success_without_an_id_counts_as_unavailable(sender, provider, body):
    provider.post(ENDPOINT, status_code=200, json=body)
    result = sender.send(EMAIL)
    assert result == SendResult(ok=False, error="provider answered without an email id", error_kind="unavailable")
    assert result.retryable is True


def test_a_429_is_rate_limited_with_its_retry_after(sender, provider):
    provider.post(ENDPOINT, status_code=429, headers={"Retry-After": "7"},
                  json={"name": "rate_limit_exceeded", "message": "Too many requests"})
    result = sender.send(EMAIL)
    assert result == SendResult(ok=False, error="HTTP 429 rate_limit_exceeded: Too many requests",
                                error_kind="rate_limited", retry_after_seconds=7, error_name="rate_limit_exceeded")
    assert result.retryable is True


@pytest.mark.parametrize("header, seconds", [("2.5", 2), ("-5", 0), ("Wed, 21 Oct 2015 07:28:00 GMT", None)])
def test_retry_after_is_read_as_whole_non_negative_seconds(sender, provider, header, seconds):
    provider.post(ENDPOINT, status_code=429, headers={"Retry-After": header}, json={"name": "n", "message": "m"})
    assert sender.send(EMAIL).retry_after_seconds == seconds


def test_a_429_without_retry_after_has_none(sender, provider):
    provider.post(ENDPOINT, status_code=429, json={"name": "rate_limit_exceeded", "message": "slow down"})
    result = sender.send(EMAIL)
    assert (result.error_kind, result.retry_after_seconds) == ("rate_limited", None)


def test_a_500_is_unavailable_and_retryable(sender, provider):
    provider.post(ENDPOINT, status_code=500, text="oops", reason="Internal Server Error")
    result = sender.send(EMAIL)
    assert result == SendResult(ok=False, error="HTTP 500 Internal Server Error (not a Resend answer)",
                                error_kind="unavailable")
    assert result.retryable is True


def test_a_503_keeps_its_retry_after(sender, provider):
    provider.post(ENDPOINT, status_code=503, headers={"Retry-After": "120"},
                  json={"name": "service_unavailable", "message": "maintenance"})
    result = sender.send(EMAIL)
    assert (result.error_kind, result.retry_after_seconds) == ("unavailable", 120)
    assert result.error == "HTTP 503 service_unavailable: maintenance"


def test_a_422_is_rejected_and_not_retried(sender, provider):
    provider.post(ENDPOINT, status_code=422, json={"name": "validation_error", "message": "Invalid `to` field."})
    result = sender.send(EMAIL)
    assert result == SendResult(ok=False, error="HTTP 422 validation_error: Invalid `to` field.", error_kind="rejected",
                                error_name="validation_error")
    assert result.retryable is False


def test_a_long_error_is_cut_to_500_characters(sender, provider):
    provider.post(ENDPOINT, status_code=400, json={"name": "x", "message": "m" * 2000})
    result = sender.send(EMAIL)
    assert len(result.error) == 500
    assert result.error.startswith("HTTP 400 x: mmm")


@pytest.mark.parametrize("exc, name", [
    (requests.exceptions.ConnectionError, "ConnectionError"),
    (requests.exceptions.ConnectTimeout, "ConnectTimeout"),
    (requests.exceptions.ReadTimeout, "ReadTimeout"),
])
def test_a_network_failure_is_retryable(sender, provider, exc, name):
    provider.post(ENDPOINT, exc=exc)
    result = sender.send(EMAIL)
    assert result == SendResult(ok=False, error=f"network error: {name}", error_kind="network")
    assert result.retryable is True


@pytest.mark.parametrize("result, retryable", [
    (SendResult(ok=True, provider_id="x"), False),
    (SendResult(ok=False, error_kind="network"), True),
    (SendResult(ok=False, error_kind="unavailable"), True),
    (SendResult(ok=False, error_kind="rate_limited"), True),
    (SendResult(ok=False, error_kind="rejected"), False),
    (SendResult(ok=False, error_kind=None), False),
    (SendResult(ok=True, error_kind="network"), False),
])
def test_retryable(result, retryable):
    assert result.retryable is retryable


@pytest.mark.parametrize("body", ['["unexpected"]', '"unexpected"', "null", "42"])
def test_an_error_answer_whose_json_is_not_an_object_is_still_a_result(sender, provider, body):
    provider.post(ENDPOINT, status_code=502, text=body, reason="Bad Gateway")
    result = sender.send(EMAIL)
    assert (result.ok, result.error_kind) == (False, "unavailable")


@pytest.mark.parametrize("resends, key", [
    (0, "email-6f1c2a9e-0d4b-4c55-9a1e-2b7d3c4e5f60"),
    (None, "email-6f1c2a9e-0d4b-4c55-9a1e-2b7d3c4e5f60"),
    (1, "email-6f1c2a9e-0d4b-4c55-9a1e-2b7d3c4e5f60-resend-1"),
    (3, "email-6f1c2a9e-0d4b-4c55-9a1e-2b7d3c4e5f60-resend-3"),
])
def test_the_idempotency_key_is_derived_from_the_outbox_entry_and_its_round(resends, key):
    assert idempotency_key({**EMAIL, "resends": resends}) == key
    assert len(key) <= 256  # Resend's limit


def test_every_attempt_of_one_round_carries_the_same_key_and_a_new_round_a_new_one(sender, provider):
    provider.post(ENDPOINT, status_code=500, json={"name": "application_error", "message": "m"})
    sender.send(EMAIL)
    sender.send({**EMAIL, "attempts": 3})
    sender.send({**EMAIL, "resends": 1})
    keys = [r.headers["Idempotency-Key"] for r in provider.request_history]
    assert keys[0] == keys[1] != keys[2]


# -- Resend's error catalogue, sorted by what the portal does about each answer --------------------

@pytest.mark.parametrize("status, name, kind", [
    (500, "application_error", "unavailable"),
    (500, "internal_server_error", "unavailable"),
    (429, "rate_limit_exceeded", "rate_limited"),
    (409, "concurrent_idempotent_requests", "in_progress"),
    (429, "daily_quota_exceeded", "quota"),
    (429, "monthly_quota_exceeded", "quota"),
    (401, "missing_api_key", "refused"),
    (401, "restricted_api_key", "refused"),
    (401, "validation_error", "refused"),
    (403, "invalid_api_key", "refused"),
    (403, "validation_error", "refused"),
    (422, "invalid_from_address", "refused"),
    (400, "validation_error", "rejected"),
    (400, "invalid_idempotency_key", "rejected"),
    (409, "invalid_idempotent_request", "rejected"),
    (422, "missing_required_field", "rejected"),
    (422, "invalid_parameter", "rejected"),
    (451, "security_error", "rejected"),
])
def test_each_documented_error_has_its_kind(sender, provider, status, name, kind):
    provider.post(ENDPOINT, status_code=status, json={"statusCode": status, "name": name, "message": "m"})
    result = sender.send(EMAIL)
    assert (result.error_kind, result.error_name) == (kind, name)
    assert result.retryable is (kind in ("unavailable", "rate_limited", "in_progress"))
    assert result.holds_outbox is (kind in ("quota", "refused"))


def test_a_403_page_that_is_not_json_refuses_the_configuration_too(sender, provider):
    provider.post(ENDPOINT, status_code=403, text="error code: 1010", reason="Forbidden")
    result = sender.send(EMAIL)
    assert (result.error_kind, result.error_name, result.holds_outbox) == ("refused", "http_403", True)


def test_a_quota_answer_keeps_a_retry_after_when_resend_gives_one(sender, provider):
    provider.post(ENDPOINT, status_code=429, headers={"retry-after": "7200"},
                  json={"statusCode": 429, "name": "daily_quota_exceeded", "message": "m"})
    assert sender.send(EMAIL).retry_after_seconds == 7200
