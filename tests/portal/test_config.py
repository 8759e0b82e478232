import pytest

from portal.config import ConfigError, Settings

DB = "postgresql://portal@127.0.0.1:5432/portal"
KEY = "k" * 43


def settings(**env):
    return Settings.from_env({"DATABASE_URL": DB, **env})


def test_defaults_suit_a_developer_laptop():
    assert settings(PORTAL_SECRET_KEY=KEY) == Settings(
        database_url=DB,
        public_url="http://127.0.0.1:8000",
        resend_api_key="",
        resend_api_url="https://api.resend.com",
        email_from="Northlight Studio <portal@northlight.example>",
        email_timeout_seconds=10,
        sign_in_link_ttl_minutes=15,
        session_lifetime_hours=12,
        session_cookie_name="portal_session",
        rate_limit_per_address=5,
        rate_limit_per_client=30,
        rate_limit_window_minutes=60,
        max_body_bytes=65536,
        trusted_proxies=("127.0.0.1",),
        secret_key=KEY,
        media_url_ttl_seconds=60,
        worker_enabled=True,
        scheduled_tasks_enabled=True,
        worker_poll_seconds=5,
        db_pool_min=1,
        db_pool_max=10,
    )


def test_without_a_key_email_is_not_configured():
    assert settings().email_configured is False
    assert settings(RESEND_API_KEY="re_abc123456").email_configured is True


@pytest.mark.parametrize("env", [{}, {"DATABASE_URL": ""}])
def test_a_missing_database_url_is_a_clear_error(env):
    with pytest.raises(ConfigError) as raised:
        Settings.from_env(env)
    assert str(raised.value) == "DATABASE_URL is not set: the portal needs a PostgreSQL database"


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)


def test_values_are_read_from_the_environment():
    s = settings(
        PORTAL_PUBLIC_URL="https://portal.northlight.example/",
        RESEND_API_KEY="re_live_key_0001",
        RESEND_API_URL="http://127.0.0.1:9999/",
        PORTAL_EMAIL_FROM="Studio <s@n.example>",
        PORTAL_EMAIL_TIMEOUT_SECONDS="3",
        PORTAL_SIGN_IN_LINK_TTL_MINUTES="10",
        PORTAL_SESSION_LIFETIME_HOURS="8",
        PORTAL_RATE_LIMIT_PER_ADDRESS="3",
        PORTAL_RATE_LIMIT_PER_CLIENT="20",
        PORTAL_RATE_LIMIT_WINDOW_MINUTES="30",
        PORTAL_MAX_BODY_BYTES="2048",
        PORTAL_WORKER="false",
        PORTAL_WORKER_POLL_SECONDS="2",
        PORTAL_DB_POOL_MIN="2",
        PORTAL_DB_POOL_MAX="4",
    )
    assert s.public_url == "https://portal.northlight.example"  # trailing slash dropped
    assert s.resend_api_url == "http://127.0.0.1:9999"
    assert (s.resend_api_key, s.email_from) == ("re_live_key_0001", "Studio <s@n.example>")
    assert (s.email_timeout_seconds, s.sign_in_link_ttl_minutes, s.session_lifetime_hours) == (3, 10, 8)
    assert (s.rate_limit_per_address, s.rate_limit_per_client, s.rate_limit_window_minutes) == (3, 20, 30)
    assert (s.max_body_bytes, s.worker_enabled, s.worker_poll_seconds) == (2048, False, 2)
    assert (s.db_pool_min, s.db_pool_max) == (2, 4)


def test_an_empty_variable_means_its_default():
    s = settings(PORTAL_SESSION_LIFETIME_HOURS="", PORTAL_WORKER="")
    assert (s.session_lifetime_hours, s.worker_enabled) == (12, True)


@pytest.mark.parametrize("name, raw", [
    ("PORTAL_SESSION_LIFETIME_HOURS", "twelve"),
    ("PORTAL_RATE_LIMIT_PER_ADDRESS", "5.5"),
    ("PORTAL_DB_POOL_MAX", "10x"),
    ("PORTAL_MAX_BODY_BYTES", "64k"),
])
def test_a_bad_integer_names_the_variable(name, raw):
    with pytest.raises(ConfigError) as raised:
        settings(**{name: raw})
    assert str(raised.value) == f"{name} must be a whole number, got {raw!r}"


