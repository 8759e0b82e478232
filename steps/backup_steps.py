"""Backups and the restore drill: the portal's command line, a throwaway database, a second portal on the copy."""
from datetime import datetime, timedelta

from behave import given, then, use_fixture, when
from hamcrest import (assert_that, contains_string, equal_to, greater_than, has_item, has_entries, less_than,
                     less_than_or_equal_to)

from support.drivers import backups, projects, sessions
from support.fixtures import backup_directory, drill_database, portal_instance
from support.harness import expect

TARGETS = ("the portal's own database", "a new database not marked for a drill", "a drill database that is not empty")


@given("an operator has backed the portal up")
def step_backed_up(context):
    world = context.world
    world.operations.archive = backups.backed_up(world, use_fixture(backup_directory, context))


@when("a scheduler whose PATH holds no PostgreSQL tools backs the portal up")
def step_backup_without_path(context):
    """The backup command with a PATH of one empty directory: the tools are found where PostgreSQL installs them."""
    import tempfile

    world = context.world
    directory = use_fixture(backup_directory, context)
    with tempfile.TemporaryDirectory(prefix="portal-empty-path-") as empty:
        world.operations.archive = backups.backed_up(world, directory, path=empty)


@when("the operator backs the portal up, pointing it at the folder of PostgreSQL's tools of the server's version")
def step_backup_with_tools_folder(context):
    """PORTAL_PG_BIN set to a folder whose pg_dump and pg_restore run the server's own (and note that
    they ran); the PATH holds no PostgreSQL tools."""
    import tempfile

    world = context.world
    directory = use_fixture(backup_directory, context)
    world.operations.pg_bin = str(backups.tools_folder_used(world, use_fixture(backup_directory, context)))
    with tempfile.TemporaryDirectory(prefix="portal-empty-path-") as empty:
        world.operations.archive = backups.backed_up(world, directory, path=empty, pg_bin=world.operations.pg_bin)


@then("the backup was made with the tools in that folder")
def step_made_with_folder(context):
    """The dump written and the archive read back, each by that folder's tool."""
    from pathlib import Path

    assert_that(backups.tools_used(Path(context.world.operations.pg_bin)), equal_to(["pg_dump", "pg_restore"]))


@when("the operator backs the portal up, pointing it at a folder without PostgreSQL's tools")
def step_backup_with_empty_folder(context):
    """PORTAL_PG_BIN set to an empty folder, on a machine where PostgreSQL's tools are installed."""
    import tempfile

    world = context.world
    world.operations.backup_folder = use_fixture(backup_directory, context)
    with tempfile.TemporaryDirectory(prefix="portal-no-tools-") as empty:
        world.operations.pg_bin = empty
        world.operations.backup_outcome = backups.backup_with_pg_bin(world, world.operations.backup_folder, empty)


@then("the backup fails, saying it looked for the dump tool in that folder and found none there")
def step_backup_fails_absent(context):
    world = context.world
    outcome = world.operations.backup_outcome
    assert_that(outcome.code, equal_to(1), f"expected the backup to fail: {outcome.out.strip()[-300:]}")
    major = backups.server_major(world)
    assert_that(outcome.err, contains_string(
        f"backup failed: no pg_dump of PostgreSQL {major} found (the server's major version);"
        f" tried: {world.operations.pg_bin}/pg_dump (absent)."))


@then("it says to point the portal at the folder of PostgreSQL's tools of the server's version, or to stop pointing it anywhere")
def step_backup_says_fix(context):
    world = context.world
    assert_that(world.operations.backup_outcome.err, contains_string(
        f"Set PORTAL_PG_BIN to the directory holding pg_dump of PostgreSQL {backups.server_major(world)},"
        " or unset it to look where PostgreSQL installs its tools."))


@then("nothing is written in the backup folder")
def step_nothing_written(context):
    folder = context.world.operations.backup_folder
    assert_that(sorted(p.name for p in folder.iterdir()), equal_to([]))


@then("the backup and its manifest are written")
def step_backup_written(context):
    archive = context.world.operations.archive
    assert_that(archive.is_file(), equal_to(True), f"no archive at {archive}")
    assert_that(backups.manifest(archive)["archive"], equal_to(archive.name))


@when("the operator restores the backup into a throwaway database marked for the drill")
def step_restore_into_drill(context):
    world = context.world
    world.operations.drill = use_fixture(drill_database, context)
    world.operations.before = backups.counted(world.operations.drill[1])
    world.operations.restore_outcome = backups.restore(world, world.operations.archive, world.operations.drill[1])


@given("the backup's manifest records a checksum {which} the archive's")
def step_other_checksum(context, which):
    backups.record_other_checksum(context.world.operations.archive, which)


@given('a throwaway database marked for the drill already holds a sequence named "{name}"')
def step_drill_with_sequence(context, name):
    world = context.world
    world.operations.drill = use_fixture(drill_database, context)
    backups.leave_sequence_in(world.operations.drill[1], name)
    world.operations.before = backups.counted(world.operations.drill[1])


@when("the operator restores the backup into that database")
def step_restore_into_that(context):
    world = context.world
    world.operations.restore_outcome = backups.restore(world, world.operations.archive, world.operations.drill[1])


