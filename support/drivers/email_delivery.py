"""The email driver: emails the portal writes to its outbox, what the provider makes of them,
and moving delivery attempts back in time (the portal takes retry times from the database
clock, so an attempt moved back is, to the portal, an older attempt).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from support.data import factories
from support.drivers import sign_in
from support.fakes.resend import ERRORS, UNVERIFIED_DOMAIN, SentEmail
from support.harness import clock

# how the features name the portal's kinds of email, and the outbox's templates
KINDS = {"sign-in email": "sign_in_link", "share notification": factories.SHARE_NOTIFICATION,
         "task assignment": "task_assigned", "overdue reminder": "task_overdue", "digest": "task_digest",
         "handover email": "tasks_handed_over", "unassigned tasks notice": "tasks_unassigned",
         "failed cut notice": "cut_failed",
         "invitation": "invitation", "already-have-an-account notice": "invitation_existing_account"}


# how the features name Resend's answers: its error names (support/fakes/resend.py ERRORS), and two
# answers that need more than a name: a proxy's page in front of Resend, an unverified domain
PROXY_PAGE = "a proxy's 502 page"
UNVERIFIED = "an unverified domain"
PROVIDER_ANSWERS = sorted([*ERRORS, PROXY_PAGE, UNVERIFIED])


def script_answers(world, answer: str, count: int = 1) -> str:
    """The provider gives `answer` to the next `count` calls; returns the text the portal's record
    of the failure must contain."""
    resend = world.run.resend
    if answer == PROXY_PAGE:
        resend.proxy_error(count, 502)
        return "HTTP 502"
    if answer == UNVERIFIED:
        resend.fail_next(count, "validation_error", status=403, message=UNVERIFIED_DOMAIN)
        return "HTTP 403 validation_error"
    resend.fail_next(count, answer)
    return f"HTTP {ERRORS[answer][0]} {answer}"


@dataclass
class EmailRef:
    """One email of the outbox, as the scenario knows it."""
    actor: object
    kind: str
    id: int
    public_id: str
    sent: SentEmail | None = None  # what the provider received, once it accepted the email

    @property
    def provider_id(self) -> str:
        if self.sent is None:
            raise AssertionError(f"the {self.kind} to {self.actor.name} never reached the email provider")
        return self.sent.id

    def is_mine(self, idempotency_key: str | None) -> bool:
        """Was a call to the provider about this email? The portal derives the Idempotency-Key
        from the outbox entry (`email-<public id>`, plus a suffix for each time an admin sends it
        again: README)."""
        return bool(idempotency_key) and idempotency_key.startswith(f"email-{self.public_id}")


def template_of(kind: str) -> str:
    try:
        return KINDS[kind]
    except KeyError:
        raise AssertionError(f"no kind of email called {kind!r} (known: {', '.join(KINDS)})") from None


# -- the outbox, read and arranged through the database (Given steps) -------------------------

def newest(world, actor, kind: str) -> EmailRef:
    row = world.db.execute(
        "SELECT id, public_id FROM emails WHERE lower(recipient) = lower(%s) AND template = %s"
        " ORDER BY created_at DESC, id DESC LIMIT 1",
        (actor.email, template_of(kind)),
    ).fetchone()
    if row is None:
        raise AssertionError(f"the portal wrote no {kind} to {actor.name} in this scenario")
    return EmailRef(actor, kind, row["id"], str(row["public_id"]))


def remember(world, email: EmailRef) -> EmailRef:
    world.email.email = email
    return email


@contextmanager
def still_following(world):
    """Emails arranged inside the block do not become the one the scenario follows."""
    scene = world.email
    before = scene.email if scene.has("email") else None
    try:
        yield
    finally:
        if before is not None:
            scene.email = before
        elif scene.has("email"):
            del scene.email


def current(world) -> EmailRef:
    return world.email.email


def wake_worker(world) -> None:
    world.db.execute("NOTIFY portal_work")


def work_through_outbox(world) -> None:
    """Let the background worker deliver whatever is due, and wait until it has (bounded).

    With the suite's own worker running, wait for a whole pass that began after this call: an
    email that is not due (or held with the outbox) then was looked at and left, so "the provider
    is not asked" is a fact and not a race."""
    portal = world.run.portal
    worker = portal.worker if portal is not None else None
    if worker is not None and worker.running and not world.email.worker_down:
        with worker.paused():  # a pass under way ends first; the next one starts after the wake-up
            seen = worker.completed_passes
        wake_worker(world)
        assert worker.wait_for_passes(seen + 1, timeout=10), "the background worker made no pass within 10s"
    else:
        wake_worker(world)
    world.wait_until_portal_idle()


