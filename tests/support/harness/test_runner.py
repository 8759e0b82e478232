import gc

import pytest
from behave.runner import Runner

from support.harness.runner import SuiteRunner


@pytest.fixture
def collector_restored():
    yield
    gc.unfreeze()
    gc.enable()


def test_the_collector_is_back_on_once_the_steps_are_loaded_and_what_they_made_is_frozen(monkeypatch, collector_restored):
    seen = {}

    def load(self, extra_step_paths=None):
        seen["enabled while loading"] = gc.isenabled()

    monkeypatch.setattr(Runner, "load_step_definitions", load)
    gc.disable()  # as run_with_paths leaves it
    frozen_before = gc.get_freeze_count()
    SuiteRunner.load_step_definitions(object.__new__(SuiteRunner))
    assert seen == {"enabled while loading": False}
    assert gc.isenabled()
    assert gc.get_freeze_count() > frozen_before


def test_the_collector_is_back_on_when_loading_the_steps_fails(monkeypatch, collector_restored):
    def load(self, extra_step_paths=None):
        raise SyntaxError("a step module that does not parse")

    monkeypatch.setattr(Runner, "load_step_definitions", load)
    gc.disable()
    with pytest.raises(SyntaxError):
        SuiteRunner.load_step_definitions(object.__new__(SuiteRunner))
    assert gc.isenabled()
