"""How this run was asked to behave, read in one place from behave's -D options and the environment.

| setting                 | where                          | meaning                                              |
|-------------------------|--------------------------------|------------------------------------------------------|
| base_url + database_url | -D base_url=... -D database_url=... | live mode: target a portal that is already running |
| DATABASE_URL            | environment                    | local mode on that PostgreSQL server (throwaway db)  |
| PORTAL_SPEC_DB          | environment                    | force `server`, `docker` or `embedded`               |
| PORTAL_SPEC_KEEP_DB     | environment                    | keep the throwaway database after the run (debug)    |
| PORTAL_SPEC_TIMINGS     | environment                    | write the run's harness timings to this JSON file    |
| PORTAL_SPEC_WORKER      | environment (set by tools/parallel.py) | this process is one worker of a parallel run |
| PORTAL_SPEC_DB_ORIGIN   | environment (set by tools/parallel.py) | where the DATABASE_URL server comes from, for the report |
| PORTAL_SPEC_CONTRACT    | environment                    | `report`: list OpenAPI contract violations at the end instead of failing steps (default `enforce`) |
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping


class SuiteConfigError(ValueError):
    pass


@dataclass(frozen=True)
class SuiteConfig:
    live_base_url: str | None = None
    live_database_url: str | None = None
    database_url: str | None = None
    forced_db_mode: str | None = None
    keep_database: bool = False
    timings_file: str | None = None
    worker_id: str | None = None
    database_origin: str | None = None
    contract_mode: str = "enforce"

    @property
    def live(self) -> bool:
        return self.live_base_url is not None

    @classmethod
    def from_sources(cls, userdata: Mapping[str, str], environ: Mapping[str, str] | None = None) -> "SuiteConfig":
        environ = os.environ if environ is None else environ
        base_url = (userdata.get("base_url") or "").strip() or None
        live_db = (userdata.get("database_url") or "").strip() or None
        if bool(base_url) != bool(live_db):
            raise SuiteConfigError(
                "live mode needs both -D base_url=<portal URL> and -D database_url=<its database URL>; "
                f"got base_url={'set' if base_url else 'missing'}, database_url={'set' if live_db else 'missing'}"
            )
        forced = (environ.get("PORTAL_SPEC_DB") or "").strip().lower() or None
        if forced not in (None, "server", "docker", "embedded"):
            raise SuiteConfigError(f"PORTAL_SPEC_DB must be server, docker or embedded; got {forced!r}")
        if forced == "server" and not (environ.get("DATABASE_URL") or "").strip():
            raise SuiteConfigError("PORTAL_SPEC_DB=server needs DATABASE_URL")
        contract = (environ.get("PORTAL_SPEC_CONTRACT") or "enforce").strip().lower()
        if contract not in ("enforce", "report"):
            raise SuiteConfigError(f"PORTAL_SPEC_CONTRACT must be enforce or report; got {contract!r}")
        return cls(
            contract_mode=contract,
            live_base_url=base_url.rstrip("/") if base_url else None,
            live_database_url=live_db,
            database_url=(environ.get("DATABASE_URL") or "").strip() or None,
            forced_db_mode=forced,
            keep_database=(environ.get("PORTAL_SPEC_KEEP_DB", "").lower() in ("1", "true", "yes")),
            timings_file=(environ.get("PORTAL_SPEC_TIMINGS") or "").strip() or None,
            worker_id=(environ.get("PORTAL_SPEC_WORKER") or "").strip() or None,
            database_origin=(environ.get("PORTAL_SPEC_DB_ORIGIN") or "").strip() or None,
        )
