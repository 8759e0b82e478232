from support.drivers.people import HELD_INVITATIONS, ROLES


def test_roles_as_people_say_them():
    assert {ROLES["an admin"], ROLES["a producer"], ROLES["a guest"]} == {"admin", "producer", "guest"}
    assert ROLES["guests"] == "guest"


def test_every_unusable_invitation_has_a_way_to_arrange_it():
    assert set(HELD_INVITATIONS) == {
        "an invitation she has already accepted", "an invitation that expired", "an invitation Bea withdrew",
        "an invitation replaced by a newer one", "an invitation whose key was cut short"}
    assert all(callable(arrange) for arrange in HELD_INVITATIONS.values())
