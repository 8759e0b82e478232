"""The one way to build the background worker decides which kinds of work it does."""
from portal.app import build_worker
from portal.config import Settings

BASE = Settings(database_url="postgresql://u@127.0.0.1:9/portal", public_url="http://portal.example")


def test_a_worker_runs_scheduled_tasks_only_where_the_settings_say_so():
    assert "scheduled tasks" in build_worker(BASE.with_overrides(scheduled_tasks_enabled=True), pool=None).passes
    assert "scheduled tasks" not in build_worker(BASE.with_overrides(scheduled_tasks_enabled=False), pool=None).passes


def test_a_worker_delivers_email_only_when_a_provider_is_configured():
    assert "emails" not in build_worker(BASE.with_overrides(resend_api_key=""), pool=None).passes
    configured = BASE.with_overrides(resend_api_key="re_test", resend_api_url="https://api.resend.com")
    assert set(build_worker(configured, pool=None).passes) >= {"jobs", "emails"}


def test_a_worker_polls_as_configured():
    assert build_worker(BASE.with_overrides(worker_poll_seconds=7), pool=None).poll_seconds == 7


def test_the_server_names_no_software_and_logs_no_query_strings():
    from portal.app import server_options

    options = server_options(Settings(database_url="postgresql://x", trusted_proxies=("10.0.0.1", "10.0.0.2")))
    assert options["server_header"] is False and options["access_log"] is False
    assert options["forwarded_allow_ips"] == "10.0.0.1,10.0.0.2"
