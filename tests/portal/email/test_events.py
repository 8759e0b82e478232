import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from behave.parser import parse_file

from portal.email.events import (
    REGISTRY,
    STATUS_RANK,
    Action,
    Effect,
    InvalidReport,
    bounce_class,
    judge,
    moves_forward,
    parse_report,
)

ROOT = Path(__file__).resolve().parents[3]
WEBHOOKS_FEATURE = ROOT / "features" / "email" / "webhooks.feature"
T0 = datetime(2026, 5, 1, 10, 0, tzinfo=timezone.utc)

# the email event types PROVIDERS.md lists from Resend's documentation
DOCUMENTED = {"email.sent", "email.scheduled", "email.delivered", "email.delivery_delayed", "email.complained",
              "email.bounced", "email.opened", "email.clicked", "email.received", "email.failed",
              "email.suppressed"}


# --- the registry and the specification walk it ------------------------------------------------------

def registry_walks(feature_path: Path) -> list[set[str]]:
    """The `event` column of every @registry Scenario Outline of the feature, one set per outline."""
    feature = parse_file(str(feature_path))
    walks = []
    for rule in [feature, *feature.rules]:
        for scenario in rule.scenarios:
            if "registry" in scenario.tags and hasattr(scenario, "examples"):
                walks.append({row["event"] for examples in scenario.examples for row in examples.table})
    return walks


def disagreements(specified: set[str], registered: set[str]) -> list[str]:
    problems = []
    if registered - specified:
        problems.append(f"the portal's registry knows {sorted(registered - specified)}, which "
                        "features/email/webhooks.feature does not specify: add them to the @registry outline")
    if specified - registered:
        problems.append(f"features/email/webhooks.feature specifies {sorted(specified - registered)}, which "
                        "the portal's registry does not know: add them to portal/email/events.py REGISTRY")
    return problems


def test_the_webhooks_feature_walks_exactly_the_registry():
    walks = registry_walks(WEBHOOKS_FEATURE)
    assert len(walks) == 1, "features/email/webhooks.feature should hold one @registry Scenario Outline"
    assert disagreements(walks[0], set(REGISTRY)) == []


def test_the_check_fails_when_the_registry_grows_without_the_spec():
    problems = disagreements({"email.sent"}, {"email.sent", "email.opened"})
    assert len(problems) == 1 and "['email.opened']" in problems[0] and "does not specify" in problems[0]


def test_the_check_fails_when_the_spec_names_a_type_the_registry_lacks():
    problems = disagreements({"email.sent", "email.forwarded"}, {"email.sent"})
    assert len(problems) == 1 and "['email.forwarded']" in problems[0] and "does not know" in problems[0]


def test_the_walk_is_read_from_outlines_tagged_registry_only(tmp_path):
    feature = tmp_path / "x.feature"
    feature.write_text(
        "Feature: x\n"
        "  Rule: r\n"
        "    @registry\n"
        "    Scenario Outline: walk <event>\n      When <event>\n\n"
        "      Examples:\n        | event |\n        | email.sent |\n        | email.opened |\n\n"
        "    Scenario Outline: not a walk <event>\n      When <event>\n\n"
        "      Examples:\n        | event |\n        | contact.created |\n"
    )
    assert registry_walks(feature) == [{"email.sent", "email.opened"}]


def test_the_registry_holds_every_email_event_resend_documents():
    assert set(REGISTRY) == DOCUMENTED


def test_every_registered_type_acts_or_is_acknowledged_and_names_its_status():
    for name, kind in REGISTRY.items():
        assert kind.name == name
        if kind.action is Action.ACKNOWLEDGE:
            assert kind.status is None and kind.suppression is None, name
        else:
            assert kind.status in STATUS_RANK, name
        assert (kind.action is Action.SUPPRESS) == (kind.suppression is not None), name


# --- statuses only move forward -----------------------------------------------------------------------

@pytest.mark.parametrize("current, new, forward", [
    ("sent", "delivered", True),
    ("delivered", "bounced", True),
    ("delivered", "complained", True),
    ("sent", "delivery_delayed", True),
    ("delivery_delayed", "delivered", True),
    ("soft_bounced", "delivered", True),
    ("bounced", "delivered", False),
    ("delivered", "sent", False),
    ("delivered", "delivery_delayed", False),
    ("complained", "sent", False),
    ("sent", "sent", False),
])
def test_precedence_decides_between_different_ranks(current, new, forward):
    # whatever the times: an earlier bounce still outranks a later delivery
    assert moves_forward(current, T0, new, T0 + timedelta(hours=1)) is forward
    assert moves_forward(current, T0, new, T0 - timedelta(hours=1)) is forward


@pytest.mark.parametrize("current, new", [("delivery_delayed", "soft_bounced"), ("soft_bounced", "delivery_delayed"),
                                          ("bounced", "complained"), ("failed", "suppressed")])
def test_between_equal_ranks_the_later_event_wins(current, new):
    assert moves_forward(current, T0, new, T0 + timedelta(seconds=1)) is True
    assert moves_forward(current, T0, new, T0 - timedelta(seconds=1)) is False
    assert moves_forward(current, T0, new, T0) is False


