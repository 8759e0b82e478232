import json
from pathlib import Path

import pytest
from behave.parser import parse_file

from portal.video.lifecycle import EVENTS, RANK, InvalidReport, may_move, parse
from support.drivers.cuts import REPORTS, STATUSES

ROOT = Path(__file__).resolve().parents[3]
REPORTS_FEATURE = ROOT / "features" / "cuts" / "mux_reports.feature"
# the event types PROVIDERS.md lists from Mux's documentation
DOCUMENTED = {"video.upload.created", "video.upload.asset_created", "video.upload.cancelled", "video.upload.errored",
              "video.asset.created", "video.asset.ready", "video.asset.errored", "video.asset.updated",
              "video.asset.deleted", "video.asset.warning"}


def registry_walks(feature_path: Path) -> list[dict[str, str]]:
    """Of every @registry outline: Mux's event type -> the status the outline says it leaves the cut in."""
    feature = parse_file(str(feature_path))
    walks = []
    for rule in [feature, *feature.rules]:
        for scenario in rule.scenarios:
            if "registry" in scenario.tags and hasattr(scenario, "examples"):
                walks.append({REPORTS[row["report"]]: STATUSES[row["status"]]
                              for examples in scenario.examples for row in examples.table})
    return walks


def disagreements(specified: set[str], registered: set[str]) -> list[str]:
    problems = []
    if registered - specified:
        problems.append(f"portal/video/lifecycle.py EVENTS knows {sorted(registered - specified)}, which "
                        "features/cuts/mux_reports.feature does not walk: add them to its @registry outline")
    if specified - registered:
        problems.append(f"features/cuts/mux_reports.feature walks {sorted(specified - registered)}, which "
                        "portal/video/lifecycle.py EVENTS does not know")
    return problems


def test_the_reports_feature_walks_exactly_the_registry():
    walks = registry_walks(REPORTS_FEATURE)
    assert len(walks) == 1, "features/cuts/mux_reports.feature should hold one @registry Scenario Outline"
    assert disagreements(set(walks[0]), set(EVENTS)) == []


def test_the_walk_expects_what_the_registry_does_to_an_uploading_cut():
    for event_type, status in registry_walks(REPORTS_FEATURE)[0].items():
        assert status == (EVENTS[event_type].moves_to or "uploading"), event_type


def test_the_check_fails_in_both_directions():
    assert disagreements({"video.asset.ready"}, {"video.asset.ready", "video.asset.new"})
    assert disagreements({"video.asset.ready", "video.asset.new"}, {"video.asset.ready"})


def test_the_registry_holds_every_event_type_mux_documents():
    assert set(EVENTS) == DOCUMENTED


@pytest.mark.parametrize("current, new", [("uploading", "processing"), ("uploading", "ready"), ("processing", "ready"),
                                          ("processing", "failed"), ("uploading", "upload_failed")])
def test_a_cut_moves_forwards(current, new):
    assert may_move(current, new)
    assert not may_move(new, current)


@pytest.mark.parametrize("current, new", [("ready", "failed"), ("failed", "ready"), ("processing", "upload_failed"),
                                          ("upload_failed", "processing"), ("ready", "ready")])
def test_never_sideways_and_ready_is_final(current, new):
    assert not may_move(current, new)


def test_every_status_has_a_rank():
    assert set(RANK) == set(STATUSES.values())


def test_a_report_is_read_from_mux_s_envelope():
    body = {"type": "video.asset.ready", "id": "evt-1", "object": {"type": "asset", "id": "a1"}, "data": {"id": "a1"}}
    report = parse(json.dumps(body).encode())
    assert (report.id, report.type, report.object_id, report.data) == ("evt-1", "video.asset.ready", "a1", {"id": "a1"})


@pytest.mark.parametrize("body, fields", [
    (b"not json", None), (b"[1]", None), (b"\xff\xfe", None),
    (json.dumps({"type": "video.asset.ready", "data": {}}).encode(), {"id"}),
    (json.dumps({"id": "e", "type": 3, "data": {}}).encode(), {"type"}),
    (json.dumps({"id": "e", "type": "video.asset.ready", "data": []}).encode(), {"data"}),
])
def test_what_is_not_a_mux_event_is_named(body, fields):
    with pytest.raises(InvalidReport) as raised:
        parse(body)
    if fields is not None:
        assert set(raised.value.fields) == fields
