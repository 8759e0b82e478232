"""Who invites whom: the rule as a pure function, walked over every kind of inviter and role."""
import pytest

from portal.accounts.users import Role, Status, User
from portal.people.invitations import LIVE, Verdict, allowed_roles, may_invite

STUDIO, BRIGHTSIDE, LUMEN = 1, 2, 3


def person(role: Role, tenant_id: int, status: Status = Status.ACTIVE) -> User:
    kind = "studio" if tenant_id == STUDIO else "agency"
    return User(id=10, email="x@y.example", name="X", role=role, status=status, tenant_id=tenant_id,
                tenant_name="T", tenant_kind=kind)


@pytest.mark.parametrize("role, verdict", [(Role.ADMIN, Verdict.ALLOWED), (Role.PRODUCER, Verdict.ALLOWED),
                                           (Role.GUEST, Verdict.ROLE_NOT_ALLOWED)])
def test_a_studio_admin_invites_an_agencys_admins_and_producers(role, verdict):
    assert may_invite(person(Role.ADMIN, STUDIO), BRIGHTSIDE, "agency", role) is verdict
    assert may_invite(person(Role.ADMIN, STUDIO), LUMEN, "agency", role) is verdict


def test_a_studio_admin_invites_nobody_into_the_studio_itself():
    assert may_invite(person(Role.ADMIN, STUDIO), STUDIO, "studio", Role.ADMIN) is Verdict.NOT_FOUND


@pytest.mark.parametrize("role, verdict", [(Role.ADMIN, Verdict.ROLE_NOT_ALLOWED), (Role.PRODUCER, Verdict.ALLOWED),
                                           (Role.GUEST, Verdict.ALLOWED)])
def test_an_agency_admin_invites_producers_and_guests_of_their_own_agency(role, verdict):
    assert may_invite(person(Role.ADMIN, BRIGHTSIDE), BRIGHTSIDE, "agency", role) is verdict


@pytest.mark.parametrize("role", list(Role))
def test_an_agency_admin_invites_nobody_into_another_organisation(role):
    assert may_invite(person(Role.ADMIN, LUMEN), BRIGHTSIDE, "agency", role) is Verdict.NOT_FOUND
    assert may_invite(person(Role.ADMIN, LUMEN), STUDIO, "studio", role) is Verdict.NOT_FOUND


@pytest.mark.parametrize("inviter", [person(Role.PRODUCER, BRIGHTSIDE), person(Role.GUEST, BRIGHTSIDE),
                                     person(Role.PRODUCER, STUDIO), person(Role.ADMIN, BRIGHTSIDE, Status.SUSPENDED)])
@pytest.mark.parametrize("role", list(Role))
def test_nobody_else_invites_anybody(inviter, role):
    assert may_invite(inviter, BRIGHTSIDE, "agency", role) is Verdict.NOT_FOUND


def test_the_roles_an_admin_is_told_they_may_invite():
    assert allowed_roles(person(Role.ADMIN, STUDIO)) == (Role.ADMIN, Role.PRODUCER)
    assert allowed_roles(person(Role.ADMIN, BRIGHTSIDE)) == (Role.PRODUCER, Role.GUEST)


def test_a_live_invitation_is_unused_unwithdrawn_unexpired_and_for_a_new_address():
    for condition in ("accepted_at IS NULL", "withdrawn_at IS NULL", "expires_at > now()", "existing_user_id IS NULL"):
        assert condition in LIVE
