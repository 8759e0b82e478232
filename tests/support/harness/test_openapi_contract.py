"""The contract check the suite runs on every exchange, against the portal's own document."""
from __future__ import annotations

import functools
import json

import pytest

from portal.app import create_app
from portal.config import Settings
from support.harness.http import Exchange
from support.harness.openapi_contract import PREFIX, PortalContract

EVERY_ANSWER = [("x-content-type-options", "nosniff"), ("referrer-policy", "no-referrer"),
                ("x-frame-options", "DENY"), ("content-security-policy", "default-src 'none'"),
                ("x-request-id", "0123456789abcdef")]


@functools.lru_cache(maxsize=1)
def document() -> dict:
    return create_app(Settings(database_url="postgresql://u@127.0.0.1:9/portal")).openapi()


@functools.lru_cache(maxsize=1)
def shared_contract() -> PortalContract:
    return PortalContract(document())


@pytest.fixture
def contract() -> PortalContract:
    checker = shared_contract()
    checker.undocumented.clear()
    return checker


def exchange(method: str, path: str, status: int, body=None, headers=None, content_type="application/json",
             drop: tuple[str, ...] = ()) -> Exchange:
    text = body if isinstance(body, str) else ("" if body is None else json.dumps(body))
    answer = [(k, v) for k, v in EVERY_ANSWER if k not in drop] + list(headers or [])
    if text:
        answer.append(("content-type", content_type))
    return Exchange(actor="Theo", method=method, url=f"http://127.0.0.1:8000{path}", request_headers=[],
                    request_body="", status=status, response_headers=answer, response_body=text,
                    elapsed_ms=1.0, response_content_type=content_type if text else "")


ERROR = {"error": {"code": "not_found", "message": "Nothing is here."}}
HEALTHY = {"status": "ok"}


def test_a_documented_answer_keeps_the_contract(contract):
    assert contract.problems(exchange("GET", "/health", 200, HEALTHY)) == []
    assert contract.problems(exchange("GET", "/projects/7", 404, ERROR)) == []


def test_an_undocumented_status_names_the_operation_and_is_counted(contract):
    problems = contract.problems(exchange("GET", "/projects/7", 418, ERROR))
    assert len(problems) == 1 and problems[0].startswith(f"{PREFIX}: Theo's GET /projects/7 answered 418, but ")
    assert "lists no 418 for GET /projects/{project_id}" in problems[0]
    assert [(str(op), status) for op, status in contract.undocumented] == [("GET /projects/{project_id}", 418)]


def test_fastapis_validation_body_is_not_the_documented_error_shape(contract):
    problems = contract.problems(exchange("GET", "/projects/0", 422, {"detail": [{"loc": ["path", "project_id"]}]}))
    assert len(problems) == 1 and "does not match the documented schema" in problems[0]


def test_a_missing_request_id_is_a_violation(contract):
    problems = contract.problems(exchange("GET", "/health", 200, HEALTHY, drop=("x-request-id",)))
    assert problems == [f"{PREFIX}: Theo's GET /health answered 200, but the documented header X-Request-ID "
                        "is missing (operation GET /health)."]


def test_a_redirect_must_say_where_to(contract):
    assert contract.problems(exchange("GET", "/s/k3y/playback", 303, headers=[("location", "https://m/x")])) == []
    problems = contract.problems(exchange("GET", "/s/k3y/playback", 303))
    assert len(problems) == 1 and "header Location is missing" in problems[0]


def test_a_busy_answer_must_say_when_to_retry(contract):
    problems = contract.problems(exchange("GET", "/projects", 503, {"error": {"code": "service_busy", "message": "Busy."}}))
    assert len(problems) == 1 and "Retry-After" in problems[0]


def test_a_body_of_an_undocumented_media_type_is_named(contract):
    problems = contract.problems(exchange("GET", "/projects/7", 404, "<p>gone</p>", content_type="text/html"))
    assert len(problems) == 1 and "the body is text/html, which the document does not list" in problems[0]


def test_a_guest_page_is_html(contract):
    assert contract.problems(exchange("GET", "/s/k3y", 404, "<p>gone</p>", content_type="text/html; charset=utf-8")) == []


def test_an_address_outside_the_document_must_be_the_plain_404(contract):
    assert contract.problems(exchange("GET", "/nowhere", 404, ERROR)) == []
    problems = contract.problems(exchange("GET", "/nowhere", 200, HEALTHY))
    assert problems == [f"{PREFIX}: Theo's GET /nowhere answered 200, but no operation of the OpenAPI document has "
                        "this address, so the answer must be the error body's 404."]
    assert "not the portal's error body" in contract.problems(exchange("GET", "/nowhere", 404, {"detail": "x"}))[0]


