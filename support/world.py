"""The state of one scenario: its actors, its data, its record of exchanges, and one typed scene
per domain (what the scenario has made and seen so far). Never shared between scenarios.

A scene is a slotted dataclass (support/harness/scene.py): a misspelt attribute fails at once,
and reading something no step has set yet fails with a sentence that says what is missing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import psycopg

from support.data import factories
from support.data.personas import Organisation, Persona, organisation, persona
from support.drivers.email_delivery import EmailRef
from support.drivers.email_reports import SentReport
from support.drivers.projects import Cut
from support.drivers.sharing import Link
from support.drivers.sign_in import LinkHolder
from support.fakes.mux import Upload
from support.drivers import work
from support.harness.clock import HeldClock
from support.harness.http import Exchange, ExchangeLog, PortalClient
from support.harness.portal_server import PortalServer
from support.harness.run import SuiteRun
from support.harness.scene import Scene, scene, unset


@dataclass
class Actor:
    persona: Persona
    email: str
    client: PortalClient
    user_id: int | None = None
    sign_in_links: list[str] = field(default_factory=list)
    emails_seen: int = 0  # emails to this actor that steps have already looked at

    @property
    def name(self) -> str:
        return self.persona.name


@scene
class SignInScene(Scene):
    link: str = unset("sign-in link", "give the person a sign-in link first")
    earlier_link: str = unset("earlier sign-in link", "ask for a second link first")
    answers: list[Exchange] = field(default_factory=list)       # several people asked; compared
    tabs: list[Exchange] = field(default_factory=list)          # one link's page open in several tabs
    race: list[tuple[PortalClient, Exchange]] = field(default_factory=list)  # browsers racing one link
    crowd: list[LinkHolder] = field(default_factory=list)       # many people, each with a link
    crowd_outcomes: list[Exchange] = field(default_factory=list)
    planted_session: str = unset("planted session id")
    ended_session: str = unset("session id from before signing out")


@scene
class ProjectsScene(Scene):
    cut: Cut = unset("cut", "arrange one first, e.g. 'Given Brightside Agency has the cut ...'")
    cuts: dict[str, Cut] = field(default_factory=dict)          # by title
    project_id: int = unset("project", "start a project first")
    lookups: dict[str, Exchange] = field(default_factory=dict)  # what someone looked up, by what it was
    project_list: Exchange = unset("list of projects")
    typed: str = ""  # text a person typed that the portal must keep as typed (empty: the usual sample)


@scene
class SharingScene(Scene):
    link: Link = unset("share link", "share the cut first")
    old_link: Link = unset("earlier share link", "rotate the link first")
    links: list[Link] = field(default_factory=list)             # every link made in the scenario
    browsers: dict[str, PortalClient] = field(default_factory=dict)  # each guest's browser, by name
    rotations: list[Exchange] = field(default_factory=list)     # rotations racing each other
    guest_request: str = unset("guest request", "let a guest use the link first")
    outsider_action: str = unset("outsider's attempt")
    earlier_password_hash: str = unset("password kept at an earlier cost", "arrange the earlier hash first")


@scene
class EmailScene(Scene):
    email: EmailRef = unset("email", "arrange an email first")
    reports: list[SentReport] = field(default_factory=list)    # every report sent as Resend or a forger
    webhook_clients: dict[str, PortalClient] = field(default_factory=dict)  # by sender
    waiting_for: object = unset("person waiting for an email")
    worker_down: bool = False
    provider_reason: str = "internal_server_error"             # the provider's last error, as arranged
    calls_before: int = unset("count of provider calls before the step")
    notifications: list[EmailRef] = field(default_factory=list)
    waiting_notification: EmailRef = unset("share notification waiting in the outbox", "write one to the outbox first")
    opened: dict = unset("email an admin opened")
    history: list[dict] = field(default_factory=list)          # emails an admin looked up
    suppression: dict = unset("suppression", "suppress an address first")
    suppressions: list[dict] = field(default_factory=list)     # the suppression list as an admin read it


@scene
class WorkScene(Scene):
    project: work.Project = unset("project", "arrange one first, e.g. 'Given Brightside Agency has the project ...'")
    projects: dict[str, work.Project] = field(default_factory=dict)    # by name
    milestones: dict[str, work.Milestone] = field(default_factory=dict)  # by title
    task: work.Task = unset("task", "arrange one first, e.g. 'Given Theo has the task ...'")
    tasks: dict[str, work.Task] = field(default_factory=dict)          # by title
    answers: list[Exchange] = field(default_factory=list)              # answers to changes made at once
    references: list[Exchange] = field(default_factory=list)           # the same asks about what never existed
    milestone_etags: dict[str, str] = field(default_factory=dict)      # the ETag each person read, by name
    refusal: str | None = None                                         # what the database said to a direct write


@scene
class CutsScene(Scene):
    uploads: dict[str, Upload] = field(default_factory=dict)    # the Mux upload behind each cut, by title
    clients: dict[str, PortalClient] = field(default_factory=dict)  # Mux, as a sender of webhooks
    sent: list[dict] = field(default_factory=list)              # every report sent as Mux, in order
    answers: list[Exchange] = field(default_factory=list)       # answers to several reports
    held_clock: HeldClock = unset("portal's clock, held still", "say 'Given the portal's clock stands still' first")


@scene
class PeopleScene(Scene):
    token: str = unset("invitation key", "invite someone first, e.g. 'Given Bea has invited Nell ...'")
    earlier_token: str = unset("earlier invitation key", "invite the person a second time first")
    reference: Exchange = unset("answer about something that never existed")
    answers: list[Exchange] = field(default_factory=list)      # answers compared with each other, or racing


@scene
class ApiAccessScene(Scene):
    key: str = unset("API key", "make one first, e.g. 'Given Theo has an API key'")
    key_id: int = unset("API key's id")
    made: Exchange = unset("answer that made the key")
    system: PortalClient = unset("system using the key", "give someone's system a key first")
    answers: list[Exchange] = field(default_factory=list)       # a burst of requests, in order
    reference: Exchange = unset("answer to a key the portal never issued")
    callers: dict[str, PortalClient] = field(default_factory=dict)  # callers of the JSON API, by name
    second_portal: str = unset("second portal process", "start one first")
    second_system: PortalClient = unset("system at the second portal process")


@scene
class OperationsScene(Scene):
    task_run: dict = unset("run of a scheduled task", "run the task first")
    probed: PortalServer | None = None                          # a portal of its own under probe; None: the run's
    held_clock: HeldClock = unset("probed portal's clock, held still", "hold that portal's clock first")
    audit_pages: list[Exchange] = field(default_factory=list)    # the pages of the audit log an admin read
    audit_times: list = field(default_factory=list)             # when arranged audit entries were made
    reference: Exchange = unset("answer about something that never existed")
    command: object = unset("outcome of the portal's command line (support/drivers/command_line.Outcome)",
                            "run the command first")
    empty_database_url: str = unset("empty database", "arrange an empty database first")
    findings: list = field(default_factory=list)                # what a scan of kept data found in clear
    archive: object = unset("backup archive", "back the portal up first")
    drill: tuple = unset("drill database (name, URL)", "make one first")
    restore_outcome: object = unset("outcome of a restore", "restore the backup first")
    copy: PortalServer = unset("portal on the restored copy")
    before: dict = unset("tables of the restore's target before it")
    backup_folder: object = unset("folder a backup was asked to write into", "back the portal up first")
    backup_outcome: object = unset("outcome of a backup command", "back the portal up first")
    pg_bin: str = unset("the PORTAL_PG_BIN the operator set", "point the portal at a folder first")
    answers: list[Exchange] = field(default_factory=list)       # answers to probes sent at once
    job: int = unset("queued job", "queue a job first")
    job_waits: list = field(default_factory=list)               # seconds each failed attempt of the job waited
    metrics_before: dict = unset("metrics read before", "read the metrics first")
    metrics_nowhere: Exchange = unset("answer for an address that does not exist")
    metrics_key: str = unset("key in an address")


@scene
class ApiScene(Scene):
    expected_status: int = unset("expected status", "get one of the answers first")
    head: Exchange = unset("answer to HEAD", "ask only for the headers first")
    full: Exchange = unset("answer to GET", "ask only for the headers first")


class World:
    # slotted like the scenes: `world.link = ...` (a name the World does not have) fails at once
    __slots__ = ("run", "suffix", "exchanges", "secrets", "base_url", "started_at", "_last_answer", "_actors",
                 "_tenants", "_extra_clients",
                 # one scene per domain
                 "sign_in", "projects", "sharing", "email", "operations", "work", "cuts", "people", "api_access", "api")

    def __init__(self, run: SuiteRun):
        self.run = run
        self.suffix = factories.unique_suffix()
        self.exchanges = ExchangeLog()
        self.secrets: set[str] = set()
        self.sign_in = SignInScene()
        self.projects = ProjectsScene()
        self.sharing = SharingScene()
        self.email = EmailScene()
        self.operations = OperationsScene()
        self.work = WorkScene()
        self.cuts = CutsScene()
        self.people = PeopleScene()
        self.api_access = ApiAccessScene()
        self.api = ApiScene()
        self._last_answer: Exchange | None = None
        self._actors: dict[str, Actor] = {}
        self._tenants: dict[str, int] = {}
        self._extra_clients: list[PortalClient] = []
        self.base_url = run.base_url
        # the database's clock at the start: reads of shared tables look only at what came after
        self.started_at = run.scenario_began_at or self.db.execute("SELECT now() AS now").fetchone()["now"]

    # -- the exchange a Then inspects -------------------------------------------------------
    @property
    def last_answer(self) -> Exchange:
        """The portal's answer to the scenario's last action (set by When steps)."""
        if self._last_answer is None:
            raise AssertionError("no step of this scenario has asked the portal anything yet")
        return self._last_answer

    @last_answer.setter
    def last_answer(self, exchange: Exchange) -> None:
        self._last_answer = exchange

    # -- data ---------------------------------------------------------------------------
    @property
    def db(self) -> psycopg.Connection:
        """The harness's connection (autocommit), kept for the whole run: opening one per scenario
        cost ~3.5 ms a scenario. It carries no state from one scenario to the next."""
        return self.run.harness_connection()

    def tenant(self, org: Organisation | str) -> int:
        org = organisation(org) if isinstance(org, str) else org
        if org.name not in self._tenants:
            self._tenants[org.name] = factories.create_tenant(self.db, org, self.suffix)
        return self._tenants[org.name]

    def tenant_written(self, org: Organisation) -> int | None:
        """The organisation's tenant id, or None while the scenario has not written it: a factory that
        takes None writes the tenant in the same statement, and the World learns its id with `tenant_is`."""
        return self._tenants.get(org.name)

    def tenant_is(self, org: Organisation, tenant_id: int) -> None:
        self._tenants[org.name] = tenant_id

    # -- people -------------------------------------------------------------------------
    def actor(self, who: Persona | str) -> Actor:
        who = persona(who) if isinstance(who, str) else who
        if who.name not in self._actors:
            self._actors[who.name] = Actor(
                persona=who,
                email=factories.email_for(who, self.suffix),
                client=self.client(who.name),
            )
        return self._actors[who.name]

    def account(self, who: Persona | str, status: str | None = None, session_id: str | None = None) -> Actor:
        """The actor, with a portal account as the glossary describes it (created on first need);
        signed in with `session_id` when one is given (written with the account when it is new)."""
        actor = self.actor(who)
        if actor.user_id is None:
            if not actor.persona.has_account:
                raise AssertionError(f"{actor.name} has no portal account by definition (features/glossary.md)")
            org = actor.persona.organisation
            tenant_id, actor.user_id = factories.create_account(
                self.db, self.tenant_written(org), org, self.suffix, actor.persona, actor.email, status, session_id)
            self.tenant_is(org, tenant_id)
            return actor
        if status:
            factories.set_status(self.db, actor.user_id, status)
        if session_id is not None:
            factories.create_session(self.db, actor.user_id, session_id=session_id)
        return actor

    def actors_with_accounts(self) -> list[Actor]:
        return [a for a in self._actors.values() if a.user_id is not None]

    def client(self, label: str, base_url: str | None = None, **headers: str) -> PortalClient:
        """A browser or API client of its own, from a network address of its own (local mode)."""
        address = None if self.run.live else factories.client_address()
        client = PortalClient(label, base_url or self.base_url, self.exchanges, client_address=address)
        client.http.headers.update(headers)
        self._extra_clients.append(client)
        return client

    def switch_portal(self, base_url: str) -> None:
        """From now on every client of this scenario talks to the portal at `base_url`."""
        self.base_url = base_url
        for client in self._extra_clients:
            client.http.base_url = base_url

    def remember_secret(self, value: str) -> None:
        self.secrets.add(value)

    # -- background work ------------------------------------------------------------------
    def wait_until_portal_idle(self, timeout: float = 10.0) -> None:
        """Wait until the portal has no due job and no due email left (bounded; never a sleep for time to pass).
        While the outbox is held (portal/email/holds.py) no email is due.

        Then anything it was going to send has been sent, so "no email arrived" is a fact.
        """
        began = time.perf_counter()
        try:
            self._wait_until_idle(timeout)
        finally:
            self.run.add_time("waiting_s", time.perf_counter() - began)

    def _wait_until_idle(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        portal = self.run.portal
        while True:
            # the in-process worker says when it has finished a pass: look again then, not after a
            # fixed interval (counted before looking, so a pass that ends meanwhile is not missed)
            worker = portal.worker if portal is not None else None
            passes = worker.completed_passes if worker is not None and worker.running else None
            row = self.db.execute(
                "SELECT (SELECT count(*) FROM jobs WHERE status = 'queued' AND run_at <= now())"
                "     + (SELECT count(*) FROM emails WHERE status = 'queued' AND next_attempt_at <= now()"
                "          AND NOT EXISTS (SELECT 1 FROM email_holds WHERE ended_at IS NULL AND held_until > now())) AS due"
            ).fetchone()
            if row["due"] == 0:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the portal still had {row['due']} due job(s) or email(s) after {timeout:.0f}s")
            if passes is not None:
                # bounded, and short: work can also be done by another process, which sends no signal
                worker.wait_for_passes(passes + 1, timeout=min(0.05, max(0.0, deadline - time.monotonic())))
            else:
                time.sleep(0.01)  # live mode, or no worker of the suite's own: polling interval of a bounded wait

    def close(self) -> None:
        for client in self._extra_clients:
            client.close()
