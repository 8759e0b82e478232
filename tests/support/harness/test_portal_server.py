"""A worker the suite restarts (the "worker is down" scenarios) is built like the portal's own,
from the run's settings, so it runs no scheduled task: only scenarios run those (README)."""
from support.harness import portal_server
from support.harness.run import portal_settings


def test_the_run_portal_runs_no_scheduled_task():
    assert portal_settings("postgresql://u@127.0.0.1:9/x", "http://127.0.0.1:1").scheduled_tasks_enabled is False


def test_a_restarted_worker_is_built_by_the_portal_factory_from_the_run_settings(monkeypatch):
    built = []

    class FakeWorker:
        passes: dict = {}

        def start(self):
            pass

    def fake_build(settings, pool):
        built.append(settings)
        return FakeWorker()

    monkeypatch.setattr(portal_server, "build_worker", fake_build)
    server = portal_server.PortalServer.__new__(portal_server.PortalServer)
    server.settings = portal_settings("postgresql://u@127.0.0.1:9/x", "http://127.0.0.1:1")
    server.app = type("App", (), {"state": type("State", (), {"pool": None, "worker": None})()})()
    server.start_worker()
    assert built == [server.settings] and built[0].scheduled_tasks_enabled is False
    assert isinstance(server.app.state.worker, FakeWorker)