@then('the restore fails, saying "{reason}"')
def step_restore_fails(context, reason):
    """Exit status 1 (failed, not refused and not restored with differences), and the reason."""
    outcome = context.world.operations.restore_outcome
    assert_that(outcome.code, equal_to(1), f"expected the restore to fail: {outcome.out.strip()[-300:]} {outcome.err.strip()[-500:]}")
    assert_that(outcome.err, contains_string(f"restore failed: {reason}"))


@when("the operator restores the backup into {target}")
def step_restore_into(context, target):
    world = context.world
    if target == TARGETS[0]:
        name, url = world.run.database.name, world.run.database.url
    else:
        name, url = use_fixture(drill_database, context, marked=target == TARGETS[2])
        if target == TARGETS[2]:
            backups.leave_something_in(url)
    world.operations.drill = (name, url)
    world.operations.before = backups.counted(url)
    world.operations.restore_outcome = backups.restore(world, world.operations.archive, url)


@then("every table of the copy holds the rows the backup's manifest counts, with the same checksum")
def step_same_tables(context):
    world = context.world
    outcome = world.operations.restore_outcome
    assert_that(outcome.code, equal_to(0), f"the restore did not succeed: {outcome.err.strip()[-500:]}")
    manifest = backups.manifest(world.operations.archive)["tables"]
    assert_that(manifest["project_tasks"]["rows"], greater_than(1))  # the scenario's own data is in it
    assert_that(backups.counted(world.operations.drill[1]), equal_to(manifest))


@then("the restore took less than the recovery time objective of 5 minutes")
def step_within_rto(context):
    assert_that(context.world.operations.restore_outcome.json()["seconds"], less_than(backups.RECOVERY_TIME_OBJECTIVE_S))


@then("the restore says when it began and ended, and the time it took is the time between them, within the time the command ran")
def step_restore_span(context):
    """The reported seconds (a monotonic clock, rounded to the millisecond) against the span between
    the reported start and end (UTC, to the millisecond), which lies within the command's run as
    the suite's own clock saw it from outside."""
    outcome = context.world.operations.restore_outcome
    said = outcome.json()
    began, ended = datetime.fromisoformat(said["started_at"]), datetime.fromisoformat(said["ended_at"])
    assert_that(began.utcoffset(), equal_to(timedelta(0)), "the start is in UTC")
    assert_that(ended.utcoffset(), equal_to(timedelta(0)), "the end is in UTC")
    span = (ended - began).total_seconds()
    assert_that(abs(said["seconds"] - span), less_than_or_equal_to(0.002),
                f"reported {said['seconds']} s, but it began at {began} and ended at {ended} ({span} s)")
    outside_began = outcome.began.replace(microsecond=outcome.began.microsecond // 1000 * 1000)
    assert_that(outside_began <= began <= ended <= outcome.ended, equal_to(True),
                f"the restore's {began}..{ended} is not within the command's run {outcome.began}..{outcome.ended}")


@then('on a second portal started on the copy, {who:persona} sees the cut "{title:q}", version {version:count}')
def step_copy_serves(context, who, title, version):
    world = context.world
    copy = world.operations.copy = use_fixture(portal_instance, context, database_url=world.operations.drill[1])
    client = world.client(f"{who.name} on the restored copy", base_url=copy.url)
    session = backups.session_on(world.operations.drill[1], world.account(who).user_id)
    world.remember_secret(session)
    sessions.plant_session_id(client, session)
    cut = world.projects.cuts[title]
    answer = expect.answered(world, client.get(f"/projects/{cut.project_id}/assets"), 200,
                             meaning=f"{who.name} to see the project's cuts on the copy")
    assert_that(answer.json()["assets"], has_item(has_entries(id=cut.id, title=title, version=version)))


@then("once the drill is over, the throwaway database is gone")
def step_drill_over(context):
    world = context.world
    world.operations.copy.stop()
    backups.drop_database(world, world.operations.drill[0])
    assert_that(backups.database_exists(world, world.operations.drill[0]), equal_to(False))


@then("the restore is refused because the database {reason}")
def step_refused(context, reason):
    outcome = context.world.operations.restore_outcome
    assert_that(outcome.code, equal_to(2), f"expected the restore to be refused: {outcome.err.strip()[-500:]}")
    assert_that(outcome.err, contains_string(f"the target database {reason}"))


@then("{target} is as it was")
def step_as_it_was(context, target):
    world = context.world
    assert_that(backups.counted(world.operations.drill[1]), equal_to(world.operations.before))


@when('{who:persona} looks at the project "{name:q}"')
def step_look_at_project(context, who, name):
    world = context.world
    world.last_answer = projects.read_project(sessions.ensure_signed_in(world, who).client, world.work.projects[name].id)


@then("{who:persona} sees the project's recovery point covered by the backup just made")
def step_covered(context, who):
    world = context.world
    answer = expect.answered(world, world.last_answer, 200, meaning="the project")
    taken_at = backups.manifest(world.operations.archive)["taken_at"]
    point = answer.json()["recovery_point"]
    assert_that(point["status"], equal_to("covered"))
    assert_that(datetime.fromisoformat(point["last_backup_at"]), equal_to(datetime.fromisoformat(taken_at)))
