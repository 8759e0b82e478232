import base64

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from portal.video import playback
from portal.video.mux import Environment

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PEM = KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
ENV = Environment("anywhere", signing_key_id="key-1", signing_key=base64.b64encode(PEM).decode())


def claims(url: str, audience: str) -> dict:
    token = url.split("?token=")[1]
    assert jwt.get_unverified_header(token)["kid"] == "key-1"
    return jwt.decode(token, KEY.public_key(), algorithms=["RS256"], audience=audience, options={"verify_exp": False})


def test_the_stream_address_carries_a_video_token_for_the_playback_id():
    url = playback.stream_url(ENV, "pb123", 1_900_000_000)
    assert url.startswith("https://stream.mux.com/pb123.m3u8?token=")
    assert claims(url, "v") == {"sub": "pb123", "aud": "v", "exp": 1_900_000_000}


def test_the_thumbnail_has_its_own_audience():
    url = playback.thumbnail_url(ENV, "pb123", 1_900_000_000)
    assert url.startswith("https://image.mux.com/pb123/thumbnail.jpg?token=")
    assert claims(url, "t")["sub"] == "pb123"
    with pytest.raises(jwt.InvalidAudienceError):
        claims(url, "v")


def test_downloads_are_the_static_mp4_signed_for_video():
    url = playback.download_url(ENV, "pb123", 1_900_000_000)
    assert url.startswith("https://stream.mux.com/pb123/highest.mp4?token=")
    assert claims(url, "v")["sub"] == "pb123"


def test_a_pem_key_is_taken_as_it_is():
    env = Environment("anywhere", signing_key_id="key-1", signing_key=PEM.decode())
    assert claims(playback.stream_url(env, "x", 1), "v")["sub"] == "x"


@pytest.mark.parametrize("env", [Environment("anywhere"), Environment("anywhere", signing_key_id="k"),
                                 Environment("anywhere", signing_key_id="k", signing_key="not base64!")])
def test_without_a_usable_key_nothing_is_signed(env):
    with pytest.raises(playback.NoSigningKey):
        playback.stream_url(env, "x", 1)


def test_a_signing_key_that_is_not_a_private_key_is_refused_clearly():
    import base64

    import pytest

    from portal.video import playback
    from portal.video.mux import Environment

    not_a_key = base64.b64encode(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").decode()
    with pytest.raises(playback.NoSigningKey, match="not a private key"):
        playback.token(Environment("anywhere", signing_key_id="k", signing_key=not_a_key), "p", "v", 2_000_000_000)


def test_signing_keys_are_loaded_at_start_up_and_a_bad_one_is_left_to_the_request():
    playback._private_key.cache_clear()
    good = ENV
    bad = Environment("australia", signing_key_id="k2", signing_key="bm90IGEga2V5")  # "not a key"
    playback.load_signing_keys([good, bad, Environment("anywhere")])
    assert playback._private_key.cache_info().currsize == 1  # the good key, loaded once
    with pytest.raises(playback.NoSigningKey):
        playback.token(bad, "p", playback.VIDEO, 2_000_000_000)
