"""The document says what the shared layers answer on every route, from what each route depends on."""
from __future__ import annotations

import functools
import types

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel

from portal.app import create_app
from portal.config import Settings
from portal.web import deps, openapi
from portal.web.errors import documented
from portal.web.openapi import is_studio_admin, public_view

SETTINGS = Settings(database_url="postgresql://u@127.0.0.1:9/portal", session_cookie_name="portal_session")


@functools.lru_cache(maxsize=1)
def served() -> dict:
    return create_app(SETTINGS).openapi()


def answers(document: dict, method: str, path: str) -> dict:
    return document["paths"][path][method]["responses"]


def resolved(document: dict, answer: dict) -> dict:
    if "$ref" in answer:
        return document["components"]["responses"][answer["$ref"].rsplit("/", 1)[1]]
    return answer


class Thing(BaseModel):
    name: str


def small_app() -> FastAPI:
    app = FastAPI()
    app.state.settings = SETTINGS
    router = APIRouter()

    @router.get("/open")
    def open_() -> dict:
        return {}

    @router.get("/mine")
    def mine(user=Depends(deps.current_user)) -> dict:
        return {}

    @router.post("/things/{thing_id}", responses=documented({409: "Already there"}))
    def add(thing_id: deps.Id, thing: Thing, user=Depends(deps.require_member("admin")),
            db=Depends(deps.database)) -> dict:
        return {}

    app.include_router(router)
    openapi.install(app)
    return app


