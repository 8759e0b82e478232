"""The document says what the shared layers answer on every route, from what each route depends on."""
from __future__ import annotations

import functools

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel

from portal.app import create_app
from portal.config import Settings
from portal.web import deps, openapi
from portal.web.errors import documented

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
    assert sorted(answers(document, "get", "/open")) == ["200", "500"]
    assert sorted(answers(document, "get", "/mine")) == ["200", "401", "500", "503"]
    assert sorted(answers(document, "post", "/things/{thing_id}")) == [
        "200", "400", "404", "409", "413", "415", "422", "500", "503"]


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
