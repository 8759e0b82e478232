"""behave hooks: wire the harness's fixtures (support/fixtures.py); nothing else lives here."""
from behave import use_fixture
from behave.step_registry import registry

import support.parameters  # noqa: F401  (registers the {persona} and other step parameter types)
from support.fixtures import acceptance_run, after_step_checks, scenario_world
from support.harness.step_index import remember_matches

remember_matches(registry)  # each step text's definition is looked up once per run (support/harness/step_index.py)


def before_all(context):
    use_fixture(acceptance_run, context)


def before_scenario(context, scenario):
    use_fixture(scenario_world, context, scenario)


def after_step(context, step):
    after_step_checks(context, step)
