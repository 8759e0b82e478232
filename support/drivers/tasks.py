"""The scheduled-tasks driver: what a studio admin does with the portal's named tasks."""
from __future__ import annotations

from support.harness.expect import answered, same_answer
from support.harness.http import Exchange, PortalClient

EXPIRY_SWEEP = "share-links.expiry-sweep"
TASKS = "/admin/tasks"


def list_tasks(client: PortalClient) -> Exchange:
    return client.get(TASKS)


def attempt_run(client: PortalClient, name: str) -> Exchange:
    return client.post(f"{TASKS}/{name}/runs")


def history(client: PortalClient, name: str) -> Exchange:
    return client.get(f"{TASKS}/{name}/runs")


def run(world, actor, name: str) -> dict:
    """Run the task now (expecting success) and return the run as the portal reports it."""
    outcome = answered(world, attempt_run(actor.client, name), 201, meaning=f"{actor.name} to run {name}").json()
    if outcome["outcome"] != "succeeded":
        raise AssertionError(f"the run of {name} did not succeed: {outcome}")
    return outcome


def expect_as_if_no_such_task(world, client: PortalClient, exchange: Exchange) -> None:
    answered(world, exchange, 404, meaning="the answer for a task that does not exist")
    same_answer(world, attempt_run(client, "no-such-task"), exchange)
    answered(world, list_tasks(client), 404, meaning="the task list to be hidden too")


# -- the schedule ----------------------------------------------------------------------------------

def schedule_pass(world) -> int:
    """One pass of the portal's schedule, as the background worker of a portal with scheduled tasks
    on (PORTAL_SCHEDULED_TASKS, on by default) makes it: built the one way the portal builds its
    worker. The suite's own portal keeps its schedule off, so that no pass comes at a moment no
    scenario controls (support/harness/run.py). Returns how many tasks ran."""
    from portal.app import build_worker

    portal = world.run.portal
    worker = build_worker(portal.settings.with_overrides(scheduled_tasks_enabled=True), portal.app.state.pool)
    return worker.passes["scheduled tasks"](worker.pool)


def ran_back(world, name: str, minutes: float) -> None:
    """Every recorded run of the task happened `minutes` earlier (the database clock decides)."""
    from support.harness.clock import move_back

    move_back(world, "scheduled_task_runs", ("started_at", "finished_at"), minutes, "task = %s", (name,))


def runs_of(world, actor, name: str) -> list[dict]:
    return answered(world, history(actor.client, name), 200, meaning=f"the history of {name}").json()["runs"]
