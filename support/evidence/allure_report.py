"""The Allure formatter the suite configures, closing gaps of allure-behave 2.16:

- it only wraps scenarios placed directly under a Feature, so scenarios under a `Rule:` would
  produce no results at all (and attachments would fail with no test open);
- it reads labels from tags only; here the story is the scenario's Rule, and the epic falls back
  to the feature's folder when the feature carries no `@allure.label.epic:` tag;
- the living documentation: each result's description carries its Feature's narrative and its
  Rule's full text (allure-behave gives only the scenario's own description), and an outline's
  example row shows as named parameters, not as `-- @1.2` in the name;
- a product defect (the portal broke a rule: an AssertionError) is reported by its one-sentence
  message, without the suite's stack trace; a test defect (any other error) keeps its trace.
"""
from __future__ import annotations

from pathlib import Path

from allure_behave.formatter import AllureFormatter as _AllureFormatter
from allure_commons.model2 import Label, Status
from allure_commons.types import LabelType
from behave.model import Rule


def rule_of(scenario) -> Rule | None:
    node = getattr(scenario, "parent", None)
    while node is not None and not isinstance(node, Rule):
        node = getattr(node, "parent", None)
    return node


EPIC_TAG = "allure.label.epic:"


def epic_of(scenario) -> str:
    """The capability a scenario belongs to: its `@allure.label.epic:` tag, else its folder."""
    for tag in list(scenario.tags) + list(scenario.feature.tags):
        if tag.startswith(EPIC_TAG):
            return tag[len(EPIC_TAG):]
    return Path(scenario.feature.filename).parent.name.replace("_", " ").capitalize()


def derived_labels(scenario, existing: list[Label]) -> list[Label]:
    present = {label.name for label in existing}
    labels = []
    rule = rule_of(scenario)
    if rule is not None and LabelType.STORY not in present:
        labels.append(Label(name=LabelType.STORY, value=rule.name))
    if LabelType.EPIC not in present:
        labels.append(Label(name=LabelType.EPIC, value=epic_of(scenario)))
    return labels


def description_of(scenario) -> str:
    """Markdown: the Feature's narrative, the Rule's text, then the scenario's own description."""
    parts = []
    feature = scenario.feature
    if feature.description:
        parts.append(f"**Feature: {feature.name}**\n\n" + "\n".join(feature.description))
    rule = rule_of(scenario)
    if rule is not None:
        parts.append(f"**Rule: {rule.name}**" + ("\n\n" + "\n".join(rule.description) if rule.description else ""))
    if scenario.description:
        parts.append("\n".join(scenario.description))
    return "\n\n".join(parts)


def plain_name(scenario) -> str:
    """An outline example's name without behave's `-- @1.2 Examples` suffix (the row's values
    are the result's parameters)."""
    return scenario.name.split(" -- @")[0].rstrip() or scenario.keyword


def drop_product_defect_traces(result) -> None:
    """A failed check (status failed: an AssertionError) says in its message what the portal did
    wrong; the suite's stack trace would only bury it. Broken results keep theirs."""
    def walk(node):
        details = getattr(node, "statusDetails", None)
        if details is not None and getattr(node, "status", None) == Status.FAILED:
            details.trace = None
        for step in getattr(node, "steps", None) or []:
            walk(step)
    walk(result)


class AllureFormatter(_AllureFormatter):
    def __init__(self, stream_opener, config):
        super().__init__(stream_opener, config)
        listener = self.listener
        start_scenario = listener.start_scenario

        def start_scenario_with_derived_labels(scenario):
            start_scenario(scenario)
            test = listener.logger.get_test(listener.current_scenario_uuid)
            if test is not None:
                test.labels.extend(derived_labels(scenario, test.labels))
                test.description = description_of(scenario)
                test.name = plain_name(scenario)

        listener.start_scenario = start_scenario_with_derived_labels
        logger = listener.logger
        close_test = logger.close_test

        def close_test_without_product_traces(uuid):
            test = logger.get_test(uuid)
            if test is not None:
                drop_product_defect_traces(test)
            close_test(uuid)

        logger.close_test = close_test_without_product_traces

    def feature(self, feature):
        super().feature(feature)
        for rule in getattr(feature, "rules", []):
            self._wrap_scenario(rule.scenarios)