def test_a_method_an_address_does_not_take_must_be_405_with_allow(contract):
    refusal = {"error": {"code": "method_not_allowed", "message": "No."}}
    assert contract.problems(exchange("PUT", "/health", 405, refusal, headers=[("allow", "GET")])) == []
    problems = contract.problems(exchange("PUT", "/health", 405, refusal))
    assert len(problems) == 1 and "must say in Allow" in problems[0]


def test_head_answers_as_get_without_a_body(contract):
    assert contract.problems(exchange("HEAD", "/health", 200)) == []
    assert "lists no 418" in contract.problems(exchange("HEAD", "/health", 418))[0]


def test_literal_segments_win_over_parameters(contract):
    assert contract.template_of("/projects/3/milestones/order") == "/projects/{project_id}/milestones/order"
    assert contract.template_of("/projects/3") == "/projects/{project_id}"
    assert contract.template_of("/projects/3/unknown") is None


def test_a_secret_in_the_address_is_masked(contract):
    problems = contract.problems(exchange("GET", "/s/s3cr3t-key/playback", 418), known_secrets=["s3cr3t-key"])
    assert "s3cr3t-key" not in problems[0]


def test_the_same_answer_is_checked_once_but_each_answer_keeps_its_verdict(contract):
    first = exchange("GET", "/projects/7", 404, ERROR, headers=[("x-request-id", "aaaaaaaaaaaa")])
    again = exchange("GET", "/projects/8", 404, ERROR, headers=[("x-request-id", "bbbbbbbbbbbb")])
    assert contract.problems(first) == [] and contract.problems(again) == []
    broken = exchange("GET", "/projects/9", 404, {"detail": "gone"})
    assert "does not match the documented schema" in contract.problems(broken)[0]
    assert "does not match the documented schema" in contract.problems(broken)[0]


def test_a_malformed_request_id_is_never_taken_from_an_earlier_verdict(contract):
    assert contract.problems(exchange("GET", "/health", 200, HEALTHY)) == []
    odd = exchange("GET", "/health", 200, HEALTHY, drop=("x-request-id",), headers=[("x-request-id", "no spaces!")])
    assert "X-Request-ID" in contract.problems(odd)[0]


def test_the_home_page_and_the_document_itself_are_served_outside_the_document(contract):
    assert contract.problems(exchange("GET", "/openapi.json", 200, {"openapi": "3.1.0"})) == []
    assert "X-Request-ID" in contract.problems(exchange("GET", "/", 200, "<p>hi</p>", content_type="text/html",
                                                        drop=("x-request-id",)))[0]


def test_the_served_document_is_a_valid_openapi_document():
    # the run checks exchanges with plans compiled from the document and builds openapi-core's full
    # check (which validates the document) only for an answer that breaks it: validity is checked here
    from openapi_spec_validator import validate

    validate(document())


def test_a_body_field_of_an_undocumented_type_breaks_the_contract(contract):
    project = {"id": "7", "name": "Spring campaign", "organisation": "Brightside", "data_residency": "anywhere",
               "created_at": "2026-12-02T11:00:00Z"}
    problems = contract.problems(exchange("GET", "/projects/7", 200, project))
    assert len(problems) == 1 and "the body does not match the documented schema (id: '7' is not of type 'integer'" \
        in problems[0]


def test_a_documented_integer_header_must_be_one(contract):
    limited = {"error": {"code": "rate_limited", "message": "Slow down."}}
    quotas = [("ratelimit", '"default";r=0;t=30'), ("ratelimit-policy", '"default";q=60;w=60')]
    assert contract.problems(exchange("GET", "/admin/emails", 429, limited, headers=quotas + [("retry-after", "30")])) == []
    problems = contract.problems(exchange("GET", "/admin/emails", 429, limited, headers=quotas + [("retry-after", "soon")]))
    assert len(problems) == 1 and "cast value to integer type: soon" in problems[0]


def test_an_answer_is_judged_by_openapi_core_only_when_it_breaks_the_document():
    checker = PortalContract(document())
    assert checker.problems(exchange("GET", "/projects/7", 404, ERROR)) == []
    assert "openapi" not in checker.__dict__  # the compiled plan cleared it
    assert checker.problems(exchange("GET", "/projects/7", 404, {"detail": "gone"}))
    assert "openapi" in checker.__dict__
