import pytest

from portal.video.signatures import InvalidSignature, parse_header, sign, verify

SECRET, OTHER = "current-secret", "retired-secret"
BODY = b'{"type":"video.asset.ready"}'
NOW = 1_900_000_000


def header(*secrets, t=NOW, body=BODY):
    return ",".join([f"t={t}"] + [f"v1={sign(s, t, body)}" for s in secrets])


def test_a_signature_is_hmac_sha256_of_t_dot_body_in_lowercase_hex():
    import hashlib
    import hmac

    assert sign(SECRET, NOW, BODY) == hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()


def test_the_secret_that_signed_is_named():
    assert verify(header(SECRET), BODY, [OTHER, SECRET], now=NOW) == SECRET


def test_several_v1_during_a_rotation():
    assert verify(header(OTHER, SECRET), BODY, [SECRET], now=NOW) == SECRET


@pytest.mark.parametrize("age", [300, -300])
def test_five_minutes_either_way_is_still_fresh(age):
    assert verify(header(SECRET, t=NOW - age), BODY, [SECRET], now=NOW) == SECRET


@pytest.mark.parametrize("age", [301, -301])
def test_beyond_five_minutes_is_refused(age):
    with pytest.raises(InvalidSignature):
        verify(header(SECRET, t=NOW - age), BODY, [SECRET], now=NOW)


@pytest.mark.parametrize("value", [None, "", "v1=abc", "t=abc,v1=abc", f"t={NOW}", f"t={NOW},t={NOW},v1=ab"])
def test_a_malformed_header_is_refused(value):
    with pytest.raises(InvalidSignature):
        verify(value, BODY, [SECRET], now=NOW)


def test_a_forged_or_altered_report_is_refused():
    with pytest.raises(InvalidSignature):
        verify(header("forged"), BODY, [SECRET], now=NOW)
    with pytest.raises(InvalidSignature):
        verify(header(SECRET), BODY + b" ", [SECRET], now=NOW)


def test_an_empty_secret_never_verifies():
    with pytest.raises(InvalidSignature):
        verify(header(""), BODY, [""], now=NOW)


def test_upper_case_hex_is_read():
    assert parse_header(f"t={NOW},v1=ABCD") == (NOW, ["abcd"])
