"""The run's database, provisioned and migrated in a thread while Python imports the portal and the
steps, so that the two waits overlap instead of adding up.

Importing the harness, the portal and the step modules takes most of a second of CPU; starting the
embedded PostgreSQL takes most of a second of waiting for its processes, and on a running server
creating and migrating the throwaway database a tenth of a second of waiting for the server (and
the Mux fake's two RSA signing keys, for local mode, are made meanwhile as well). The
suite's runner (support/harness/runner.py) begins this before behave loads anything; the run's
start-up (support/harness/run.py) claims the result when its configuration is the same, and the
database is then cleaned up with the rest of the run. A run that never starts (nothing selected,
a parse error, Ctrl-C during the imports) hands it back, and it is dropped at once.

Failures are not reported here: the run's start-up raises what provisioning raised, with its
usual explanation, as if it had done the work itself.
"""
from __future__ import annotations

import contextlib
import threading

from support.harness import database
from support.harness.config import SuiteConfig, SuiteConfigError

_pending: "EarlyStart | None" = None
_lock = threading.Lock()


class EarlyStart:
    def __init__(self, config: SuiteConfig):
        self.config = config
        self.stack = contextlib.ExitStack()
        self.mode: database.Mode | None = None
        self.database: database.Database | None = None
        self.migrated = False
        self.problem: BaseException | None = None  # provisioning failed
        self.migration_problem: BaseException | None = None  # provisioned, but migrating failed
        self._thread = threading.Thread(target=self._provision, name="portal-spec-early-start", daemon=True)

    def _provision(self) -> None:
        # what fails is re-raised in the main thread by the run's start-up, where it would have happened
        try:
            self.mode = database.choose_mode(self.config)
            self.database = self.stack.enter_context(database.provision(self.config, self.mode))
        except BaseException as problem:
            self.problem = problem
            return
        if self.mode is not database.Mode.LIVE:
            try:
                database.migrate(self.database)
                self.migrated = True
            except BaseException as problem:
                self.migration_problem = problem
                return
            # the Mux fake's URL signing keys: RSA key generation runs outside Python's lock
            from support.fakes import mux

            for residency in mux.ENVIRONMENTS:
                mux.signing_key(residency)

    def wait(self) -> "EarlyStart":
        self._thread.join()
        return self

    def discard(self) -> None:
        """Nobody claimed it: wait for the thread, then drop whatever it created."""
        self.wait()
        self.stack.close()


def begin(userdata) -> EarlyStart | None:
    """Start provisioning for the configuration these options and the environment give; None when
    they do not make a valid configuration (the run's start-up then says what is wrong)."""
    global _pending
    try:
        config = SuiteConfig.from_sources(userdata)
    except SuiteConfigError:
        return None
    early = EarlyStart(config)
    with _lock:
        _pending = early
    early._thread.start()
    return early


def claim(config: SuiteConfig) -> EarlyStart | None:
    """The early start begun for this same configuration, finished; None if there is none. Its
    clean-up is the caller's from now on (`early.stack`)."""
    global _pending
    with _lock:
        early, _pending = _pending, None
    if early is None:
        return None
    if early.config != config:
        early.discard()
        return None
    return early.wait()


def hand_back(early: EarlyStart | None) -> None:
    """At the end of the runner: if the run never claimed it, drop what it created."""
    global _pending
    if early is None:
        return
    with _lock:
        unclaimed = _pending is early
        if unclaimed:
            _pending = None
    if unclaimed:
        early.discard()
