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


# -- the statements that write a scenario's data, against a migrated database of their own (skipped
# without a server): the rows each writes, and that each is one round trip

ADA = Persona("Ada", "admin", Organisation("Northlight Studio", "studio", "northlight.example"), "active", "Admin.")


@pytest.fixture
def conn(harness_db):
    return harness_db


def one(conn, query, *params):
    return conn.conn.execute(query, params).fetchone()


def test_an_account_with_its_tenant_and_session_is_one_statement(conn):
    suffix = unique_suffix()
    session_id = factories.new_session_id()
    tenant_id, user_id = factories.create_account(conn, None, BRIGHTSIDE, suffix, THEO, f"theo.{suffix}@b.example",
                                                  session_id=session_id)
    assert conn.statements == 1
    assert one(conn, "SELECT slug, name, kind FROM tenants WHERE id = %s", tenant_id) == {
        "slug": f"brightside-agency-{suffix}", "name": "Brightside Agency", "kind": "agency"}
    assert one(conn, "SELECT tenant_id, email, name, role, status FROM users WHERE id = %s", user_id) == {
        "tenant_id": tenant_id, "email": f"theo.{suffix}@b.example", "name": "Theo", "role": "producer",
        "status": "active"}
    session = one(conn, "SELECT id_hash, expires_at - created_at AS lasts FROM sessions WHERE user_id = %s", user_id)
    assert session["id_hash"] == sha256_hex(session_id) and session["lasts"].total_seconds() == 12 * 3600


def test_an_account_in_a_tenant_already_written_writes_no_tenant_and_no_session_unless_asked(conn):
    suffix = unique_suffix()
    tenant_id = factories.create_tenant(conn, BRIGHTSIDE, suffix)
    tenants = one(conn, "SELECT count(*) AS n FROM tenants")["n"]
    same, user_id = factories.create_account(conn, tenant_id, BRIGHTSIDE, suffix, THEO, f"theo.{suffix}@b.example",
                                             status="suspended")
    assert same == tenant_id and one(conn, "SELECT count(*) AS n FROM tenants")["n"] == tenants
    assert one(conn, "SELECT status FROM users WHERE id = %s", user_id)["status"] == "suspended"
    assert one(conn, "SELECT count(*) AS n FROM sessions WHERE user_id = %s", user_id)["n"] == 0


def test_users_of_a_crowd_are_one_statement_in_the_order_given(conn):
    suffix = unique_suffix()
    tenant_id = factories.create_tenant(conn, BRIGHTSIDE, suffix)
    emails = [f"producer{i}.{suffix}@b.example" for i in range(3)]
    ids = factories.create_users(conn, tenant_id, THEO, emails, status="active")
    assert conn.statements == 2
    rows = conn.conn.execute("SELECT id, email, role, status FROM users WHERE tenant_id = %s ORDER BY id",
                             (tenant_id,)).fetchall()
    assert [r["email"] for r in rows] == emails and [r["id"] for r in rows] == ids
    assert {(r["role"], r["status"]) for r in rows} == {("producer", "active")}


def test_a_project_with_its_tenant_is_one_statement(conn):
    suffix = unique_suffix()
    tenant_id, project_id = factories.create_project(conn, None, ADA.organisation, suffix, "Tidewater")
    assert conn.statements == 1
    assert one(conn, "SELECT slug FROM tenants WHERE id = %s", tenant_id)["slug"] == f"northlight-studio-{suffix}"
    assert one(conn, "SELECT tenant_id, name, data_residency FROM projects WHERE id = %s", project_id) == {
        "tenant_id": tenant_id, "name": "Tidewater", "data_residency": "anywhere"}
    again, second = factories.create_project(conn, tenant_id, ADA.organisation, suffix, "Harbour")
    assert (again, conn.statements) == (tenant_id, 2) and second != project_id


@pytest.mark.parametrize("residency", ["anywhere", "australia"])
def test_a_cut_in_a_project_of_its_own_with_its_tenant_is_one_statement(conn, residency):
    suffix = unique_suffix()
    row = factories.create_project_with_asset(conn, None, BRIGHTSIDE, suffix, f"Final cut ({suffix})", "Final cut",
                                              3, data_residency=residency)
    assert conn.statements == 1
    project = one(conn, "SELECT tenant_id, name, data_residency FROM projects WHERE id = %s", row["project_id"])
    assert project == {"tenant_id": row["tenant_id"], "name": f"Final cut ({suffix})", "data_residency": residency}
    asset = one(conn, "SELECT title, version, duration_seconds, status, playback_id, mux_asset_id, data_residency,"
                      " public_id::text AS public_id FROM assets WHERE id = %s", row["id"])
    assert asset["playback_id"] == row["playback_id"] and asset["public_id"] == row["public_id"]
    assert len(asset["playback_id"]) == len(asset["mux_asset_id"]) == 32 and asset["playback_id"] != asset["mux_asset_id"]
    assert (asset["title"], asset["version"], asset["duration_seconds"], asset["status"], asset["data_residency"]) == (
        "Final cut", 3, 272.0, "ready", residency)
    assert (row["title"], row["version"], row["data_residency"]) == ("Final cut", 3, residency)