@pytest.mark.parametrize("name, raw, minimum", [
    ("PORTAL_RATE_LIMIT_PER_CLIENT", "0", 1),
    ("PORTAL_SIGN_IN_LINK_TTL_MINUTES", "-5", 1),
    ("PORTAL_MAX_BODY_BYTES", "1023", 1024),
])
def test_an_integer_below_its_minimum_names_the_variable(name, raw, minimum):
    with pytest.raises(ConfigError) as raised:
        settings(**{name: raw})
    assert str(raised.value) == f"{name} must be at least {minimum}, got {int(raw)}"


def test_the_body_limit_minimum_itself_is_accepted():
    assert settings(PORTAL_MAX_BODY_BYTES="1024").max_body_bytes == 1024


@pytest.mark.parametrize("raw, value", [
    ("1", True), ("true", True), ("TRUE", True), ("yes", True), (" on ", True),
    ("0", False), ("false", False), ("False", False), ("no", False), ("off", False),
])
def test_booleans(raw, value):
    assert settings(PORTAL_WORKER=raw).worker_enabled is value


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled", "y"])
def test_a_bad_boolean_names_the_variable(raw):
    with pytest.raises(ConfigError) as raised:
        settings(PORTAL_WORKER=raw)
    assert str(raised.value) == f"PORTAL_WORKER must be true or false, got {raw!r}"


def test_trusted_proxies_are_a_comma_list():
    s = settings(PORTAL_TRUSTED_PROXIES=" 10.0.0.1 , ,192.168.1.2,")
    assert s.trusted_proxies == ("10.0.0.1", "192.168.1.2")


def test_trusted_proxies_default_to_loopback_and_an_empty_list_trusts_none():
    assert settings().trusted_proxies == ("127.0.0.1",)
    assert settings(PORTAL_TRUSTED_PROXIES="").trusted_proxies == ()


@pytest.mark.parametrize("url, https", [
    ("https://portal.northlight.example", True),
    ("HTTPS://portal.northlight.example", True),
    ("http://127.0.0.1:8000", False),
    ("http://https.example", False),
])
def test_served_over_https(url, https):
    assert settings(PORTAL_PUBLIC_URL=url).served_over_https is https


def test_with_overrides_changes_only_what_is_named():
    s = settings()
    changed = s.with_overrides(rate_limit_per_address=1)
    assert changed.rate_limit_per_address == 1
    assert s.rate_limit_per_address == 5
    assert changed.database_url == DB


def test_from_env_reads_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://from-os-environ/db")
    monkeypatch.setenv("PORTAL_WORKER", "off")
    s = Settings.from_env()
    assert (s.database_url, s.worker_enabled) == ("postgresql://from-os-environ/db", False)


def test_the_webhook_secret_is_read_as_resend_shows_it():
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    assert settings(RESEND_WEBHOOK_SECRET=f" {secret} ").resend_webhook_secret == secret
    assert settings().resend_webhook_secret == ""