def test_a_status_without_a_time_takes_an_equal_rank_at_once():
    assert moves_forward("delivery_delayed", None, "soft_bounced", T0) is True


@pytest.mark.parametrize("current", ["dead", "queued-or-something", "unknown"])
def test_nothing_moves_a_status_outside_the_order(current):
    assert moves_forward(current, T0, "delivered", T0 + timedelta(hours=1)) is False


def test_the_order_is_the_documented_one():
    assert STATUS_RANK["queued"] < STATUS_RANK["sent"] < STATUS_RANK["delivery_delayed"] < STATUS_RANK["delivered"]
    assert STATUS_RANK["delivery_delayed"] == STATUS_RANK["soft_bounced"]
    assert {STATUS_RANK[s] for s in ("bounced", "complained", "failed", "suppressed")} == {STATUS_RANK["delivered"] + 1}


# --- what a report does -------------------------------------------------------------------------------

def test_a_report_that_moves_the_status_is_applied():
    verdict = judge(REGISTRY["email.delivered"], "delivered", T0, "sent", T0)
    assert (verdict.effect, verdict.new_status) == (Effect.APPLIED, "delivered")


def test_a_late_report_is_superseded_and_changes_nothing():
    verdict = judge(REGISTRY["email.delivered"], "delivered", T0, "bounced", T0 - timedelta(minutes=1))
    assert (verdict.effect, verdict.new_status) == (Effect.SUPERSEDED, None)


def test_a_report_confirming_the_current_status_is_applied_without_a_change():
    verdict = judge(REGISTRY["email.sent"], "sent", T0, "sent", T0 + timedelta(seconds=2))
    assert (verdict.effect, verdict.new_status) == (Effect.APPLIED, None)


def test_acknowledged_unknown_and_unmatched_reports():
    assert judge(REGISTRY["email.opened"], None, T0, "sent", T0).effect is Effect.ACKNOWLEDGED
    assert judge(None, None, T0, "sent", T0).effect is Effect.IGNORED
    assert judge(REGISTRY["email.bounced"], "bounced", T0, None, None).effect is Effect.UNMATCHED


# --- bounces --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bounce_type, kind", [("Permanent", "hard"), ("permanent", "hard"), (" PERMANENT ", "hard"),
                                              ("Transient", "soft"), ("Undetermined", "soft"), ("", "soft")])
def test_only_permanent_bounces_are_hard(bounce_type, kind):
    assert bounce_class(bounce_type) == kind


# --- reading a report -----------------------------------------------------------------------------------

def body(**changes) -> bytes:
    """A bounce report as Resend sends it; `data__to=None` removes data.to, `type="x"` sets type."""
    payload = {
        "type": "email.bounced",
        "created_at": "2026-05-01T10:00:00.000Z",
        "data": {"created_at": "2026-05-01T09:59:58.000Z", "email_id": "4ef9a417-02e9-4d39-ad75-9611e0fcc33c",
                 "from": "Northlight Studio <portal@northlight.example>", "to": ["Theo.3fa9c1@Brightside.example"],
                 "subject": "Your sign-in link",
                 "bounce": {"type": "Permanent", "subType": "General", "message": "550 5.1.1 no such user"}},
    }
    for key, value in changes.items():
        *parents, leaf = key.split("__")
        node = payload
        for part in parents:
            node = node[part]
        if value is None:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return json.dumps(payload).encode()


def test_a_complete_bounce_report_is_read():
    report = parse_report(body())
    assert report.type == "email.bounced"
    assert report.occurred_at == T0
    assert report.email_id == "4ef9a417-02e9-4d39-ad75-9611e0fcc33c"
    assert report.addresses == ["theo.3fa9c1@brightside.example"]
    assert (report.bounce, report.reported_status, report.suppression) == ("hard", "bounced", "hard_bounce")
    assert report.detail == "hard bounce (Permanent/General): 550 5.1.1 no such user"


def test_a_soft_bounce_reports_soft_bounced_and_suppresses_nothing_at_once():
    report = parse_report(body(data__bounce={"type": "Transient", "subType": "MailboxFull", "message": "full"}))
    assert (report.bounce, report.reported_status, report.suppression) == ("soft", "soft_bounced", None)


@pytest.mark.parametrize("event_type, suppression", [("email.complained", "complaint"), ("email.suppressed", "provider"),
                                                     ("email.delivered", None), ("email.opened", None)])
def test_which_reports_suppress_at_once(event_type, suppression):
    assert parse_report(body(type=event_type)).suppression == suppression


def test_addresses_are_bare_lowercased_and_unique():
    report = parse_report(body(data__to=["Theo <Theo@X.example>", "theo@x.example ", "Gina@X.example"]))
    assert report.addresses == ["gina@x.example", "theo@x.example"]
    assert parse_report(body(data__to="Theo@X.example")).addresses == ["theo@x.example"]


@pytest.mark.parametrize("created_at, expected", [
    ("2026-05-01T10:00:00Z", T0),
    ("2026-05-01T12:00:00+02:00", T0),
    ("2026-05-01T10:00:00", T0),  # no zone: UTC
])
def test_event_times_are_read_in_utc(created_at, expected):
    assert parse_report(body(created_at=created_at)).occurred_at == expected


