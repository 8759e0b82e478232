"""behave hooks: wire the harness's fixtures (support/fixtures.py); nothing else lives here."""
from behave import use_fixture

import support.parameters  # noqa: F401  (registers the {persona} and other step parameter types)
from support.fixtures import acceptance_run, after_step_checks, scenario_world


def before_all(context):
    use_fixture(acceptance_run, context)


def before_scenario(context, scenario):
    use_fixture(scenario_world, context, scenario)


def after_step(context, step):
    after_step_checks(context, step)