def move_email_back(world, email: EmailRef, seconds: float) -> None:
    """Everything that happened to the email now lies `seconds` further in the past."""
    with world.db.pipeline():  # three statements in one round trip (and one transaction)
        moved = clock.moving_back(world, "emails", ("created_at", "last_attempt_at", "next_attempt_at", "status_at"),
                                  seconds / 60, "id = %s", (email.id,))
        # a hold of the whole outbox began with this email's attempt: it ages with it
        clock.moving_back(world, "email_holds", ("started_at", "held_until", "last_refused_at"), seconds / 60,
                          "ended_at IS NULL", ())
        clock.moving_back(world, "email_events", ("occurred_at", "received_at"), seconds / 60, "email_id = %s",
                          (email.id,))
    assert moved.rowcount, f"the {email.kind} to {email.actor.name} is not in the outbox"


def bring_next_attempt_due(world, email: EmailRef) -> None:
    """Move the email back in time just far enough for its next attempt to be due, then let the
    worker make it."""
    row = world.db.execute(
        "SELECT status, greatest(0, extract(epoch FROM next_attempt_at - now()))::float8 AS wait"
        "  FROM emails WHERE id = %s", (email.id,)
    ).fetchone()
    assert row and row["status"] == "queued", (
        f"the {email.kind} to {email.actor.name} is not waiting for another attempt (it is {row and row['status']})")
    move_email_back(world, email, row["wait"])
    work_through_outbox(world)


def ask_for_sign_in_email(world, actor) -> EmailRef:
    """The actor asks for a sign-in link; the portal writes the email and makes its first attempt."""
    sign_in.request_link(world, actor)
    world.wait_until_portal_idle()
    return remember(world, newest(world, actor, "sign-in email"))


def failing_sign_in_email(world, actor, failures: int, name: str = "internal_server_error", *,
                          status: int | None = None, message: str | None = None,
                          headers: dict | None = None) -> EmailRef:
    """The provider answers `failures` attempts to deliver the actor's sign-in email with the error
    Resend documents as `name`."""
    world.run.resend.fail_next(failures, name, status=status, message=message, headers=headers)
    email = ask_for_sign_in_email(world, actor)
    for _ in range(failures - 1):
        bring_next_attempt_due(world, email)
    attempts = provider_calls(world, email)
    assert attempts == failures, f"the provider was asked {attempts} times, {failures} were arranged"
    return email


def answered_sign_in_email(world, actor, answer: str, times: int = 1) -> EmailRef:
    """The provider gives `answer` to `times` attempts to deliver the actor's sign-in email, each
    attempt made when it falls due; notes what the portal's record of it must say."""
    world.email.provider_reason = script_answers(world, answer, times)
    email = remember(world, ask_for_sign_in_email(world, actor))
    for _ in range(times - 1):
        bring_next_attempt_due(world, email)
    attempts = provider_calls(world, email)
    assert attempts == times, f"the provider was asked {attempts} times, {times} were arranged"
    return email


def next_attempt(world, email: EmailRef) -> dict:
    """When the email's next attempt falls due, from its last one, and its state (the database)."""
    return world.db.execute(
        "SELECT status, attempts, extract(epoch FROM next_attempt_at - last_attempt_at)::float8 AS wait_s"
        "  FROM emails WHERE id = %s", (email.id,)
    ).fetchone()


def queue_share_notification(world, actor) -> EmailRef:
    row = factories.queue_share_notification(world.db, actor.email)
    return remember(world, EmailRef(actor, "share notification", row["id"], str(row["public_id"])))


def delivered(world, email: EmailRef) -> EmailRef:
    """Wait until the provider has accepted `email` and note what it received."""
    world.wait_until_portal_idle()
    sent = [e for e in world.run.resend.emails_to(email.actor.email) if email.is_mine(e.idempotency_key)]
    if not sent:
        raise AssertionError(f"the provider received no {email.kind} to {email.actor.name} "
                             f"(it received {len(world.run.resend.sent)} email(s) in this scenario)")
    email.sent = sent[-1]
    email.actor.emails_seen = len(world.run.resend.emails_to(email.actor.email))
    return email


def sent_share_notification(world, actor) -> EmailRef:
    return delivered(world, queue_share_notification(world, actor))


def sent_sign_in_email(world, actor) -> EmailRef:
    world.account(actor.persona)
    email = ask_for_sign_in_email(world, actor)
    sign_in.receive_link(world, actor)
    return delivered(world, email)


def wait_for_busy_workers(world, count: int, timeout: float = 5.0) -> None:
    """Until `count` of the portal's delivery transactions are open at once (bounded): each worker
    has taken an email and is waiting for the provider."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        busy = world.db.execute(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()"
            " AND application_name = 'portal' AND state IN ('idle in transaction', 'active')"
            " AND pid <> pg_backend_pid()"
        ).fetchone()["n"]
        if busy >= count:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{busy} worker(s) were delivering at once within {timeout:.0f}s; {count} were expected")
        time.sleep(0.01)  # polling interval of a bounded wait


# -- what the provider observed ----------------------------------------------------------------

def calls_about(world, email: EmailRef) -> list:
    """Every call the portal made to the provider about this email."""
    return world.run.resend.calls_matching(lambda call: email.is_mine(call.idempotency_key))


def provider_calls(world, email: EmailRef) -> int:
    return len(calls_about(world, email))