@pytest.mark.parametrize("value", ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_!!!!", "re_123456789"])
def test_a_webhook_secret_in_another_form_is_a_clear_error(value):
    with pytest.raises(ConfigError, match="RESEND_WEBHOOK_SECRET must be the webhook's signing secret"):
        settings(RESEND_WEBHOOK_SECRET=value)


def test_without_a_secret_key_each_process_makes_up_its_own():
    first, second = settings(), settings()
    assert len(first.secret_key) >= 32
    assert first.secret_key != second.secret_key


def test_a_short_secret_key_is_a_clear_error():
    with pytest.raises(ConfigError) as raised:
        settings(PORTAL_SECRET_KEY="too-short")
    assert str(raised.value) == "PORTAL_SECRET_KEY must be at least 32 characters of random text"


def test_the_secret_key_stays_out_of_the_settings_repr():
    assert KEY not in repr(settings(PORTAL_SECRET_KEY=KEY))


def test_media_and_scheduled_task_settings_are_read_from_the_environment():
    s = settings(PORTAL_MEDIA_URL_TTL_SECONDS="30", PORTAL_SCHEDULED_TASKS="off")
    assert (s.media_url_ttl_seconds, s.scheduled_tasks_enabled) == (30, False)


def test_mux_settings_are_read_from_the_environment_and_kept_out_of_the_repr():
    s = settings(MUX_TOKEN_ID="tok-id", MUX_TOKEN_SECRET="tok-secret", MUX_WEBHOOK_SECRET="hook-secret",
                 MUX_SIGNING_KEY_ID="key-id", MUX_SIGNING_KEY="cGVt", MUX_AU_TOKEN_ID="au-id",
                 MUX_AU_TOKEN_SECRET="au-secret", MUX_AU_WEBHOOK_SECRET="au-hook", MUX_AU_SIGNING_KEY_ID="au-key-id",
                 MUX_AU_SIGNING_KEY="YXU=", PORTAL_MAX_UPLOAD_BYTES="1000", PORTAL_MUX_UPLOAD_TIMEOUT_SECONDS="600")
    assert (s.mux_token_id, s.mux_token_secret, s.mux_webhook_secret, s.mux_signing_key_id, s.mux_signing_key) == (
        "tok-id", "tok-secret", "hook-secret", "key-id", "cGVt")
    assert (s.mux_au_token_id, s.mux_au_token_secret, s.mux_au_webhook_secret, s.mux_au_signing_key_id,
            s.mux_au_signing_key) == ("au-id", "au-secret", "au-hook", "au-key-id", "YXU=")
    assert (s.max_upload_bytes, s.mux_upload_timeout_seconds) == (1000, 600)
    for secret in ("tok-secret", "hook-secret", "cGVt", "au-secret", "au-hook", "YXU="):
        assert secret not in repr(s)


def test_uploads_default_to_50_gib_and_an_hour():
    assert (settings().max_upload_bytes, settings().mux_upload_timeout_seconds) == (50 * 1024 ** 3, 3600)


def test_link_passwords_are_hashed_at_rfc_9106s_second_recommendation_unless_configured():
    # the suite hashes at the lowest cost (support/harness/run.py); production must not
    s = settings()
    assert (s.password_hash_time_cost, s.password_hash_memory_kib, s.password_hash_parallelism) == (3, 65536, 4)
    cheap = settings(PORTAL_PASSWORD_HASH_TIME_COST="1", PORTAL_PASSWORD_HASH_MEMORY_KIB="8",
                     PORTAL_PASSWORD_HASH_PARALLELISM="1")
    assert (cheap.password_hash_time_cost, cheap.password_hash_memory_kib, cheap.password_hash_parallelism) == (1, 8, 1)


def test_too_little_memory_for_the_lanes_is_a_clear_error():
    with pytest.raises(ConfigError) as raised:
        settings(PORTAL_PASSWORD_HASH_MEMORY_KIB="16", PORTAL_PASSWORD_HASH_PARALLELISM="4")
    assert str(raised.value) == ("PORTAL_PASSWORD_HASH_MEMORY_KIB must be at least 8 per lane of "
                                 "PORTAL_PASSWORD_HASH_PARALLELISM (32), got 16")


def test_invitations_last_7_days_and_an_admin_sends_20_an_hour_unless_set_otherwise():
    assert (settings().invitation_ttl_days, settings().invitations_per_hour) == (7, 20)
    s = settings(PORTAL_INVITATION_TTL_DAYS="3", PORTAL_INVITATIONS_PER_HOUR="5")
    assert (s.invitation_ttl_days, s.invitations_per_hour) == (3, 5)
    with pytest.raises(ConfigError, match="PORTAL_INVITATION_TTL_DAYS"):
        settings(PORTAL_INVITATION_TTL_DAYS="0")


def test_the_json_api_allows_60_requests_a_minute_unless_set_otherwise():
    assert settings().api_rate_limit == 60
    assert settings(PORTAL_API_RATE_LIMIT="100000").api_rate_limit == 100000


def test_audit_entries_are_kept_400_days_unless_configured():
    assert settings().audit_retention_days == 400
    assert settings(PORTAL_AUDIT_RETENTION_DAYS="30").audit_retention_days == 30
    with pytest.raises(ConfigError, match="PORTAL_AUDIT_RETENTION_DAYS must be at least 1"):
        settings(PORTAL_AUDIT_RETENTION_DAYS="0")


def test_the_worker_heartbeat_window_must_exceed_the_poll_interval():
    assert settings().worker_heartbeat_seconds == 120
    with pytest.raises(ConfigError, match="PORTAL_WORKER_HEARTBEAT_SECONDS"):
        settings(PORTAL_WORKER_POLL_SECONDS="60", PORTAL_WORKER_HEARTBEAT_SECONDS="60")


def test_the_metrics_token_is_read_from_the_environment_and_never_shown():
    assert settings().metrics_token == ""
    configured = settings(PORTAL_METRICS_TOKEN=" scrape-me-0123456789 ")
    assert configured.metrics_token == "scrape-me-0123456789"
    assert "scrape-me" not in repr(configured)
