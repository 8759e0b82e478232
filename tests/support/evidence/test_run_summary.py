from collections import Counter
from types import SimpleNamespace

from support.evidence.run_summary import CATEGORIES, Endpoint, RunSummary, endpoints_from_openapi

_names = iter(range(10_000))


def scenario(epic_tag=None, tags=(), status="passed", folder="auth"):
    feature = SimpleNamespace(tags=[f"allure.label.epic:{epic_tag}"] if epic_tag else [],
                              filename=f"features/{folder}/x.feature")
    return SimpleNamespace(name=f"scenario {next(_names)}", tags=list(tags), effective_tags=set(tags),
                           feature=feature, status=SimpleNamespace(name=status))


def exchange(method, path):
    return SimpleNamespace(method=method, path=path)


OPENAPI = {"paths": {
    "/auth/sign-in-links": {"post": {}},
    "/me": {"get": {}},
    "/projects/{project_id}/assets": {"get": {}, "post": {}},
    "/health": {"get": {}, "head": {}},
}}


def test_endpoints_are_read_from_the_openapi_document_without_head():
    assert [str(e) for e in endpoints_from_openapi(OPENAPI)] == [
        "POST /auth/sign-in-links", "GET /health", "GET /me",
        "GET /projects/{project_id}/assets", "POST /projects/{project_id}/assets"]


def test_templated_paths_match_one_segment_only():
    endpoint = Endpoint("GET", "/projects/{project_id}/assets")
    assert endpoint.pattern.match("/projects/42/assets")
    assert not endpoint.pattern.match("/projects/42/x/assets")
    assert not endpoint.pattern.match("/projects//assets")


def test_coverage_counts_method_and_path_and_ignores_query_strings():
    summary = RunSummary()
    summary.record(scenario("Sign-in"), [exchange("POST", "/auth/sign-in-links"), exchange("GET", "/me?x=1")])
    summary.record(scenario("Projects"), [exchange("GET", "/projects/7/assets")])
    exercised, untouched = summary.coverage(endpoints_from_openapi(OPENAPI))
    assert [str(e) for e in untouched] == ["GET /health", "POST /projects/{project_id}/assets"]
    assert len(exercised) == 3


def test_negative_share_and_capabilities_skip_skipped_scenarios():
    summary = RunSummary()
    summary.record(scenario("Sign-in", tags=["negative"]), [])
    summary.record(scenario("Sign-in"), [])
    summary.record(scenario(None, folder="operations"), [])
    summary.record(scenario("Sign-in", tags=["negative"], status="skipped"), [])
    assert summary.by_capability == Counter({"Sign-in": 2, "Operations": 1})
    assert (summary.negative, summary.executed) == (1, 3)
    text = "\n".join(summary.lines(endpoints_from_openapi(OPENAPI)))
    assert "Negative scenarios: 1 of 3 (33%); meets the 30% target" in text
    assert "Skipped in this mode: 1 scenario(s)" in text
    assert "not exercised by any scenario: GET /health" in text


def test_a_share_under_the_target_is_flagged():
    summary = RunSummary()
    for _ in range(4):
        summary.record(scenario("Sign-in"), [])
    summary.record(scenario("Sign-in", tags=["negative"]), [])
    assert "Negative scenarios: 1 of 5 (20%); BELOW the 30% target" in "\n".join(summary.lines([]))


def test_categories_put_environment_problems_before_product_and_test_defects():
    assert [c["name"].split(":")[0] for c in CATEGORIES] == ["Environment problems", "Product defects", "Test defects"]
    assert CATEGORIES[1]["matchedStatuses"] == ["failed"] and CATEGORIES[2]["matchedStatuses"] == ["broken"]


def test_summaries_of_workers_merge_into_one():
    first, second = RunSummary(), RunSummary()
    first.record(scenario("Sign-in", tags=["negative"]), [exchange("GET", "/me")], 1.5)
    second.record(scenario("Sign-in"), [exchange("GET", "/health")], 0.5)
    second.record(scenario("Operations", status="failed"), [], 0.25)
    merged = RunSummary.merged([first.to_json(), second.to_json()])
    assert merged.by_capability == Counter({"Sign-in": 2, "Operations": 1})
    assert (merged.negative, merged.executed) == (1, 3)
    assert merged.statuses == Counter({"passed": 2, "failed": 1})
    assert merged.requests == {("GET", "/me"), ("GET", "/health")}
    assert sorted(merged.scenario_seconds.values()) == [0.25, 0.5, 1.5]


def ruled(rule_name, status="passed", feature_name="Sharing"):
    s = scenario(status=status)
    s.feature.name = feature_name
    s.parent = __import__("behave.model", fromlist=["Rule"]).Rule("x.feature", 1, "Rule", rule_name)
    return s


def test_a_rule_is_broken_when_any_scenario_under_it_did_not_pass():
    summary = RunSummary()
    summary.record(ruled("Links expire"), [])
    summary.record(ruled("Links expire", "failed"), [])
    summary.record(ruled("Links expire"), [])
    summary.record(ruled("Only admins share"), [])
    summary.record(ruled("Guests see 404", "error"), [])
    summary.record(scenario(), [])  # a scenario under no Rule counts no rule
    assert summary.broken_rules == ["Sharing: Guests see 404", "Sharing: Links expire"]
    assert summary.rules_line() == "2 of 3 rules broken:"
    lines = summary.lines([])
    assert "  2 of 3 rules broken:" in lines
    assert "    broken: Sharing: Links expire" in lines


def test_all_rules_kept_is_said_so():
    summary = RunSummary()
    summary.record(ruled("Links expire"), [])
    assert summary.rules_line() == "Business rules: all 1 kept"
    assert RunSummary().rules_line().startswith("Business rules: none")


def test_workers_merge_rules_broken_anywhere():
    one, two = RunSummary(), RunSummary()
    one.record(ruled("Links expire"), [])
    two.record(ruled("Links expire", "failed"), [])
    merged = RunSummary.merged([one.to_json(), two.to_json()])
    assert merged.broken_rules == ["Sharing: Links expire"]


def test_a_partial_run_leaves_out_what_only_means_something_for_the_whole_suite():
    summary = RunSummary()
    summary.record(scenario(status="passed"), [exchange("GET", "/me")])
    whole = "\n".join(summary.lines(endpoints_from_openapi(OPENAPI)))
    part = "\n".join(summary.lines(endpoints_from_openapi(OPENAPI), whole_suite=False))
    assert "target" in whole and "not exercised" in whole
    assert "target" not in part and "not exercised" not in part and "Portal endpoints" not in part
    assert "(of the scenarios selected)" in part
