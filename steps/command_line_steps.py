"""The portal's command line, as the hosting platform runs it: migrate, and refusing bad settings."""
import contextlib

from behave import given, then, when
from hamcrest import assert_that, contains_string, equal_to

from support.drivers import command_line


@given("an empty database")
def step_empty_database(context):
    """A new database on the run's server with nothing in it, dropped when the scenario ends."""
    stack = contextlib.ExitStack()
    context.add_cleanup(stack.close)
    context.world.operations.empty_database_url = stack.enter_context(command_line.empty_database(context.world))


@when("the operator runs the migrate command")
@when("the operator runs the migrate command again")
def step_migrate(context):
    """`python -m portal migrate` against the empty database."""
    world = context.world
    world.operations.command = command_line.run(["migrate"], {"DATABASE_URL": world.operations.empty_database_url})


@then("the command reports every migration of the portal as applied")
def step_all_applied(context):
    """Exit status 0; standard error names each bundled migration, in order."""
    outcome = context.world.operations.command
    assert_that(outcome.status, equal_to(0), outcome.stderr)
    assert_that(outcome.stderr.strip(), equal_to("migrations applied: " + ", ".join(command_line.bundled_migrations())))


@then("the command reports none pending")
def step_none_pending(context):
    """Exit status 0; standard error says no migration was pending."""
    outcome = context.world.operations.command
    assert_that(outcome.status, equal_to(0), outcome.stderr)
    assert_that(outcome.stderr.strip(), equal_to("migrations applied: none pending"))


def _setting(setting: str) -> dict[str, str]:
    assert setting in command_line.SETTINGS, (
        f"no such setting in the harness: {setting!r} (known: {', '.join(command_line.SETTINGS)})")
    return command_line.SETTINGS[setting]


@when("the operator starts the portal with {setting}")
def step_start_with(context, setting):
    """`python -m portal` (serve) with a usable environment, except for SETTING."""
    world = context.world
    world.operations.command = command_line.run([], {"DATABASE_URL": world.run.database.url, **_setting(setting)})


@when("the operator migrates the empty database with {setting}")
def step_migrate_with(context, setting):
    """`python -m portal migrate` against the empty database, with SETTING."""
    world = context.world
    world.operations.command = command_line.run(
        ["migrate"], {"DATABASE_URL": world.operations.empty_database_url, **_setting(setting)})


@then('the portal stops at once with a configuration error saying "{message}"')
def step_config_error(context, message):
    """Exit status 2 before anything starts; standard error says what is wrong with the setting."""
    outcome = context.world.operations.command
    assert_that(outcome.status, equal_to(2), outcome.stderr)
    assert_that(outcome.stderr, contains_string("configuration error: "))
    assert_that(outcome.stderr, contains_string(message))


@when('the operator migrates the empty database, logging in the format "{kind}"')
def step_migrate_with_log_format(context, kind):
    """`python -m portal migrate` in its own process, logging at INFO in the format KIND."""
    world = context.world
    world.operations.command = command_line.run_process(
        ["migrate"], {"DATABASE_URL": world.operations.empty_database_url, "PORTAL_LOG_FORMAT": kind,
                      "PORTAL_LOG_LEVEL": "INFO"})


@then("each migration it applied is logged as {shape}")
def step_logged_as(context, shape):
    """One log line per bundled migration, each of that shape."""
    outcome = context.world.operations.command
    assert_that(outcome.status, equal_to(0), outcome.stderr)
    lines = [line for line in outcome.stderr.splitlines() if "applied migration" in line]
    assert_that(len(lines), equal_to(len(command_line.bundled_migrations())), outcome.stderr[-2000:])
    wrong = [line for line in lines if not command_line.LOG_LINE_SHAPES[shape].match(line)]
    assert not wrong, f"lines not {shape}: {wrong[:3]}"

