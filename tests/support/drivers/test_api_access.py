from portal.people import api_keys
from support.drivers.api_access import CALLERS, HELD_KEYS, checksum, in_key_format, never_issued_key, random_bits


def test_the_specification_reads_keys_as_the_readme_documents_them():
    key = api_keys.new_key()
    assert in_key_format(key) and random_bits(key) == 256
    assert checksum(key[:-6]) == api_keys.checksum(key[:-6])
    assert in_key_format(never_issued_key())
    assert not in_key_format(key[:-1] + ("A" if key[-1] != "A" else "B"))


def test_catalogues():
    assert "a key Theo revoked" in HELD_KEYS and all(callable(f) for f in HELD_KEYS.values())
    assert set(CALLERS) == {"Theo's system", "Theo's browser", "Uma's browser"}
