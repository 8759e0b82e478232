from types import SimpleNamespace

from allure_commons.model2 import Status, StatusDetails
from allure_commons.model2 import TestResult as Result
from allure_commons.model2 import TestStepResult as StepResult
from behave.model import Rule

from support.evidence.allure_report import description_of, drop_product_defect_traces, plain_name


def scenario(with_rule=True):
    feature = SimpleNamespace(name="Sharing", description=["Guests watch cuts.", "Links are keys."])
    parent = Rule("x.feature", 3, "Rule", "Links expire") if with_rule else feature
    if with_rule:
        parent.description = ["A link works until its expiry."]
    return SimpleNamespace(feature=feature, parent=parent, description=["Theo's view."], name="x", keyword="Scenario")


def test_the_description_carries_the_feature_narrative_and_the_rule_text():
    text = description_of(scenario())
    assert text == ("**Feature: Sharing**\n\nGuests watch cuts.\nLinks are keys.\n\n"
                    "**Rule: Links expire**\n\nA link works until its expiry.\n\nTheo's view.")
    assert "Rule" not in description_of(scenario(with_rule=False))


def test_an_outline_row_is_named_without_behaves_suffix():
    assert plain_name(SimpleNamespace(name="A link expires -- @2.1 Too late", keyword="Scenario Outline")) == "A link expires"


def test_a_product_defect_loses_its_trace_a_test_defect_keeps_it():
    failed_step = StepResult(name="Then", status=Status.FAILED, statusDetails=StatusDetails(message="m", trace="t"))
    result = Result(status=Status.FAILED, statusDetails=StatusDetails(message="m", trace="t"), steps=[failed_step])
    drop_product_defect_traces(result)
    assert result.statusDetails.trace is None and failed_step.statusDetails.trace is None
    broken = Result(status=Status.BROKEN, statusDetails=StatusDetails(message="KeyError", trace="t"))
    drop_product_defect_traces(broken)
    assert broken.statusDetails.trace == "t"
