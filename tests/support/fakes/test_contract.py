"""support/fakes/contract.py: checking a provider call against its documented contract, with a
message that names the offending field."""
import json

import pytest

from support.fakes import contract
from support.fakes.contract import ContractViolation

BODY = {"from": "Northlight Studio <portal@northlight.example>", "to": ["theo@brightside.example"],
        "subject": "Your sign-in link", "html": "<p>hi</p>", "text": "hi",
        "tags": [{"name": "template", "value": "sign_in_link"}]}


def test_a_conforming_call_passes_and_has_no_problems():
    contract.check("resend", "send_email.request.body", BODY)
    assert contract.problems("resend", "send_email.request.body", BODY) == []


def test_a_violation_is_an_assertion_error_naming_provider_part_and_field():
    body = {**BODY, "tags": [{"name": "sign in", "value": "x"}]}
    with pytest.raises(AssertionError) as failure:
        contract.check("resend", "send_email.request.body", body)
    assert isinstance(failure.value, ContractViolation)
    message = str(failure.value)
    assert message.startswith("resend send_email.request.body breaks the provider's documented contract")
    assert "tags[0].name: 'sign in' does not match" in message
    assert failure.value.problems == contract.problems("resend", "send_email.request.body", body)


@pytest.mark.parametrize("change, expected", [
    (lambda b: {**b, "to": ["p%d@example.net" % i for i in range(51)]}, "to: has 51 item(s); at most 50 allowed"),
    (lambda b: {k: v for k, v in b.items() if k not in ("html", "text")}, "(the whole value): needs one of: html, text"),
    (lambda b: {**b, "form": b["from"]}, "(the whole value): Additional properties are not allowed ('form' was unexpected)"),
    (lambda b: {**b, "to": ["not an address"]}, "to[0]: 'not an address' does not match the pattern"),
])
def test_each_problem_is_one_readable_line(change, expected):
    found = contract.problems("resend", "send_email.request.body", change(dict(BODY)))
    assert any(line.startswith(expected) for line in found), found


def test_long_values_are_shortened_in_messages():
    key = "k" * 300
    found = contract.problems("resend", "send_email.request.headers",
                              {"authorization": "Bearer re_x", "content-type": "application/json",
                               "user-agent": "t", "idempotency-key": key})
    assert found == ["idempotency-key: is 300 character(s) long; at most 256 allowed"]


def test_header_names_are_compared_in_lower_case():
    contract.check_headers("resend", "send_email.request.headers",
                           {"Authorization": "Bearer re_x", "Content-Type": "application/json", "User-Agent": "t"})
    with pytest.raises(ContractViolation, match="'user-agent' is a required property"):
        contract.check_headers("resend", "send_email.request.headers",
                               {"Authorization": "Bearer re_x", "Content-Type": "application/json"})


def test_an_unknown_part_or_provider_is_named():
    with pytest.raises(KeyError, match="no part 'emails.send'"):
        contract.check("resend", "emails.send", {})
    with pytest.raises(FileNotFoundError, match="no contract for provider 'postmark'"):
        contract.parts("postmark")


def test_every_contract_file_is_a_valid_schema_and_every_part_names_its_source():
    for path in sorted(contract.CONTRACTS.glob("*.schema.json")):
        provider = path.name.removesuffix(".schema.json")
        assert json.loads(path.read_text())["$schema"].endswith("2020-12/schema")
        parts = contract.parts(provider)
        assert parts, f"{path.name} describes no parts"
        unsourced = [p for p in parts if "read 20" not in contract.source(provider, p)]
        assert not unsourced, f"{path.name}: parts without a source page and reading date: {unsourced}"
