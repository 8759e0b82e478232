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
    assert options["timeout_keep_alive"] > 60  # outlives a load balancer's idle connections


def test_the_server_reads_http_with_the_c_parser_and_the_portals_own_refusals():
    from portal.app import server_options
    from portal.web.protocol import PortalHttpProtocol

    options = server_options(Settings(database_url="postgresql://x"))
    assert options["http"] is PortalHttpProtocol and options["loop"] == "uvloop"


def _enqueued_kinds() -> set[str]:
    """Every job kind the portal's code passes to `queue.enqueue`, resolved through module constants."""
    import ast
    import importlib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "portal"
    kinds = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "enqueue"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "queue"):
                continue
            kind = node.args[1]
            if isinstance(kind, ast.Constant):
                kinds.add(kind.value)
            else:
                assert isinstance(kind, ast.Name), f"{path}:{node.lineno}: a job kind must be a literal or a constant"
                module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
                kinds.add(getattr(importlib.import_module(module), kind.id))
    return kinds


def test_every_kind_the_portal_enqueues_has_a_handler_and_every_handler_a_kind():
    from portal.app import job_kinds

    enqueued = _enqueued_kinds()
    assert enqueued, "no enqueue call found: the walk is broken"
    assert set(job_kinds(BASE)) == enqueued
    assert all(name == kind.name for name, kind in job_kinds(BASE).items())


def _started(monkeypatch, **create_options) -> list:
    """The threads the portal's start-up started (the pool and the worker left out: no database)."""
    import asyncio
    import threading

    import portal.app as app_module

    started = []
    monkeypatch.setattr(app_module, "open_pool", lambda *args: type("Pool", (), {"close": lambda self: None})())
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread.name))
    app = app_module.create_app(BASE.with_overrides(worker_enabled=False), **create_options)

    async def start_and_stop():
        async with app.router.lifespan_context(app):
            pass

    asyncio.run(start_and_stop())
    return started


def test_the_portal_warms_up_at_start_unless_told_not_to(monkeypatch):
    assert _started(monkeypatch) == ["portal-warm-up"]
    assert _started(monkeypatch, warm_up_at_start=False) == []


def test_a_portal_not_warmed_up_still_serves_its_document_when_first_asked():
    from portal.app import create_app
    from portal.web import openapi

    app = create_app(BASE, warm_up_at_start=False)
    assert app.openapi_schema is None
    assert b'"openapi"' in openapi.served(app, admin=True)
