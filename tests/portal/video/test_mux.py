import base64
import json

import pytest
import requests
import requests_mock

from portal.config import Settings
from portal.video import mux

API = "https://api.mux.com"
ENV = mux.Environment("anywhere", token_id="tid", token_secret="tsecret")


def client(env=ENV):
    return mux.Client(API, env, timeout_seconds=5)


def test_an_upload_is_asked_for_with_basic_auth_signed_playback_and_the_passthrough():
    with requests_mock.Mocker() as m:
        m.post(f"{API}/video/v1/uploads", status_code=201, json={"data": {"id": "up1", "url": "https://up/1"}})
        upload = client().create_upload(cors_origin="https://portal", passthrough="cut-1", timeout_seconds=3600)
    assert upload == mux.Upload("up1", "https://up/1")
    sent = m.last_request
    assert sent.headers["Authorization"] == "Basic " + base64.b64encode(b"tid:tsecret").decode()
    assert json.loads(sent.body) == {"cors_origin": "https://portal", "timeout": 3600, "new_asset_settings": {
        "playback_policies": ["signed"], "passthrough": "cut-1", "static_renditions": [{"resolution": "highest"}]}}


@pytest.mark.parametrize("answer", [{"status_code": 500, "json": {}}, {"status_code": 503, "text": "<html>"},
                                    {"exc": requests.exceptions.ConnectTimeout},
                                    {"status_code": 201, "json": {"data": {}}}])
def test_mux_down_or_unreadable_is_unavailable(answer):
    with requests_mock.Mocker() as m:
        m.post(f"{API}/video/v1/uploads", **answer)
        with pytest.raises(mux.MuxUnavailable):
            client().create_upload(cors_origin="o", passthrough="p", timeout_seconds=60)


def test_a_4xx_is_a_refusal_with_mux_s_messages_and_no_secret():
    with requests_mock.Mocker() as m:
        m.post(f"{API}/video/v1/uploads", status_code=400,
               json={"error": {"type": "invalid_parameters", "messages": ["timeout is too long"]}})
        with pytest.raises(mux.MuxRefused) as raised:
            client().create_upload(cors_origin="o", passthrough="p", timeout_seconds=60)
    assert raised.value.status == 400 and "timeout is too long" in str(raised.value)
    assert "tsecret" not in str(raised.value)


def test_without_a_token_nothing_is_called():
    with requests_mock.Mocker() as m:
        with pytest.raises(mux.MuxUnavailable):
            client(mux.Environment("australia")).create_upload(cors_origin="o", passthrough="p", timeout_seconds=60)
    assert not m.called


@pytest.mark.parametrize("status", [204, 404])
def test_deleting_an_asset_mux_no_longer_has_is_done(status):
    with requests_mock.Mocker() as m:
        m.delete(f"{API}/video/v1/assets/as1", status_code=status)
        client().delete_asset("as1")
    assert m.called


def test_a_failed_delete_raises_so_the_job_is_retried():
    with requests_mock.Mocker() as m:
        m.delete(f"{API}/video/v1/assets/as1", status_code=500)
        with pytest.raises(mux.MuxUnavailable):
            client().delete_asset("as1")


def test_each_residency_has_its_own_environment():
    settings = Settings(database_url="postgresql://x", mux_token_id="a", mux_au_token_id="b", mux_au_token_secret="c")
    envs = mux.environments(settings)
    assert (envs["anywhere"].token_id, envs["australia"].token_id) == ("a", "b")
    assert envs["australia"].configured and not envs["anywhere"].configured
