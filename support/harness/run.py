"""One acceptance run: its database, its portal, its fake providers; started once, torn down once."""
from __future__ import annotations

import contextlib
import secrets
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime

from psycopg.conninfo import make_conninfo

from portal.config import Settings
from support.evidence.run_summary import RunSummary
from support.fakes import mux as mux_fake
from support.fakes.mux import MuxFake
from support.fakes.network import BlockedNetwork
from support.fakes.resend import FAKE_API_KEY, RESEND_API, WEBHOOK_SECRET, ResendFake
from support.harness import database, early_start, portal_log
from support.harness.config import SuiteConfig
from support.harness.database import Database, Mode
from support.harness.portal_server import PortalServer
from support.harness.spare_databases import SpareDatabases
from support.harness.termination import cleanup_on_termination

# The harness's own writes (test data, moving records back in time) need not wait for the disk:
# each is one autocommitted statement, and on a server with fsync on, waiting for the WAL flush
# of each was a large part of the harness's time. The portal's own transactions are unaffected.
HARNESS_SESSION = {"options": "-c synchronous_commit=off"}


class SuiteCouldNotStart(RuntimeError):
    pass


@dataclass
class SuiteRun:
    config: SuiteConfig
    database: Database
    base_url: str
    portal: PortalServer | None = None
    network: BlockedNetwork | None = None
    resend: ResendFake | None = None
    mux: MuxFake | None = None
    resetter: database.Resetter | None = None
    log: portal_log.CapturedLog | None = None
    spares: SpareDatabases | None = None  # databases of a scenario's own (not in live mode)
    timings: dict[str, float] = field(default_factory=dict)
    summary: RunSummary = field(default_factory=RunSummary)
    contract_violations: list[str] = field(default_factory=list)  # PORTAL_SPEC_CONTRACT=report
    # the database's clock when the scenario began, read by the reset (None in live mode: no reset)
    scenario_began_at: datetime | None = None
    _harness_db: object = None

    def openapi(self) -> dict:
        """The portal's OpenAPI document: from the app in local mode, over HTTP in live mode."""
        if self.portal is not None:
            return self.portal.app.openapi()
        import httpx

        try:
            return httpx.get(f"{self.base_url}/openapi.json", timeout=10).json()
        except (httpx.HTTPError, ValueError):
            return {}

    _contract: object = None

    @property
    def contract(self):
        """The OpenAPI contract every exchange is checked against: the in-process portal's document,
        or in live mode the committed snapshot (docs/openapi.json), which a unit test keeps equal to
        what this code serves (a live /openapi.json may hide operations from anonymous callers)."""
        if self._contract is None:
            from support.harness.openapi_contract import PortalContract, snapshot

            self._contract = PortalContract(self.openapi() if self.portal is not None else snapshot())
        return self._contract

    @property
    def live(self) -> bool:
        return self.database.mode is Mode.LIVE

    def harness_connection(self):
        """One autocommit connection for the harness's own reads and writes, opened on first use."""
        if self._harness_db is None or self._harness_db.closed:
            import psycopg
            from psycopg.rows import dict_row

            self._harness_db = psycopg.connect(self.database.url, autocommit=True, row_factory=dict_row,
                                               **HARNESS_SESSION)
        return self._harness_db

    def close(self) -> None:
        if self._harness_db is not None:
            self._harness_db.close()

    def add_time(self, name: str, amount: float) -> None:
        """Add to one of the run's figures for the benchmark (PORTAL_SPEC_TIMINGS): seconds, or a count."""
        self.timings[name] = self.timings.get(name, 0) + amount

    def start_scenario(self) -> float:
        """Bring the run to a clean state for the next scenario; return the seconds it took."""
        started = time.perf_counter()
        if self.resend is not None:
            self.resend.release()  # a held provider must not keep the worker (and the reset) waiting
        if self.resetter is not None:
            worker = self.portal.worker if self.portal is not None else None
            # the worker's transactions span several tables: emptying them under its feet deadlocks
            with (worker.paused() if worker is not None else contextlib.nullcontext()):
                self.scenario_began_at = self.resetter.reset()
        if self.resend is not None:
            self.resend.reset()
        if self.mux is not None:
            self.mux.reset()
        if self.network is not None:
            self.network.take_unexpected()  # whatever an earlier scenario's late work tried
        if self.log is not None:
            self.log.clear()
        return time.perf_counter() - started


AS_BY_DEFAULT = object()  # an override meaning: this setting as the portal reads it, not the harness's value


