import base64
import hashlib
import re

import pytest

from portal.security import TOKEN_BYTES, fingerprint, hash_token, looks_like_token, new_token, redact_email


def test_a_new_token_is_43_url_safe_characters_carrying_256_bits():
    token = new_token()
    assert len(token) == 43
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    assert len(base64.urlsafe_b64decode(token + "=")) == 32 == TOKEN_BYTES


def test_new_tokens_differ():
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200


def test_hash_token_is_the_sha256_hex_of_the_token():
    token = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
    assert hash_token(token) == hashlib.sha256(token.encode("ascii")).hexdigest()
    assert hash_token("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert hash_token(token) != token


def test_hash_token_is_stable():
    token = new_token()
    assert hash_token(token) == hash_token(token)


@pytest.mark.parametrize("value", [
    "A" * 43,
    "abcdefghijklmnopqrstuvwxyz0123456789_-ABCDE",
])
def test_looks_like_token_accepts_the_43_char_url_safe_shape(value):
    assert looks_like_token(value) is True


def test_looks_like_token_accepts_a_real_token():
    assert looks_like_token(new_token()) is True


@pytest.mark.parametrize("value", [
    None,
    "",
    "A" * 42,
    "A" * 44,
    "A" * 42 + "=",            # padding is not part of the shape
    "A" * 42 + "+",            # standard, not URL-safe, base64
    "A" * 42 + "/",
    "A" * 42 + " ",
    " " + "A" * 42,
    "A" * 42 + "\n",
    "A" * 21 + "." + "A" * 21,
    "é" + "A" * 42,
])
def test_looks_like_token_refuses_anything_else(value):
    assert looks_like_token(value) is False


@pytest.mark.parametrize("address, redacted", [
    ("theo@agency.example", "t***@agency.example"),
    ("Theo@Agency.EXAMPLE", "T***@agency.example"),
    ("  ada@northlight.example  ", "a***@northlight.example"),
    ("x@y.example", "x***@y.example"),
    ('"odd@local"@host.example', '"***@host.example'),  # the last @ separates the domain
])
def test_redact_email_keeps_the_first_letter_and_the_domain(address, redacted):
    assert redact_email(address) == redacted


@pytest.mark.parametrize("odd", ["", None, "theo", "@agency.example", "theo@", "@", "   "])
def test_redact_email_gives_three_stars_for_odd_inputs(odd):
    assert redact_email(odd) == "***"


def test_fingerprint_is_stable_and_32_hex_chars():
    assert fingerprint("theo@agency.example") == fingerprint("theo@agency.example")
    assert fingerprint("theo@agency.example") == hashlib.sha256(b"theo@agency.example").hexdigest()[:32]
    assert re.fullmatch(r"[0-9a-f]{32}", fingerprint("198.18.0.1"))


def test_fingerprint_does_not_contain_its_input_and_tells_inputs_apart():
    value = "theo@agency.example"
    assert "theo" not in fingerprint(value)
    assert fingerprint(value) != fingerprint("Theo@agency.example")
    assert fingerprint("") == "e3b0c44298fc1c149afbf4c8996fb924"


def test_keyed_fingerprint_is_an_hmac_sha256_that_depends_on_the_key():
    import hmac

    from portal.security import keyed_fingerprint

    value = keyed_fingerprint("k" * 32, "198.18.3.4")
    assert value == hmac.new(b"k" * 32, b"198.18.3.4", "sha256").hexdigest()
    assert value != keyed_fingerprint("j" * 32, "198.18.3.4")
    assert "198.18.3.4" not in value and len(value) == 64


def test_a_logged_path_has_every_key_like_segment_masked():
    from portal.security import mask_path

    key = "Ab3_-" * 5
    assert mask_path(f"/s/{key}") == "/s/[masked]"
    assert mask_path(f"/s/{key}/nothing-here") == "/s/[masked]/nothing-here"
    assert mask_path("/projects/12/tasks") == "/projects/12/tasks"
    assert mask_path("/s/" + "a" * 19) == "/s/" + "a" * 19  # shorter than any key the portal hands out


def test_every_address_in_a_text_is_masked_and_masked_ones_stay_as_they_are():
    from portal.security import mask_addresses

    text = '{"to": ["Theo.3fa9@Brightside.example"], "detail": "no mailbox gina@x.example", "m": "t***@a.example"}'
    assert mask_addresses(text) == '{"to": ["T***@brightside.example"], "detail": "no mailbox g***@x.example", "m": "t***@a.example"}'
