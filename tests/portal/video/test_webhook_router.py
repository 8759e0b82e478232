"""Mux's signature check (portal.video.webhook_router.verified), on a small app of its own."""
import time

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient

from portal.clock import SYSTEM
from portal.config import Settings
from portal.video.signatures import sign
from portal.video.webhook_router import verified
from portal.web.errors import install_error_handlers

BODY = b'{"type": "video.asset.ready", "id": "evt-1", "data": {"id": "a1"}}'


def client(**secrets) -> TestClient:
    app = FastAPI()
    app.state.settings = Settings(database_url="postgresql://unused", **secrets)
    app.state.clock = SYSTEM
    install_error_handlers(app)

    @app.post("/hook")
    async def hook(signed: tuple = Depends(verified)):
        residency, body = signed
        return {"residency": residency, "length": len(body)}

    return TestClient(app)


def header(secret: str, t: int | None = None, body: bytes = BODY) -> dict:
    t = int(time.time()) if t is None else t
    return {"mux-signature": f"t={t},v1={sign(secret, t, body)}"}


def test_the_environment_whose_secret_signed_is_named():
    both = client(mux_webhook_secret="anywhere-secret", mux_au_webhook_secret="au-secret")
    assert both.post("/hook", content=BODY, headers=header("anywhere-secret")).json()["residency"] == "anywhere"
    assert both.post("/hook", content=BODY, headers=header("au-secret")).json()["residency"] == "australia"


def test_unsigned_forged_and_stale_reports_are_401_with_the_error_shape():
    hook = client(mux_webhook_secret="anywhere-secret")
    for headers in ({}, header("forged"), header("anywhere-secret", int(time.time()) - 301)):
        answer = hook.post("/hook", content=BODY, headers=headers)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "invalid_signature"


def test_without_a_secret_no_report_is_believed():
    answer = client().post("/hook", content=BODY, headers=header(""))
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "webhooks_not_configured"
