"""New databases for the scenarios that need one of their own (a restore drill, an empty database
to migrate), made ahead of need, and dropped behind it, in a thread of their own.

CREATE DATABASE costs the server 0.1 to 0.3 s and DROP DATABASE up to 0.1 s; a scenario waited for
both. Here a spare database is made while the scenarios before it run, and handed over under the
comment the scenario asks for (its name is the spare's); a database given
back is dropped while the next scenarios run. The run waits for every drop before it ends, and drops
its spare: nothing is left behind (a run killed outright leaves what it would leave without this).
"""
from __future__ import annotations

import itertools
import threading
from concurrent.futures import Future, ThreadPoolExecutor

import psycopg
from psycopg import sql


class SpareDatabases:
    def __init__(self, admin_url: str, run_id: str):
        self._admin_url = admin_url
        self._run_id = run_id
        self._numbers = itertools.count(1)
        # one thread: the server's work for us happens one statement at a time, in order (a drop
        # asked for before a spare is made runs first)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spare-databases")
        self._spare: Future | None = None
        self._pending: list[Future] = []
        self._lock = threading.Lock()

    def take(self, comment: str | None) -> str:
        """The name of a new, empty database on the run's server, with `comment` (None: no comment).
        Only a comment is set on it: renaming it needs no one else connected, which the server's
        autovacuum does not promise."""
        with self._lock:
            spare = self._spare if self._spare is not None else self._thread.submit(self._make)
            self._spare = self._thread.submit(self._make)  # the next one, made while this one is used
        name = spare.result()
        with psycopg.connect(self._admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(comment) if comment is not None else sql.NULL))
        return name

    def give_back(self, name: str) -> None:
        """Drop the database `name` (if it still exists) in the background; the run waits for it."""
        with self._lock:
            self._pending.append(self._thread.submit(self._drop, name))

    def close(self) -> None:
        """Wait for every drop asked for, drop the spare; raise the first thing that failed."""
        with self._lock:
            pending, self._pending = self._pending, []
            if self._spare is not None:
                spare, self._spare = self._spare, None
                pending.append(self._thread.submit(lambda: self._drop(spare.result())))
        try:
            problems = [future.exception() for future in pending]
        finally:
            self._thread.shutdown(wait=True)
        first = next((p for p in problems if p is not None), None)
        if first is not None:
            raise first

    def _make(self) -> str:
        name = f"portal_spec_{self._run_id}_own_{next(self._numbers)}"
        with psycopg.connect(self._admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def _drop(self, name: str) -> None:
        with psycopg.connect(self._admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
