from portal.sharing.passwords import hash_password, verify_password


def test_a_password_is_stored_as_a_salted_argon2id_hash():
    first, second = hash_password("tide-and-lantern-7"), hash_password("tide-and-lantern-7")
    assert first.startswith("$argon2id$")
    assert "tide-and-lantern-7" not in first
    assert first != second  # a fresh salt each time


def test_the_right_password_matches_and_a_wrong_one_does_not():
    stored = hash_password("tide-and-lantern-7")
    assert verify_password(stored, "tide-and-lantern-7") is True
    assert verify_password(stored, "tide-and-lantern-8") is False
    assert verify_password(stored, "") is False


def test_a_damaged_hash_matches_nothing():
    assert verify_password("not-a-hash", "tide-and-lantern-7") is False
    assert verify_password("$argon2id$v=19$m=65536,t=3,p=4$broken", "tide-and-lantern-7") is False
