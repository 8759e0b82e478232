from types import SimpleNamespace

from support.fixtures import allure_results_dir, clear_results


def config(tmp_path, junit=True):
    return SimpleNamespace(format=["support.evidence.allure_report:AllureFormatter"],
                           outfiles=[str(tmp_path / "reports" / "allure-results")],
                           junit=junit, junit_directory=str(tmp_path / "reports" / "junit"))


def test_a_run_starts_from_empty_result_folders_and_keeps_the_history(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    results, junit, history = (tmp_path / "reports" / n for n in ("allure-results", "junit", "history"))
    for folder in (results, junit, history, results / "sub"):
        folder.mkdir(parents=True)
    (results / "old-result.json").write_text("{}")
    (results / "sub" / "x").write_text("")
    (junit / "TESTS-x.xml").write_text("<x/>")
    (history / "history.jsonl").write_text("{}\n")
    (tmp_path / "reports" / "summary.json").write_text("{}")
    clear_results(config(tmp_path))
    assert list(results.iterdir()) == [] and list(junit.iterdir()) == []
    assert (history / "history.jsonl").exists()
    assert not (tmp_path / "reports" / "summary.json").exists()


def test_a_junit_folder_configured_as_the_reports_folder_itself_is_not_emptied(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports" / "history").mkdir(parents=True)
    cfg = config(tmp_path)
    cfg.junit_directory = "reports"
    clear_results(cfg)
    assert (tmp_path / "reports" / "history").exists()


def test_the_results_folder_is_the_allure_formatters_outfile():
    cfg = SimpleNamespace(format=["pretty", "support.evidence.allure_report:AllureFormatter"], outfiles=["-", "out/a"])
    assert str(allure_results_dir(cfg)) == "out/a"


def test_the_earlier_results_are_deleted_by_the_end_of_the_run_and_a_killed_runs_leftovers_too(tmp_path, monkeypatch):
    from support.fixtures import finish_clearing

    monkeypatch.chdir(tmp_path)
    results = tmp_path / "reports" / "allure-results"
    results.mkdir(parents=True)
    for i in range(50):
        (results / f"{i}-result.json").write_text("{}")
    leftover = tmp_path / "reports" / ".allure-results.old-123-456"  # a run killed while deleting
    leftover.mkdir()
    (leftover / "x-result.json").write_text("{}")
    clear_results(config(tmp_path, junit=False))
    assert list(results.iterdir()) == []
    finish_clearing()
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["allure-results"]


def test_a_held_portal_clock_is_the_portal_s_clock_until_the_scenario_ends_and_the_system_s_again_after():
    import pytest

    from portal.clock import SYSTEM
    from support.fixtures import held_portal_clock

    def portal():
        return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(clock=SYSTEM)))

    run_portal, other = portal(), portal()
    context = SimpleNamespace(run=SimpleNamespace(portal=run_portal))
    for given, held_one in ((None, run_portal), (other, other)):
        holding = held_portal_clock(context, given) if given else held_portal_clock(context)
        held = next(holding)
        assert held_one.app.state.clock is held and held.time() == int(held.time())
        at = held.time()
        held.advance(3)
        assert held.time() == at + 3
        with pytest.raises(StopIteration):
            next(holding)
        assert held_one.app.state.clock is SYSTEM
    assert run_portal.app.state.clock is SYSTEM and other.app.state.clock is SYSTEM


def test_an_unprivileged_database_account_connects_reads_no_table_and_is_gone_after(migrated_database):
    import psycopg
    import pytest

    from support.fixtures import unprivileged_database_account

    with psycopg.connect(migrated_database, autocommit=True) as admin:
        secrets: set[str] = set()
        world = SimpleNamespace(suffix="unit" + str(id(secrets)), db=admin, remember_secret=secrets.add)
        context = SimpleNamespace(world=world, run=SimpleNamespace(database=SimpleNamespace(url=migrated_database)))
        account = unprivileged_database_account(context)
        url = next(account)
        role = psycopg.conninfo.conninfo_to_dict(url)["user"]
        assert psycopg.conninfo.conninfo_to_dict(url)["password"] in secrets  # masked in the report
        with psycopg.connect(url) as limited:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                limited.execute("SELECT 1 FROM sessions")
        with pytest.raises(StopIteration):
            next(account)
        assert admin.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s", (role,)).fetchone()[0] == 0
