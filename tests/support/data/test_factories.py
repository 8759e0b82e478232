import ipaddress

import pytest

import support.data.factories as factories
from support.data.factories import client_address, email_for, sha256_hex, unique_suffix
from support.data.personas import Organisation, Persona

BRIGHTSIDE = Organisation("Brightside Agency", "agency", "brightside.example")
THEO = Persona("Theo", "producer", BRIGHTSIDE, "active", "Agency producer.")
UMA = Persona("Uma", None, None, "none", "A visitor.")
BENCHMARKING = ipaddress.ip_network("198.18.0.0/15")


def test_email_for_uses_the_persona_the_suffix_and_the_organisation_domain():
    assert email_for(THEO, "3fa9c1") == "theo.3fa9c1@brightside.example"


def test_email_for_someone_without_an_organisation():
    assert email_for(UMA, "3fa9c1") == "uma.3fa9c1@example.net"


def test_email_for_with_another_domain():
    assert email_for(THEO, "3fa9c1", domain="lumen.example") == "theo.3fa9c1@lumen.example"


def test_suffixes_make_addresses_unique():
    suffixes = [unique_suffix() for _ in range(50)]
    assert all(len(s) == 6 and int(s, 16) >= 0 for s in suffixes)
    assert len({email_for(THEO, s) for s in suffixes}) == len(set(suffixes))


def test_client_addresses_lie_in_the_benchmarking_range():
    for _ in range(500):
        assert ipaddress.ip_address(client_address()) in BENCHMARKING


def test_client_addresses_are_mostly_unique():
    # drawn at random from about 130 000 addresses: unique in practice, not by construction
    addresses = [client_address() for _ in range(200)]
    assert len(set(addresses)) >= 195


@pytest.mark.parametrize("draw, address", [("low", "198.18.0.1"), ("high", "198.19.255.254")])
def test_client_addresses_stay_inside_the_range_at_its_edges(monkeypatch, draw, address):
    monkeypatch.setattr(factories.secrets, "randbelow", (lambda n: 0) if draw == "low" else (lambda n: n - 1))
    assert client_address() == address
    assert ipaddress.ip_address(address) in BENCHMARKING


def test_sha256_hex():
    assert sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