@pytest.mark.parametrize("raw", [b"{", b"", b"\xff\xfe", b"not json"])
def test_a_body_that_is_not_json_is_malformed(raw):
    with pytest.raises(InvalidReport) as raised:
        parse_report(raw)
    assert (raised.value.code, raised.value.fields) == ("malformed_json", None)


@pytest.mark.parametrize("raw", [b"[]", b"42", b'"email.sent"', b"null"])
def test_a_body_that_is_not_an_object_is_refused(raw):
    with pytest.raises(InvalidReport) as raised:
        parse_report(raw)
    assert (raised.value.code, list(raised.value.fields)) == ("invalid_webhook", ["body"])


@pytest.mark.parametrize("changes, field", [
    ({"type": None}, "type"),
    ({"type": ""}, "type"),
    ({"type": 7}, "type"),
    ({"created_at": None}, "created_at"),
    ({"created_at": "last Tuesday"}, "created_at"),
    ({"created_at": 1714557600}, "created_at"),
    ({"data": None}, "data"),
    ({"data": ["x"]}, "data"),
    ({"data__email_id": None}, "data.email_id"),
    ({"data__email_id": 42}, "data.email_id"),
    ({"data__to": None}, "data.to"),
    ({"data__to": []}, "data.to"),
    ({"data__to": [None]}, "data.to"),
    ({"data__bounce": None}, "data.bounce.type"),
    ({"data__bounce": {"subType": "General"}}, "data.bounce.type"),
])
def test_each_missing_or_wrong_required_field_is_named(changes, field):
    with pytest.raises(InvalidReport) as raised:
        parse_report(body(**changes))
    assert raised.value.code == "invalid_webhook"
    assert list(raised.value.fields) == [field]


def test_reports_the_portal_only_acknowledges_need_no_email_id():
    report = parse_report(body(type="email.received", data={"to": ["studio@northlight.example"]}))
    assert report.kind is REGISTRY["email.received"] and report.email_id is None


def test_a_kind_outside_the_registry_needs_only_the_envelope():
    report = parse_report(body(type="contact.created", data={"id": "c1"}))
    assert report.kind is None and report.reported_status is None and report.suppression is None


def test_a_delivery_report_needs_no_recipient_but_an_email_id():
    assert parse_report(body(type="email.delivered", data__to=None)).email_id


# -- bodies the portal cannot store, and event times far from the present -------------------------

from portal.email.events import (  # noqa: E402
    MAX_DEPTH,
    InvalidReport,
    check_event_time,
    nesting_depth,
    parse_report,
    unstorable_text,
)


def _report_body(**changes) -> bytes:
    body = {"type": "email.delivered", "created_at": "2026-12-01T10:00:00.000Z",
            "data": {"email_id": "e-1", "to": ["a@example.net"], "subject": "Hi"}}
    body.update(changes)
    return json.dumps(body).encode()


def test_nesting_depth_counts_brackets_outside_strings_only():
    assert nesting_depth(b'{"a": [1, {"b": "[[[{{{"}]}') == 3
    assert nesting_depth(b'"\\"[["') == 0
    assert nesting_depth(b"[" * 30_000 + b"]" * 30_000) == 30_000


def test_a_body_nested_too_deep_is_refused_without_parsing():
    deep = b'{"type": "x", "data": ' + b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1) + b"}"
    with pytest.raises(InvalidReport) as refused:
        parse_report(deep)
    assert refused.value.fields == {"body": f"Nested more than {MAX_DEPTH} levels deep."}
    parse_report(_report_body(tags=[[[]]]))  # a few levels are fine


@pytest.mark.parametrize("value, where", [
    ({"data": {"subject": "a\x00b"}}, "data.subject"),
    ({"data": {"tags": ["ok", "\ud800"]}}, "data.tags[1]"),
    ({"data": {"a\x00": 1}}, "data"),
    ({"data": {"subject": "fine ✓"}}, None),
])
def test_unstorable_text_is_found_by_its_path(value, where):
    assert unstorable_text(value) == where


def test_a_report_holding_a_nul_character_is_refused_naming_the_field():
    with pytest.raises(InvalidReport) as refused:
        parse_report(_report_body(data={"email_id": "e-1", "subject": "a\x00b"}))
    assert list(refused.value.fields) == ["data.subject"]


NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("occurred, allowed", [
    (NOW - timedelta(days=30), True),
    (NOW - timedelta(days=30, seconds=1), False),
    (NOW + timedelta(hours=1), True),
    (NOW + timedelta(hours=1, seconds=1), False),
    (datetime.fromisoformat("0001-01-01T00:00:00+14:00"), False),
])
def test_event_times_far_from_the_present_are_refused(occurred, allowed):
    report = parse_report(_report_body(created_at=occurred.isoformat()))
    if allowed:
        check_event_time(report, NOW)
    else:
        with pytest.raises(InvalidReport) as refused:
            check_event_time(report, NOW)
        assert list(refused.value.fields) == ["created_at"]
