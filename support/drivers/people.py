"""The people driver: inviting, opening and accepting invitations, withdrawing and listing them."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from support.evidence import attachments
from support.harness import clock
from support.harness.expect import answered
from support.harness.http import Exchange, PortalClient

INVITATIONS = "/invitations"
ACCEPT = "/invitations/accept"
NEVER_ISSUED_ID = 2**62  # a well-formed id no organisation or invitation of a run ever has
ROLES = {"an admin": "admin", "a producer": "producer", "a guest": "guest",
         "admins": "admin", "producers": "producer", "guests": "guest"}
INVITATION_EMAIL = "invitation"
EXISTING_ACCOUNT_EMAIL = "invitation_existing_account"


# -- attempts: record the answer, never fail -----------------------------------------------------------

def attempt_invite(client: PortalClient, email: str, role: str, organisation_id: int | None) -> Exchange:
    body = {"email": email, "role": role}
    if organisation_id is not None:
        body["organisation_id"] = organisation_id
    return client.post(INVITATIONS, json=body)


def open_invitation(client: PortalClient, token: str) -> Exchange:
    return client.get(ACCEPT, params={"token": token})


def attempt_accept(client: PortalClient, token: str, name: str) -> Exchange:
    return client.post(ACCEPT, json={"token": token, "name": name})


def list_pending(client: PortalClient) -> Exchange:
    return client.get(INVITATIONS)


def attempt_withdraw(client: PortalClient, invitation_id: int) -> Exchange:
    return client.request("DELETE", f"{INVITATIONS}/{invitation_id}")


# -- expecting success ---------------------------------------------------------------------------------

def invite(world, inviter, invitee, role: str, organisation_id: int) -> dict:
    answer = answered(world, attempt_invite(inviter.client, invitee.email, role, organisation_id), 201,
                      meaning=f"{inviter.name} to invite {invitee.name}")
    return answer.json()


def received_invitation(world, actor) -> str:
    """The key of the newest invitation email to the actor; waits for it (bounded)."""
    emails = invitation_emails(world, actor, INVITATION_EMAIL)
    if not emails:
        raise AssertionError(f"{actor.name} received no invitation")
    actor.emails_seen = len(world.run.resend.emails_to(actor.email))
    return token_in(world, emails[-1])


def token_in(world, email) -> str:
    link = next((l for l in email.links if ACCEPT in l), None)
    if link is None:
        raise AssertionError(f"the invitation email ({email.subject!r}) holds no invitation link: {email.links}")
    token = (parse_qs(urlsplit(link).query).get("token") or [""])[0]
    world.remember_secret(token)
    return token


def invitation_emails(world, actor, template: str) -> list:
    world.wait_until_portal_idle()
    emails = [e for e in world.run.resend.emails_to(actor.email) if {"name": "template", "value": template} in e.tags]
    for email in emails:
        attachments.attach_email(world, email)
    return emails


def accept(world, actor, token: str, name: str) -> Exchange:
    return answered(world, attempt_accept(actor.client, token, name), 201, meaning=f"{actor.name} to accept")


def pending_summary(world, inviter) -> list[str]:
    """The inviter's pending invitations as people say them: "Nell as a producer"."""
    answer = answered(world, list_pending(inviter.client), 200, meaning=f"{inviter.name}'s pending invitations")
    names = {a.email.lower(): a.name for a in world._actors.values()}
    phrase = {v: k for k, v in ROLES.items() if k.startswith("a")}
    return [f"{names.get(i['email'].lower(), i['email'])} as {phrase[i['role']]}" for i in answer.json()["invitations"]]


def pending_id(world, inviter, invitee) -> int:
    answer = answered(world, list_pending(inviter.client), 200, meaning=f"{inviter.name}'s pending invitations")
    for invitation in answer.json()["invitations"]:
        if invitation["email"].lower() == invitee.email.lower():
            return invitation["id"]
    raise AssertionError(f"{inviter.name} has no pending invitation for {invitee.name}")