def test_every_operation_may_answer_500_with_the_error_body_and_the_headers_of_every_answer():
    document = served()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "500" in operation["responses"], f"{method.upper()} {path}"
    error = resolved(document, answers(document, "get", "/health")["500"])
    assert error["content"] == {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    assert set(error["headers"]) >= {"X-Request-ID", "X-Content-Type-Options", "Referrer-Policy",
                                     "X-Frame-Options", "Content-Security-Policy"}
    assert document["components"]["headers"]["X-Request-ID"]["required"] is True


def test_fastapis_validation_shape_is_gone_and_422_is_the_portals_error_body():
    document = served()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert "HTTPValidationError" not in str(document["paths"])
    error = resolved(document, answers(document, "post", "/projects")["422"])
    assert error["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


def test_statuses_follow_from_what_a_route_depends_on():
    document = small_app().openapi()
    assert sorted(answers(document, "get", "/open")) == ["200", "429", "500"]  # 429: the API's request budget
    assert sorted(answers(document, "get", "/mine")) == ["200", "401", "429", "500", "503"]
    assert sorted(answers(document, "post", "/things/{thing_id}")) == [
        "200", "400", "404", "409", "413", "415", "422", "429", "500", "503"]


def test_a_routes_own_description_of_a_status_wins():
    document = small_app().openapi()
    assert answers(document, "post", "/things/{thing_id}")["409"]["description"] == "Already there"


def test_routes_that_read_the_session_name_the_cookie_scheme():
    document = small_app().openapi()
    assert document["components"]["securitySchemes"]["session"] == {
        "type": "apiKey", "in": "cookie", "name": "portal_session",
        "description": "The session cookie a confirmed sign-in link sets (HttpOnly, SameSite=Lax)"}
    assert document["paths"]["/mine"]["get"]["security"] == [{"session": []}]
    assert "security" not in document["paths"]["/open"]["get"]


def test_busy_answers_say_when_to_retry_and_redirects_where_to_go():
    document = served()
    busy = resolved(document, answers(document, "get", "/projects")["503"])
    assert busy["headers"]["Retry-After"] == {"$ref": "#/components/headers/Retry-After"}
    signed_in = answers(document, "post", "/auth/magic-link")["303"]
    assert {"Location", "Set-Cookie"} <= set(signed_in["headers"]) and "content" not in signed_in
    assert "Retry-After" in answers(document, "post", "/auth/sign-in-links")["429"]["headers"]


def test_guest_pages_are_documented_as_html():
    document = served()
    for status in ("200", "401", "404"):
        assert list(answers(document, "get", "/s/{token}")[status]["content"]) == ["text/html"]
    assert list(answers(document, "post", "/s/{token}/unlock")["429"]["content"]) == ["text/html"]
    assert "Retry-After" in answers(document, "post", "/s/{token}/unlock")["429"]["headers"]


def test_readiness_documents_its_own_503_body_without_retry_after():
    document = served()
    unready = answers(document, "get", "/readyz")["503"]
    assert unready["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Readiness"}
    assert "Retry-After" not in unready["headers"]


def test_inputs_that_cannot_be_invalid_have_no_422():
    document = served()
    assert "422" not in answers(document, "get", "/s/{token}")
    assert "422" in answers(document, "get", "/projects/{project_id}")


def test_a_stripped_name_pattern_accepts_what_the_portal_accepts_and_refuses_the_rest():
    import re

    pattern = re.compile(openapi.stripped_text_pattern(openapi.CONTROL_CHARACTERS, 1, 9))
    for accepted in ("a", "  Final cut ", "\tabcdefghi\n", "a b c"):
        assert pattern.fullmatch(accepted), repr(accepted)
    for refused in ("", "   ", "abcdefghij", "a\x00b", "a\tb", "a\x1fb", "\x1c a"):
        assert not pattern.fullmatch(refused), repr(refused)


def test_a_stripped_description_may_be_empty_and_hold_line_breaks():
    import re

    pattern = re.compile(openapi.stripped_text_pattern(openapi.CONTROL_CHARACTERS_BUT_LINE_BREAKS_AND_TABS, 0, 10))
    for accepted in ("", "  ", "line\nnext", "a\tb"):
        assert pattern.fullmatch(accepted), repr(accepted)
    for refused in ("a\x0bb", "a\x00", "x" * 11):
        assert not pattern.fullmatch(refused), repr(refused)


def test_not_null_keeps_the_type_and_drops_null():
    schema = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "title": "Title"}
    openapi.not_null(schema)
    assert schema == {"type": "string", "title": "Title"}


def test_whole_numbers_written_with_a_point_are_numbers_and_text_stays_text():
    assert openapi.whole_number(3.0) == 3 and isinstance(openapi.whole_number(3.0), int)
    assert openapi.whole_number(2.5) == 2.5
    assert openapi.whole_number("3") == "3" and openapi.whole_number(True) is True


def test_dates_are_text_not_timestamps():
    import pytest
    from pydantic_core import PydanticCustomError

    assert openapi.text_only("2026-12-03") == "2026-12-03"
    assert openapi.text_only("2026-12-03T17:00:00+11:00") == "2026-12-03T17:00:00+11:00"
    for number in (0, 1.5, "0.5", "1700000000"):
        with pytest.raises(PydanticCustomError):
            openapi.text_only(number)


def test_integer_bounds_are_whole_and_the_largest_id_is_exact():
    document = served()
    order = document["components"]["schemas"]["OrderIn"]["properties"]["milestone_ids"]["items"]
    assert order["maximum"] == 2**63 - 1 and isinstance(order["maximum"], int)
    hours = document["components"]["schemas"]["ShareLinkIn"]["properties"]["expires_in_hours"]
    assert (hours["minimum"], hours["maximum"]) == (1, 720)


def test_changes_need_an_if_match_in_the_issued_form():
    document = served()
    if_match = next(p for p in document["paths"]["/tasks/{task_id}"]["patch"]["parameters"] if p["name"] == "If-Match")
    assert if_match["required"] is True and if_match["schema"]["pattern"] == deps.ETAG_PATTERN


# -- the document as each caller may see it (part 1)
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


def test_a_field_compared_case_insensitively_is_documented_as_any_case_of_its_values():
    import re

    from portal.web.openapi import any_case_of

    pattern = re.compile(any_case_of(("video/mp4", "application/mxf")))
    assert pattern.match("video/mp4") and pattern.match(" Video/MP4\t") and pattern.match("APPLICATION/MXF")
    assert not pattern.match("video/mp5") and not pattern.match("video/mp4x") and not pattern.match("videoXmp4")


def test_accepting_an_invitation_is_documented_as_open_to_anyone_with_an_optional_api_key():
    from portal.app import create_app
    from portal.config import Settings

    document = create_app(Settings(database_url="postgresql://x")).openapi()
    for method in ("get", "post"):
        assert {} in document["paths"]["/invitations/accept"][method]["security"]
    assert {} not in document["paths"]["/invitations"]["post"]["security"]  # inviting needs a caller


def test_the_served_forms_are_made_once_and_are_what_a_json_response_writes():
    import json

    app = create_app(SETTINGS)
    openapi.prepare(app)
    public = openapi.served(app, admin=False)
    assert openapi.served(app, admin=False) is public  # made once
    assert json.loads(public) == public_view(app.openapi())
    assert json.loads(openapi.served(app, admin=True)) == app.openapi()
    assert public == json.dumps(public_view(app.openapi()), ensure_ascii=False, separators=(",", ":")).encode()


def test_two_threads_asking_at_once_build_the_document_once(monkeypatch):
    import threading

    app = create_app(SETTINGS)
    built = []
    real_build = openapi.build
    monkeypatch.setattr(openapi, "build", lambda a: built.append(1) or real_build(a))
    threads = [threading.Thread(target=app.openapi) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
