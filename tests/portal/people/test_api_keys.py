"""The API key format: recognisable by its prefix, 256 random bits, a checksum checked offline."""
import base64
import zlib

import pytest

from portal.people.api_keys import KEY_PATTERN, PREFIX, checksum, new_key, well_formed


def test_a_new_key_is_the_prefix_256_random_bits_and_a_checksum():
    key = new_key()
    assert key.startswith(PREFIX) and len(key) == len(PREFIX) + 43 + 6
    body = key[len(PREFIX):-6]
    assert len(base64.urlsafe_b64decode(body + "=")) * 8 == 256
    assert KEY_PATTERN.fullmatch(key) and well_formed(key)


def test_keys_differ():
    assert len({new_key() for _ in range(100)}) == 100


def test_the_checksum_is_crc32_in_six_base62_characters():
    text = PREFIX + "A" * 43
    value, digits = 0, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    for char in checksum(text):
        value = value * 62 + digits.index(char)
    assert value == zlib.crc32(text.encode())
    assert checksum(PREFIX + "A" * 42 + "B") != checksum(text)


def test_the_largest_crc_fits_in_six_characters():
    assert 62**6 > 2**32


@pytest.mark.parametrize("change", [
    lambda k: k[:-1] + ("A" if k[-1] != "A" else "B"),      # wrong checksum
    lambda k: k[:-7],                                         # cut short
    lambda k: k.replace(PREFIX, "nl_test_"),                 # another prefix
    lambda k: k[:20] + "!" + k[21:],                          # outside the alphabet
    lambda k: "",
    lambda k: k + "0",
])
def test_anything_but_a_well_formed_key_is_refused_without_a_look_up(change):
    assert not well_formed(change(new_key()))


def test_nothing_is_not_a_key():
    assert not well_formed(None)
