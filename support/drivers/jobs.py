"""The portal's job queue as an operator sees it: jobs put in through the database, the background
worker's passes over them, and what each attempt left behind. Time moves by the database clock."""
from __future__ import annotations

from support.drivers import email_delivery
from support.evidence import attachments


def queue_failing_job(world, kind: str) -> int:
    """A job of `kind` whose payload no handler can use: every attempt fails. Not due until the
    scenario brings it forward (`bring_due`): due at once, the portal's worker could make the first
    attempt on its own before the scenario counts, and the waits would start at the second."""
    row = world.db.execute("INSERT INTO jobs (kind, payload, run_at) VALUES (%s, '{}'::jsonb, now() + interval '1 day')"
                           " RETURNING id", (kind,)).fetchone()
    world.operations.job = row["id"]
    world.operations.job_waits = []
    return row["id"]


def state(world, job: int) -> dict:
    return world.db.execute(
        "SELECT kind, status, attempts, last_error, finished_at,"
        " CEIL(EXTRACT(EPOCH FROM run_at - now()))::int AS wait_seconds FROM jobs WHERE id = %s", (job,)).fetchone()


def worker_pass(world) -> None:
    """One whole pass of the background worker that began after this call (bounded wait)."""
    email_delivery.work_through_outbox(world)


def bring_due(world, job: int) -> None:
    """Time travel: the job's next attempt is due now."""
    world.db.execute("UPDATE jobs SET run_at = now() WHERE id = %s AND status = 'queued'", (job,))


def try_times(world, attempts: int) -> None:
    """Let the worker try the job `attempts` times, bringing each retry forward; note each wait."""
    job = world.operations.job
    after = None
    for _ in range(attempts):
        bring_due(world, job)
        worker_pass(world)
        after = state(world, job)
        world.operations.job_waits.append(after["wait_seconds"] if after["status"] == "queued" else None)
    # the job as the last attempt left it: read again only when there was none (nothing moves it meanwhile)
    after = after or state(world, job)
    attachments.attach_json(world, "The job after the worker's attempts",
                            {**{k: str(v) for k, v in after.items()}, "waits": world.operations.job_waits})


def registry(world) -> dict:
    """The running portal's job kinds: name -> seconds before each retry."""
    from portal.app import job_kinds

    return {name: kind.retry_delays for name, kind in job_kinds(world.run.portal.settings).items()}
