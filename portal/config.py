"""Every setting of the portal, read from the environment in one place.

Defaults suit a developer laptop; production sets at least DATABASE_URL, PORTAL_PUBLIC_URL
and RESEND_API_KEY.
"""
from __future__ import annotations

import base64
import binascii
import os
import secrets
from dataclasses import dataclass, field, replace
from typing import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ConfigError(ValueError):
    """A setting is missing or has a value the portal cannot use."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise ConfigError(f"{name} must be more than 0, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _time_zone(env: Mapping[str, str], name: str, default: str) -> str:
    raw = (env.get(name) or "").strip() or default
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{name} must be a time zone name such as Australia/Sydney, got {raw!r}") from None
    return raw


def _webhook_secret(env: Mapping[str, str], name: str) -> str:
    raw = (env.get(name) or "").strip()
    if not raw:
        return ""
    try:
        key = base64.b64decode(raw.removeprefix("whsec_") + "==", validate=False)
    except (binascii.Error, ValueError):
        key = b""
    if not raw.startswith("whsec_") or not key:
        raise ConfigError(f"{name} must be the webhook's signing secret as Resend shows it (whsec_...)")
    return raw


@dataclass(frozen=True)
class Settings:
    database_url: str
    public_url: str = "http://127.0.0.1:8000"
    # email through Resend; without a key the portal runs but reports itself degraded
    resend_api_key: str = ""
    resend_api_url: str = "https://api.resend.com"
    email_from: str = "Northlight Studio <portal@northlight.example>"
    email_timeout_seconds: int = 10
    # the signing secret of the Resend webhook (`whsec_...`); without it every report is refused
    resend_webhook_secret: str = ""
    # sign-in
    sign_in_link_ttl_minutes: int = 15
    session_lifetime_hours: int = 12
    session_cookie_name: str = "portal_session"
    rate_limit_per_address: int = 5
    rate_limit_per_client: int = 30
    rate_limit_window_minutes: int = 60
    # invitations: how long one can be accepted, and how many one admin may send in an hour
    invitation_ttl_days: int = 7
    invitations_per_hour: int = 20
    # the JSON API: requests per minute for each API key, each session and each anonymous network
    api_rate_limit: int = 60
    # HTTP
    max_body_bytes: int = 64 * 1024
    trusted_proxies: tuple[str, ...] = ("127.0.0.1",)
    # GET /metrics from outside the trusted network: `Authorization: Bearer <token>`; empty: none
    metrics_token: str = field(default="", repr=False)
    # share links: the secret that keys the hashes of guests' network
    # addresses (unset: a random one per process, so neither survives a restart)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    # how long a guest's signed Mux address (its JWT's exp) lasts
    media_url_ttl_seconds: int = 60
    # the cost of hashing a new link password (argon2id): RFC 9106's second recommendation, about
    # 100 ms a hash here; hashes already stored keep the cost they were made with
    password_hash_time_cost: int = 3
    password_hash_memory_kib: int = 64 * 1024
    password_hash_parallelism: int = 4
    # the studio's time zone: a daily digest's day is a day there
    time_zone: str = "Australia/Sydney"
    # background work
    worker_enabled: bool = True
    scheduled_tasks_enabled: bool = True
    worker_poll_seconds: int = 5
    # readiness: no background worker has reported for longer than this: degraded (more than the poll interval)
    worker_heartbeat_seconds: int = 120
    db_pool_min: int = 1
    db_pool_max: int = 10
    # how long readiness waits for a database connection before reporting it down
    readiness_timeout_seconds: float = 2.0
    # cuts through Mux (issue 13): one Mux environment per data residency; without a token the
    # portal runs but refuses uploads (503) and reports Mux degraded
    mux_api_url: str = "https://api.mux.com"
    mux_token_id: str = ""
    mux_token_secret: str = field(default="", repr=False)
    mux_webhook_secret: str = field(default="", repr=False)
    mux_signing_key_id: str = ""
    mux_signing_key: str = field(default="", repr=False)     # the base64 PEM Mux shows once
    mux_au_token_id: str = ""
    mux_au_token_secret: str = field(default="", repr=False)
    mux_au_webhook_secret: str = field(default="", repr=False)
    mux_au_signing_key_id: str = ""
    mux_au_signing_key: str = field(default="", repr=False)
    mux_timeout_seconds: int = 10
    mux_upload_timeout_seconds: int = 3600
    max_upload_bytes: int = 50 * 1024 ** 3
    # readiness answers from a cache this old at most: a burst of probes checks each dependency once
    readiness_cache_seconds: float = 3.0
    # operations: how long audit entries are kept (those about a project under legal hold: always)
    audit_retention_days: int = 400

    @property
    def email_configured(self) -> bool:
        return bool(self.resend_api_key)

    @property
    def served_over_https(self) -> bool:
        return self.public_url.lower().startswith("https://")

    def with_overrides(self, **changes) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        database_url = env.get("DATABASE_URL", "")
        if not database_url:
            raise ConfigError("DATABASE_URL is not set: the portal needs a PostgreSQL database")
        pool_min = _int(env, "PORTAL_DB_POOL_MIN", cls.db_pool_min)
        pool_max = _int(env, "PORTAL_DB_POOL_MAX", cls.db_pool_max)
        if pool_min > pool_max:
            raise ConfigError(f"PORTAL_DB_POOL_MIN ({pool_min}) must not exceed PORTAL_DB_POOL_MAX ({pool_max})")
        secret_key = env.get("PORTAL_SECRET_KEY", "")
        if secret_key and len(secret_key) < 32:
            raise ConfigError("PORTAL_SECRET_KEY must be at least 32 characters of random text")
        parallelism = _int(env, "PORTAL_PASSWORD_HASH_PARALLELISM", cls.password_hash_parallelism)
        memory_kib = _int(env, "PORTAL_PASSWORD_HASH_MEMORY_KIB", cls.password_hash_memory_kib)
        if memory_kib < 8 * parallelism:
            raise ConfigError(f"PORTAL_PASSWORD_HASH_MEMORY_KIB must be at least 8 per lane of "
                              f"PORTAL_PASSWORD_HASH_PARALLELISM ({8 * parallelism}), got {memory_kib}")
        poll = _int(env, "PORTAL_WORKER_POLL_SECONDS", cls.worker_poll_seconds)
        heartbeat = _int(env, "PORTAL_WORKER_HEARTBEAT_SECONDS", cls.worker_heartbeat_seconds)
        if heartbeat <= poll:
            raise ConfigError(f"PORTAL_WORKER_HEARTBEAT_SECONDS ({heartbeat}) must be more than "
                              f"PORTAL_WORKER_POLL_SECONDS ({poll}): an idle worker reports once per poll")
        proxies = tuple(p.strip() for p in env.get("PORTAL_TRUSTED_PROXIES", "127.0.0.1").split(",") if p.strip())
        return cls(
            database_url=database_url,
            public_url=env.get("PORTAL_PUBLIC_URL", cls.public_url).rstrip("/"),
            resend_api_key=env.get("RESEND_API_KEY", ""),
            resend_api_url=env.get("RESEND_API_URL", cls.resend_api_url).rstrip("/"),
            email_from=env.get("PORTAL_EMAIL_FROM", cls.email_from),
            email_timeout_seconds=_int(env, "PORTAL_EMAIL_TIMEOUT_SECONDS", cls.email_timeout_seconds),
            resend_webhook_secret=_webhook_secret(env, "RESEND_WEBHOOK_SECRET"),
            sign_in_link_ttl_minutes=_int(env, "PORTAL_SIGN_IN_LINK_TTL_MINUTES", cls.sign_in_link_ttl_minutes),
            session_lifetime_hours=_int(env, "PORTAL_SESSION_LIFETIME_HOURS", cls.session_lifetime_hours),
            rate_limit_per_address=_int(env, "PORTAL_RATE_LIMIT_PER_ADDRESS", cls.rate_limit_per_address),
            rate_limit_per_client=_int(env, "PORTAL_RATE_LIMIT_PER_CLIENT", cls.rate_limit_per_client),
            rate_limit_window_minutes=_int(env, "PORTAL_RATE_LIMIT_WINDOW_MINUTES", cls.rate_limit_window_minutes),
            invitation_ttl_days=_int(env, "PORTAL_INVITATION_TTL_DAYS", cls.invitation_ttl_days),
            invitations_per_hour=_int(env, "PORTAL_INVITATIONS_PER_HOUR", cls.invitations_per_hour),
            api_rate_limit=_int(env, "PORTAL_API_RATE_LIMIT", cls.api_rate_limit),
            max_body_bytes=_int(env, "PORTAL_MAX_BODY_BYTES", cls.max_body_bytes, minimum=1024),
            trusted_proxies=proxies,
            metrics_token=env.get("PORTAL_METRICS_TOKEN", "").strip(),
            secret_key=secret_key or secrets.token_urlsafe(32),
            media_url_ttl_seconds=_int(env, "PORTAL_MEDIA_URL_TTL_SECONDS", cls.media_url_ttl_seconds),
            time_zone=_time_zone(env, "PORTAL_TIME_ZONE", cls.time_zone),
            password_hash_time_cost=_int(env, "PORTAL_PASSWORD_HASH_TIME_COST", cls.password_hash_time_cost),
            password_hash_memory_kib=memory_kib,
            password_hash_parallelism=parallelism,
            worker_enabled=_bool(env, "PORTAL_WORKER", True),
            scheduled_tasks_enabled=_bool(env, "PORTAL_SCHEDULED_TASKS", True),
            worker_poll_seconds=poll,
            worker_heartbeat_seconds=heartbeat,
            readiness_timeout_seconds=_float(env, "PORTAL_READINESS_TIMEOUT_SECONDS", cls.readiness_timeout_seconds),
            readiness_cache_seconds=_float(env, "PORTAL_READINESS_CACHE_SECONDS", cls.readiness_cache_seconds),
            audit_retention_days=_int(env, "PORTAL_AUDIT_RETENTION_DAYS", cls.audit_retention_days),
            db_pool_min=pool_min,
            db_pool_max=pool_max,
            mux_api_url=env.get("MUX_API_URL", cls.mux_api_url).rstrip("/"),
            mux_token_id=env.get("MUX_TOKEN_ID", ""),
            mux_token_secret=env.get("MUX_TOKEN_SECRET", ""),
            mux_webhook_secret=env.get("MUX_WEBHOOK_SECRET", ""),
            mux_signing_key_id=env.get("MUX_SIGNING_KEY_ID", ""),
            mux_signing_key=env.get("MUX_SIGNING_KEY", ""),
            mux_au_token_id=env.get("MUX_AU_TOKEN_ID", ""),
            mux_au_token_secret=env.get("MUX_AU_TOKEN_SECRET", ""),
            mux_au_webhook_secret=env.get("MUX_AU_WEBHOOK_SECRET", ""),
            mux_au_signing_key_id=env.get("MUX_AU_SIGNING_KEY_ID", ""),
            mux_au_signing_key=env.get("MUX_AU_SIGNING_KEY", ""),
            mux_timeout_seconds=_int(env, "PORTAL_MUX_TIMEOUT_SECONDS", cls.mux_timeout_seconds),
            mux_upload_timeout_seconds=_int(env, "PORTAL_MUX_UPLOAD_TIMEOUT_SECONDS", cls.mux_upload_timeout_seconds,
                                            minimum=60),
            max_upload_bytes=_int(env, "PORTAL_MAX_UPLOAD_BYTES", cls.max_upload_bytes),
        )