def portal_settings(database_url: str, public_url: str, **overrides) -> Settings:
    """The portal's configuration in local mode: real code, fake provider endpoints. It is read
    from an environment, as an operator gives it (Settings.from_env), so the suite also runs the
    portal's reading of its settings and its documented defaults. An override of AS_BY_DEFAULT
    takes away the harness's own value of a setting, leaving the portal's default."""
    environment = {
        "DATABASE_URL": database_url,
        "PORTAL_PUBLIC_URL": public_url,
        "RESEND_API_KEY": FAKE_API_KEY,
        "RESEND_API_URL": RESEND_API,
        "RESEND_WEBHOOK_SECRET": WEBHOOK_SECRET,
        # the worker wakes on NOTIFY (every enqueue and the harness's nudges); a rare periodic pass
        # only adds races with steps that move time
        "PORTAL_WORKER_POLL_SECONDS": "60",
        # scenarios run scheduled tasks through the admin API, as in live mode; the schedule
        # itself would run them at moments no scenario controls
        "PORTAL_SCHEDULED_TASKS": "off",
        "PORTAL_DB_POOL_MIN": "2",
        "PORTAL_DB_POOL_MAX": "12",
        # link passwords hashed at the lowest argon2id cost: a production-cost hash takes about
        # 100 ms of CPU and proves nothing more (the rules are about which password opens a link;
        # tests/portal/test_config.py pins the production defaults)
        "PORTAL_PASSWORD_HASH_TIME_COST": "1",
        "PORTAL_PASSWORD_HASH_MEMORY_KIB": "8",
        "PORTAL_PASSWORD_HASH_PARALLELISM": "1",
        # the monitoring system's token for GET /metrics from outside the trusted network
        "PORTAL_METRICS_TOKEN": "metrics-" + secrets.token_urlsafe(24),
    }
    harness_only = {
        # each scenario's readiness probe sees the state that scenario arranged, not a cached one
        # (the cache itself has a scenario of its own, on a portal instance that keeps it); an
        # operator cannot turn the cache off, so this is set past the environment
        "readiness_cache_seconds": 0.0,
        # Mux's two environments as the fake has them, with this run's URL signing keys
        **mux_fake.portal_settings(),
    }
    chosen = {name: value for name, value in {**harness_only, **overrides}.items() if value is not AS_BY_DEFAULT}
    return Settings.from_env(environment).with_overrides(**chosen)


def start_portal(database_url: str, *, warm_up_at_start: bool = True, **overrides) -> PortalServer:
    return PortalServer(lambda url: portal_settings(database_url, url, **overrides),
                        warm_up_at_start=warm_up_at_start).start()


@contextlib.contextmanager
def suite_run(config: SuiteConfig, out=sys.stdout):
    with cleanup_on_termination():
        with _suite_run(config, out) as run:
            yield run


@contextlib.contextmanager
def _suite_run(config: SuiteConfig, out=sys.stdout):
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        # begun by the runner while behave imported the steps (support/harness/early_start.py), or now
        early = early_start.claim(config)
        migrated = early is not None and early.migrated
        try:
            if early is not None:
                stack.enter_context(early.stack)  # dropped with the rest of the run, whatever happens next
                mode = early.mode or database.choose_mode(config)
                if early.problem is not None:
                    raise early.problem
                db = early.database
            else:
                mode = database.choose_mode(config)
                db = stack.enter_context(database.provision(config, mode))
        except Exception as problem:
            hint = {
                Mode.SERVER: "check DATABASE_URL, or unset it to use the embedded PostgreSQL",
                Mode.LIVE: "check -D database_url",
            }.get(mode, "see the error above")
            raise SuiteCouldNotStart(
                f"the acceptance suite could not start: no database ({mode.description}): "
                f"{type(problem).__name__}: {problem}; {hint}") from problem
        timings["database_ready"] = time.perf_counter() - started
        if mode is Mode.LIVE:
            run = SuiteRun(config, db, base_url=config.live_base_url, timings=timings)
        else:
            if early is not None and early.migration_problem is not None:
                raise early.migration_problem
            if not migrated:
                database.migrate(db)
            network = BlockedNetwork()
            resend = ResendFake(network)
            mux = MuxFake(network)
            network.start()
            stack.callback(network.stop)
            portal = start_portal(db.url)
            stack.callback(portal.stop)
            resetter = database.Resetter(db)
            stack.callback(resetter.close)
            log = portal_log.capture_portal_log()
            stack.callback(portal_log.release, log)
            spares = SpareDatabases(make_conninfo(db.url, dbname="postgres"), db.run_id)
            stack.callback(spares.close)
            run = SuiteRun(config, db, base_url=portal.url, portal=portal, network=network, resend=resend, mux=mux,
                           resetter=resetter, log=log, spares=spares, timings=timings)
        timings["portal_ready"] = time.perf_counter() - started
        stack.callback(run.close)
        print(f"portal-spec: database: {db.description}, PostgreSQL {db.server_version}; "
              f"portal: {'live at ' + run.base_url if run.live else 'in-process at ' + run.base_url} "
              f"(ready in {timings['portal_ready']:.1f}s)", file=out, flush=True)
        yield run
