import base64

import pytest

from support.drivers.secrets_at_rest import key_bits

TOKEN = "abcdefghijklmnopqrstuvwxyz0123456789ABCD_-Z"


def test_key_bits():
    assert key_bits(TOKEN) == 256
    assert key_bits(base64.urlsafe_b64encode(b"\x00" * 16).decode().rstrip("=")) == 128
    assert key_bits("") == 0


@pytest.mark.parametrize("bad", ["a", "A" * 42 + "!"])
def test_key_bits_of_something_undecodable_is_zero(bad):
    assert key_bits(bad) == 0
