"""The Mux fake answers as Mux does, refuses what Mux refuses, and signs webhooks as Mux signs them;
every answer and webhook body it can produce conforms to support/fakes/contracts/mux.schema.json."""
import json
import time

import pytest
import requests

from portal.video import mux as portal_mux
from portal.video.signatures import verify
from support.fakes import contract
from support.fakes import mux as fake_mux
from support.fakes.mux import ANYWHERE, AUSTRALIA, ENVIRONMENTS, ERRORS, MUX_API, MuxFake
from support.fakes.network import BlockedNetwork


@pytest.fixture
def fake():
    network = BlockedNetwork()
    mux = MuxFake(network)
    network.start()
    try:
        yield mux
    finally:
        network.stop()


def client(residency=ANYWHERE):
    env = ENVIRONMENTS[residency]
    return portal_mux.Client(MUX_API, portal_mux.Environment(residency, env.token_id, env.token_secret), 5)


def test_an_upload_is_created_and_recorded_per_environment(fake):
    upload = client(AUSTRALIA).create_upload(cors_origin="https://portal", passthrough="p-1", timeout_seconds=3600)
    recorded = fake.upload_for("p-1")
    assert (recorded.id, recorded.url, recorded.environment.residency) == (upload.id, upload.url, AUSTRALIA)
    assert fake.take_violations() == []


def test_an_unknown_token_is_refused_and_kept_as_a_violation(fake):
    wrong = portal_mux.Client(MUX_API, portal_mux.Environment(ANYWHERE, "x", "y"), 5)
    with pytest.raises(portal_mux.MuxRefused) as raised:
        wrong.create_upload(cors_origin="o", passthrough="p", timeout_seconds=3600)
    assert raised.value.status == 401
    assert fake.take_violations()


def test_a_body_mux_does_not_document_is_refused(fake):
    env = ENVIRONMENTS[ANYWHERE]
    answer = requests.post(f"{MUX_API}/video/v1/uploads", auth=(env.token_id, env.token_secret),
                           json={"cors_origin": "o", "new_asset_settings": {"playback_policy": "signed"}})
    assert answer.status_code == 400
    assert any("playback_policy" in v for v in fake.take_violations())


@pytest.mark.parametrize("status", sorted(ERRORS))
def test_every_documented_error_can_be_scripted_and_conforms(fake, status):
    fake.fail_next(1, status)
    answer = requests.post(f"{MUX_API}/video/v1/uploads", json={})
    assert answer.status_code == status
    contract.check("mux", "error.body", answer.json())


def test_unreachable(fake):
    fake.unreachable(1)
    with pytest.raises(portal_mux.MuxUnavailable):
        client().create_upload(cors_origin="o", passthrough="p", timeout_seconds=3600)


def test_deleting_a_known_asset_and_an_unknown_one(fake):
    client().create_upload(cors_origin="o", passthrough="p", timeout_seconds=3600)
    upload = fake.upload_for("p")
    client().delete_asset(upload.asset_id)
    assert fake.deleted == [(ANYWHERE, upload.asset_id)]
    client().delete_asset("never-existed")  # 404: done, as far as the portal is concerned
    assert fake.deleted == [(ANYWHERE, upload.asset_id)]


@pytest.mark.parametrize("event_type", [*fake_mux.UPLOAD_EVENTS, "video.asset.created", "video.asset.ready",
                                        "video.asset.errored", "video.asset.updated", "video.asset.deleted",
                                        "video.asset.warning"])
def test_every_webhook_body_conforms_and_is_signed_as_mux_signs(fake, event_type):
    client().create_upload(cors_origin="o", passthrough="p", timeout_seconds=3600)
    upload = fake.upload_for("p")
    body = fake_mux.event(event_type, upload)
    contract.check("mux", "webhook.event", body)
    raw = json.dumps(body).encode()
    header = fake_mux.signature([upload.environment.webhook_secret], raw)
    contract.check("mux", "webhook.request.headers", {"mux-signature": header, "content-type": "application/json"})
    assert verify(header, raw, [upload.environment.webhook_secret], now=time.time())


def test_the_portal_settings_match_the_fake():
    settings = fake_mux.portal_settings()
    assert settings["mux_token_id"] == ENVIRONMENTS[ANYWHERE].token_id
    assert settings["mux_au_webhook_secret"] == ENVIRONMENTS[AUSTRALIA].webhook_secret
    assert ENVIRONMENTS[ANYWHERE].webhook_secret != ENVIRONMENTS[AUSTRALIA].webhook_secret