# -- arranging in time and in the database -------------------------------------------------------------

def move_invitations_back(world, actor, minutes: float) -> None:
    moved = clock.move_back(world, "invitations", ("created_at", "expires_at"), minutes,
                            "lower(email) = lower(%s)", (actor.email,))
    assert moved, f"{actor.name} has no invitation to move back in time"


def move_invitation_count_back(world, inviter, minutes: float, oldest_only: bool) -> None:
    """The inviter's invitations counted against the hourly limit, moved back in time.

    The oldest only: it is set to exactly `minutes` before now, however long sending the others
    took (a shift would add that time and make a Retry-After boundary depend on the machine's speed).
    All: each is shifted `minutes` back."""
    bucket = f"invitations:inviter:{inviter.user_id}"
    if oldest_only:
        moved = world.db.execute(
            "UPDATE rate_limit_hits SET hit_at = clock_timestamp() - make_interval(secs => %s)"
            " WHERE id = (SELECT min(id) FROM rate_limit_hits WHERE bucket = %s)", (minutes * 60, bucket)).rowcount
    else:
        moved = clock.move_back(world, "rate_limit_hits", ("hit_at",), minutes, "bucket = %s", (bucket,))
    assert moved, f"{inviter.name} has sent no invitation to move back in time"


def accounts_with_address(world, actor) -> list[dict]:
    rows = world.db.execute(
        "SELECT u.id, u.name, u.role, t.name AS organisation FROM users u JOIN tenants t ON t.id = u.tenant_id"
        " WHERE lower(u.email) = lower(%s)", (actor.email,)).fetchall()
    attachments.attach_rows(world, f"Accounts with {actor.name}'s address", "users", rows)
    return rows


def live_sessions(world, user_id: int) -> int:
    return world.db.execute("SELECT count(*) AS n FROM sessions WHERE user_id = %s AND ended_at IS NULL",
                            (user_id,)).fetchone()["n"]


def stored_invitation_hashes(world, actor) -> list[str]:
    rows = world.db.execute("SELECT token_hash FROM invitations WHERE lower(email) = lower(%s)", (actor.email,)).fetchall()
    return [r["token_hash"] for r in rows]


# -- invitations someone holds that no longer work, and how they came to be -----------------------------

def _invited(world) -> str:
    from support.drivers.sessions import ensure_signed_in

    bea, nell = ensure_signed_in(world, "Bea"), world.actor("Nell")
    invite(world, bea, nell, "producer", world.tenant("Brightside Agency"))
    return received_invitation(world, nell)


def _accepted(world) -> str:
    token = _invited(world)
    accept(world, world.actor("Nell"), token, "Nell")
    return token


def _expired(world) -> str:
    token = _invited(world)
    move_invitations_back(world, world.actor("Nell"), 7 * 24 * 60 + 1)
    return token


def _withdrawn(world) -> str:
    token = _invited(world)
    bea = world.actor("Bea")
    answered(world, attempt_withdraw(bea.client, pending_id(world, bea, world.actor("Nell"))), 204,
             meaning="Bea to withdraw the invitation")
    return token


def _replaced(world) -> str:
    first = _invited(world)
    _invited(world)
    return first


def _cut_short(world) -> str:
    return _invited(world)[:30]


HELD_INVITATIONS = {
    "an invitation she has already accepted": _accepted,
    "an invitation that expired": _expired,
    "an invitation Bea withdrew": _withdrawn,
    "an invitation replaced by a newer one": _replaced,
    "an invitation whose key was cut short": _cut_short,
}


def never_issued_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


# -- suspending and reinstating ------------------------------------------------------------------------

def suspend(client: PortalClient, person_id: int) -> Exchange:
    return client.post(f"/people/{person_id}/suspension")


def reinstate(client: PortalClient, person_id: int) -> Exchange:
    return client.request("DELETE", f"/people/{person_id}/suspension")
