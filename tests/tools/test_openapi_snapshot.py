"""docs/openapi.json is what the portal serves; a change to the API is named breaking or compatible."""
import copy
import importlib.util
import json
import sys
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "openapi_snapshot", Path(__file__).resolve().parents[2] / "tools" / "openapi_snapshot.py")
snapshot = importlib.util.module_from_spec(spec)
sys.modules["openapi_snapshot"] = snapshot  # dataclasses look their module up
spec.loader.exec_module(snapshot)


def test_the_served_document_matches_the_committed_snapshot():
    committed = json.loads(snapshot.SNAPSHOT.read_text(encoding="utf-8"))
    changes = snapshot.compare(committed, snapshot.served())
    assert not changes.breaking, "\n" + changes.report()
    assert not changes.compatible, (f"\nThe API changed compatibly; refresh the snapshot with `{snapshot.REFRESH}` "
                                    "and commit docs/openapi.json:\n" + changes.report())


BASE = {
    "openapi": "3.1.0",
    "paths": {
        "/projects/{project_id}": {
            "get": {
                "parameters": [{"in": "path", "name": "project_id", "required": True,
                                "schema": {"type": "integer", "minimum": 1}},
                               {"in": "query", "name": "q", "required": False, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Project"}}}},
                              "404": {"description": "gone"}},
            },
            "patch": {
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"name": {"type": "string", "maxLength": 200}}}}}},
                "responses": {"200": {"description": "ok"}},
            },
        },
    },
    "components": {"schemas": {"Project": {"type": "object", "required": ["id", "name"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}}}}},
}


def changed(edit) -> "snapshot.Changes":
    new = copy.deepcopy(BASE)
    edit(new)
    return snapshot.compare(BASE, new)


def test_the_same_document_has_no_changes():
    changes = snapshot.compare(BASE, copy.deepcopy(BASE))
    assert (changes.breaking, changes.compatible) == ([], [])
    assert changes.report() == "The served OpenAPI document matches docs/openapi.json."


def test_a_removed_operation_is_breaking():
    changes = changed(lambda d: d["paths"]["/projects/{project_id}"].pop("patch"))
    assert changes.breaking == ["PATCH /projects/{project_id}: the operation was removed"]


def test_a_removed_status_is_breaking():
    changes = changed(lambda d: d["paths"]["/projects/{project_id}"]["get"]["responses"].pop("404"))
    assert changes.breaking == ["GET /projects/{project_id}: the 404 answer was removed"]


def test_a_removed_answer_field_is_breaking():
    def edit(d):
        d["components"]["schemas"]["Project"]["properties"].pop("name")
        d["components"]["schemas"]["Project"]["required"] = ["id"]
    assert changed(edit).breaking == [
        "GET /projects/{project_id}: 200 answer: the field name is no longer always there",
        "GET /projects/{project_id}: 200 answer: the field name was removed"]


def test_a_narrowed_input_is_breaking():
    def edit(d):
        d["paths"]["/projects/{project_id}"]["patch"]["requestBody"]["content"]["application/json"]["schema"][
            "properties"]["name"]["maxLength"] = 100
    assert changed(edit).breaking == ["PATCH /projects/{project_id}: request body.name: maxLength tightened to 100"]


def test_a_changed_input_type_is_breaking():
    def edit(d):
        d["paths"]["/projects/{project_id}"]["get"]["parameters"][1]["schema"] = {"type": "integer"}
    assert changed(edit).breaking == ["GET /projects/{project_id}: query parameter q: no longer accepts string"]


def test_a_new_required_input_is_breaking_and_a_new_optional_one_compatible():
    def required(d):
        d["paths"]["/projects/{project_id}"]["get"]["parameters"][1]["required"] = True
        d["paths"]["/projects/{project_id}"]["get"]["parameters"].append(
            {"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"}})
    assert changed(required).breaking == ["GET /projects/{project_id}: query parameter q is now required",
                                          "GET /projects/{project_id}: header parameter If-Match is new and required"]

    def optional(d):
        d["paths"]["/projects/{project_id}"]["get"]["parameters"].append(
            {"in": "query", "name": "limit", "schema": {"type": "integer"}})
    changes = changed(optional)
    assert changes.breaking == [] and changes.compatible == ["GET /projects/{project_id}: query parameter limit is new"]


def test_additions_are_compatible_and_ask_for_a_refresh():
    def edit(d):
        d["paths"]["/health"] = {"get": {"responses": {"200": {"description": "ok"}}}}
        d["paths"]["/projects/{project_id}"]["get"]["responses"]["503"] = {"description": "busy"}
        d["components"]["schemas"]["Project"]["properties"]["title"] = {"type": "string"}
    changes = changed(edit)
    assert changes.breaking == []
    assert changes.compatible == ["GET /health: a new operation", "GET /projects/{project_id}: a new 503 answer",
                                  "GET /projects/{project_id}: 200 answer: a new field title"]
    assert "./dev python tools/openapi_snapshot.py --write" in changes.report()
