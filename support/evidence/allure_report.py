"""The Allure formatter the suite configures, closing two gaps of allure-behave 2.16:

- it only wraps scenarios placed directly under a Feature, so scenarios under a `Rule:` would
  produce no results at all (and attachments would fail with no test open);
- it reads labels from tags only; here the story is the scenario's Rule, and the epic falls back
  to the feature's folder when the feature carries no `@allure.label.epic:` tag.
"""
from __future__ import annotations

from pathlib import Path

from allure_behave.formatter import AllureFormatter as _AllureFormatter
from allure_commons.model2 import Label
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

        listener.start_scenario = start_scenario_with_derived_labels

    def feature(self, feature):
        super().feature(feature)
        for rule in getattr(feature, "rules", []):
            self._wrap_scenario(rule.scenarios)
