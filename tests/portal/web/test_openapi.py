"""The OpenAPI document as each caller may see it."""
import types

from portal.web.openapi import is_studio_admin, public_view

DOCUMENT = {
    "openapi": "3.1.0",
    "paths": {
        "/projects": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ProjectList"}}}}}}},
        "/admin/emails": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/EmailList"}}}}}}},
        "/administrators-guide": {"get": {}},
    },
    "components": {"schemas": {
        "ProjectList": {"properties": {"projects": {"items": {"$ref": "#/components/schemas/Project"}}}},
        "Project": {"properties": {"name": {"type": "string"}}},
        "EmailList": {"properties": {"emails": {"items": {"$ref": "#/components/schemas/EmailOut"}}}},
        "EmailOut": {"properties": {"id": {"type": "string"}}},
    }},
}


def test_the_public_view_lists_no_administration_nor_its_schemas():
    view = public_view(DOCUMENT)
    assert sorted(view["paths"]) == ["/administrators-guide", "/projects"]
    assert sorted(view["components"]["schemas"]) == ["Project", "ProjectList"]
    assert sorted(DOCUMENT["paths"]) == ["/admin/emails", "/administrators-guide", "/projects"]  # untouched


def test_only_studio_admins_are_studio_admins():
    def user(role, kind):
        return types.SimpleNamespace(role=types.SimpleNamespace(value=role), tenant_kind=kind)

    assert is_studio_admin(user("admin", "studio"))
    assert not is_studio_admin(user("admin", "agency"))
    assert not is_studio_admin(user("producer", "studio"))
    assert not is_studio_admin(None)
