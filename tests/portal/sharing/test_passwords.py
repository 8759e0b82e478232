from portal.config import Settings
from portal.sharing.passwords import hash_password, verify_password

PRODUCTION = Settings(database_url="postgresql://unused")
CHEAP = PRODUCTION.with_overrides(password_hash_time_cost=1, password_hash_memory_kib=8, password_hash_parallelism=1)


def test_a_password_is_stored_as_a_salted_argon2id_hash_at_the_configured_cost():
    first, second = hash_password("tide-and-lantern-7", PRODUCTION), hash_password("tide-and-lantern-7", PRODUCTION)
    assert first.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert "tide-and-lantern-7" not in first
    assert first != second  # a fresh salt each time
    assert hash_password("tide-and-lantern-7", CHEAP).startswith("$argon2id$v=19$m=8,t=1,p=1$")


def test_the_right_password_matches_and_a_wrong_one_does_not_whatever_the_cost_it_was_hashed_at():
    for cfg in (PRODUCTION, CHEAP):
        stored = hash_password("tide-and-lantern-7", cfg)
        assert verify_password(stored, "tide-and-lantern-7") is True
        assert verify_password(stored, "tide-and-lantern-8") is False
        assert verify_password(stored, "") is False


def test_a_damaged_hash_matches_nothing():
    assert verify_password("not-a-hash", "tide-and-lantern-7") is False
    assert verify_password("$argon2id$v=19$m=65536,t=3,p=4$broken", "tide-and-lantern-7") is False
