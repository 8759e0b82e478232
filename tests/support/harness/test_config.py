import pytest

from support.harness.config import SuiteConfig, SuiteConfigError


def test_nothing_set_is_local_mode_with_nothing_forced():
    assert SuiteConfig.from_sources({}, {}) == SuiteConfig(None, None, None, None, False)
    assert SuiteConfig.from_sources({}, {}).live is False


def test_live_mode_takes_both_urls():
    config = SuiteConfig.from_sources(
        {"base_url": " https://portal.example/ ", "database_url": "postgresql://ro@db/portal"}, {})
    assert config.live is True
    assert config.live_base_url == "https://portal.example"
    assert config.live_database_url == "postgresql://ro@db/portal"


@pytest.mark.parametrize("userdata, missing, present", [
    ({"base_url": "https://portal.example"}, "database_url=missing", "base_url=set"),
    ({"database_url": "postgresql://db/portal"}, "base_url=missing", "database_url=set"),
    ({"base_url": "https://portal.example", "database_url": "   "}, "database_url=missing", "base_url=set"),
])
def test_live_mode_with_one_url_alone_is_refused(userdata, missing, present):
    with pytest.raises(SuiteConfigError) as raised:
        SuiteConfig.from_sources(userdata, {})
    message = str(raised.value)
    assert message.startswith("live mode needs both -D base_url=<portal URL> and -D database_url=<its database URL>")
    assert missing in message and present in message


def test_database_url_is_picked_up_from_the_environment():
    config = SuiteConfig.from_sources({}, {"DATABASE_URL": " postgresql://postgres@127.0.0.1/postgres "})
    assert config.database_url == "postgresql://postgres@127.0.0.1/postgres"
    assert config.live is False


@pytest.mark.parametrize("raw, mode", [("server", "server"), ("Docker", "docker"), (" EMBEDDED ", "embedded"), ("", None)])
def test_portal_spec_db_is_normalised(raw, mode):
    env = {"PORTAL_SPEC_DB": raw, "DATABASE_URL": "postgresql://x/y"}
    assert SuiteConfig.from_sources({}, env).forced_db_mode == mode


def test_an_unknown_portal_spec_db_is_refused():
    with pytest.raises(SuiteConfigError) as raised:
        SuiteConfig.from_sources({}, {"PORTAL_SPEC_DB": "sqlite"})
    assert str(raised.value) == "PORTAL_SPEC_DB must be server, docker or embedded; got 'sqlite'"


def test_forcing_server_needs_a_database_url():
    with pytest.raises(SuiteConfigError) as raised:
        SuiteConfig.from_sources({}, {"PORTAL_SPEC_DB": "server"})
    assert str(raised.value) == "PORTAL_SPEC_DB=server needs DATABASE_URL"


def test_forcing_server_with_a_blank_database_url_is_refused():
    with pytest.raises(SuiteConfigError) as raised:
        SuiteConfig.from_sources({}, {"PORTAL_SPEC_DB": "server", "DATABASE_URL": "   "})
    assert str(raised.value) == "PORTAL_SPEC_DB=server needs DATABASE_URL"


@pytest.mark.parametrize("raw, keep", [("1", True), ("true", True), ("YES", True), ("0", False), ("no", False), ("", False)])
def test_keep_database(raw, keep):
    assert SuiteConfig.from_sources({}, {"PORTAL_SPEC_KEEP_DB": raw}).keep_database is keep


def test_the_process_environment_is_the_default(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://from-os-environ/db")
    monkeypatch.delenv("PORTAL_SPEC_DB", raising=False)
    assert SuiteConfig.from_sources({}).database_url == "postgresql://from-os-environ/db"
