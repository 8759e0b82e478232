"""Invitations: inviting people, opening and accepting invitations, withdrawing and listing them."""
from behave import given, then, when
from hamcrest import assert_that, contains_string, empty, equal_to, has_entries, has_item, has_length

from support.data.factories import sha256_hex
from support.drivers import audit, people, secrets_at_rest, sessions, text_input
from support.harness import expect
from support.harness.concurrency import all_at_once


def _invite(world, inviter, invitee, org, role) -> None:
    """`inviter` invites `invitee`; the invitation's key becomes the scenario's."""
    if invitee.has_account:
        world.account(invitee)  # as the glossary describes them: the address already has an account
    people.invite(world, sessions.ensure_signed_in(world, inviter), world.actor(invitee), people.ROLES[role],
                  world.tenant(org))
    if world.actor(invitee).persona.has_account:
        return  # an account holder's notice carries no key
    if world.people.has("token"):
        world.people.earlier_token = world.people.token
    world.people.token = people.received_invitation(world, world.actor(invitee))


# -- arranging --------------------------------------------------------------------------------------

@given("{inviter:persona} has invited {invitee:persona} to {org:organisation} as {role:role}")
def step_has_invited(context, inviter, invitee, org, role):
    _invite(context.world, inviter, invitee, org, role)


@given("Bea has invited Uma to Brightside Agency as a guest, and Uma has accepted")
def step_uma_accepted(context):
    world = context.world
    people.invite(world, sessions.ensure_signed_in(world, "Bea"), world.actor("Uma"), "guest",
                  world.tenant("Brightside Agency"))
    people.accept(world, world.actor("Uma"), people.received_invitation(world, world.actor("Uma")), "Uma")


@given("{who:persona}'s invitation was sent {age:duration} ago")
def step_invitation_age(context, who, age):
    people.move_invitations_back(context.world, context.world.actor(who), age.total_seconds() / 60)


@given("a mail scanner has opened Nell's invitation")
def step_scanner(context):
    world = context.world
    expect.answered(world, people.open_invitation(world.client("A mail scanner"), world.people.token), 200,
                    meaning="the invitation to open for the mail scanner")


@given("{who:persona} holds {held:held_invitation}")
def step_holds(context, who, held):
    context.world.people.token = people.HELD_INVITATIONS[held](context.world)


@given("Bea has sent {count:count} invitations, the first of them {age:duration} ago")
def step_sent_many(context, count, age):
    world = context.world
    bea = sessions.ensure_signed_in(world, "Bea")
    for number in range(count):
        address = f"invitee{number}.{world.suffix}@brightside.example"
        expect.answered(world, people.attempt_invite(bea.client, address, "producer", None), 201,
                        meaning=f"Bea's invitation number {number + 1}")
    people.move_invitation_count_back(world, bea, age.total_seconds() / 60, oldest_only=True)


# -- acting -----------------------------------------------------------------------------------------

@when("{inviter:persona} invites {invitee:persona} to {org:organisation} as {role:role}")
def step_invites(context, inviter, invitee, org, role):
    _invite(context.world, inviter, invitee, org, role)


@when("{inviter:persona} tries to invite {invitee:persona} to {org:organisation} as {role:role}")
def step_tries_to_invite(context, inviter, invitee, org, role):
    world = context.world
    client = world.actor(inviter).client
    world.people.reference = people.attempt_invite(client, world.actor(invitee).email, people.ROLES[role],
                                                   people.NEVER_ISSUED_ID)
    world.last_answer = people.attempt_invite(client, world.actor(invitee).email, people.ROLES[role], world.tenant(org))


@when("Bea invites Theo and Nell to Brightside Agency as guests")
def step_invites_two(context):
    world = context.world
    bea, org = sessions.ensure_signed_in(world, "Bea"), world.tenant("Brightside Agency")
    world.account("Theo")
    world.people.answers = [people.attempt_invite(bea.client, world.actor(who).email, "guest", org)
                            for who in ("Theo", "Nell")]


@when("{who:persona} opens her invitation")
def step_opens(context, who):
    world = context.world
    world.last_answer = people.open_invitation(world.actor(who).client, world.people.token)


@when('{who:persona} accepts her invitation as "{name:q}"')
def step_accepts(context, who, name):
    world = context.world
    world.last_answer = people.attempt_accept(world.actor(who).client, world.people.token, name)


@when("{who:persona}'s invitation is accepted {count:count} times at once")
def step_race(context, who, count):
    world = context.world
    browsers = [world.client(f"{who.name}'s browser {n + 1}") for n in range(count)]
    token = world.people.token
    world.people.answers = all_at_once([lambda b=b: people.attempt_accept(b, token, who.name) for b in browsers])


@when("{who:persona} tries to use her invitation")
def step_tries_to_use(context, who):
    world = context.world
    client, never = world.actor(who).client, people.never_issued_token()
    world.people.answers = [people.open_invitation(client, world.people.token),
                            people.attempt_accept(client, world.people.token, who.name),
                            people.open_invitation(client, never),
                            people.attempt_accept(client, never, who.name)]


@when("Bea lists her pending invitations")
def step_lists(context):
    world = context.world
    world.last_answer = people.list_pending(sessions.ensure_signed_in(world, "Bea").client)


@when("Bea withdraws Nell's invitation")
def step_withdraws(context):
    world = context.world
    bea = sessions.ensure_signed_in(world, "Bea")
    world.last_answer = expect.answered(
        world, people.attempt_withdraw(bea.client, people.pending_id(world, bea, world.actor("Nell"))), 204,
        meaning="Bea to withdraw Nell's invitation")


@when("Lena tries to withdraw Nell's invitation")
def step_lena_withdraws(context):
    world = context.world
    client = world.actor("Lena").client
    invitation_id = world.db.execute("SELECT max(id) AS id FROM invitations WHERE lower(email) = lower(%s)",
                                     (world.actor("Nell").email,)).fetchone()["id"]
    world.people.reference = people.attempt_withdraw(client, people.NEVER_ISSUED_ID)
    world.last_answer = people.attempt_withdraw(client, invitation_id)


# -- observing --------------------------------------------------------------------------------------

@then("{invitee:persona} receives an invitation to {org:organisation} as {role:role}, from {inviter:persona}")
def step_receives_invitation(context, invitee, org, role, inviter):
    world = context.world
    email = people.invitation_emails(world, world.actor(invitee), people.INVITATION_EMAIL)
    assert_that(email, has_length(1), f"{invitee.name} should have received one invitation")
    people.token_in(world, email[0])
    assert_that(email[0].text, contains_string(f"{inviter.name} of {inviter.organisation.name} invited you to join "
                                               f"{org.name} on the Northlight Studio client portal, as {role}."))


@then('{who:persona} is told the role is not one they may invite: "{message:q}"')
def step_role_refused(context, who, message):
    world = context.world
    answer = expect.answered(world, world.last_answer, 422, meaning="the role to be refused").json()
    assert_that(answer["error"], has_entries(code="validation_failed", fields=has_entries(role=message)))


@then("the portal answers {who:persona} as if inviting did not exist")
@then("the portal answers {who:persona} as if the invitation did not exist")
def step_as_if_nothing(context, who):
    world = context.world
    expect.answered(world, world.last_answer, 404, meaning="the answer for something that does not exist")
    expect.same_answer(world, world.people.reference, world.last_answer)


@then("the key in Nell's invitation is at least {bits:count} bits long")
def step_key_bits(context, bits):
    assert secrets_at_rest.key_bits(context.world.people.token) >= bits


@then("the portal keeps only a hash of the key in Nell's invitation")
def step_key_hashed(context):
    world = context.world
    token = world.people.token
    assert_that(people.stored_invitation_hashes(world, world.actor("Nell")), has_item(equal_to(sha256_hex(token))))
    assert_that(secrets_at_rest.places_holding(world, token), empty())


@then("{who:persona} sees that {inviter:persona} of {inviter_org:organisation} invited her to {org:organisation} as {role:role}")
def step_sees_preview(context, who, inviter, inviter_org, org, role):
    world = context.world
    preview = expect.answered(world, world.last_answer, 200, meaning=f"{who.name} to see her invitation").json()
    assert_that(preview, has_entries(email=world.actor(who).email, role=people.ROLES[role], organisation=org.name,
                                     invited_by=inviter.name, invited_by_organisation=inviter_org.name))


@then("{who:persona} can still accept her invitation")
def step_can_accept(context, who):
    world = context.world
    people.accept(world, world.actor(who), world.people.token, who.name)


@then("{who:persona} can still open her invitation")
def step_can_open(context, who):
    world = context.world
    expect.answered(world, people.open_invitation(world.actor(who).client, world.people.token), 200,
                    meaning=f"{who.name}'s invitation to still open")


@then("{who:persona} is told the invitation cannot be used")
def step_refused(context, who):
    world = context.world
    expect.refused(world, world.last_answer, 404, "invitation_unavailable", meaning="the invitation to be refused")


def _unusable(world, token: str) -> None:
    expect.refused(world, people.open_invitation(world.actor("Nell").client, token), 404, "invitation_unavailable",
                   meaning="the invitation to be refused")


@then("Nell's earlier invitation cannot be used")
def step_earlier_unusable(context):
    _unusable(context.world, context.world.people.earlier_token)


@then("Nell's invitation cannot be used")
def step_unusable(context):
    _unusable(context.world, context.world.people.token)


@then('{who:persona} is signed in as "{name:q}", {role:role} of {org:organisation}')
def step_signed_in_as(context, who, name, role, org):
    world = context.world
    actor = world.actor(who)
    expect.answered(world, world.last_answer, 201, meaning=f"{who.name}'s invitation to be accepted")
    sessions.remember_session(world, actor.client)
    me = expect.answered(world, sessions.profile(actor.client), 200, meaning=f"{who.name}'s profile").json()
    assert_that(me, has_entries(name=name, email=actor.email, role=people.ROLES[role], tenant=has_entries(name=org.name)))
    actor.user_id = people.accounts_with_address(world, actor)[0]["id"]


@then("the audit log records Nell's first sign-in, through her invitation")
def step_first_sign_in(context):
    world = context.world
    entries = audit.entries(world, "sign_in", world.actor("Nell"))
    assert_that(entries, has_length(1))
    assert_that(entries[0], has_entries(outcome="succeeded", reason="first_sign_in",
                                        details=has_entries(via="invitation")))


@then("exactly one acceptance succeeds and the others are refused")
def step_one_wins(context):
    statuses = sorted(a.status for a in context.world.people.answers)
    assert_that(statuses, equal_to([201] + [404] * (len(statuses) - 1)))


@then("{who:persona} has one account and one session")
def step_one_account(context, who):
    world = context.world
    accounts = people.accounts_with_address(world, world.actor(who))
    assert_that(accounts, has_length(1))
    assert_that(people.live_sessions(world, accounts[0]["id"]), equal_to(1))


@then("she gets the same refusal as for an invitation that never existed, on opening and on accepting")
def step_same_refusal(context):
    world = context.world
    opened, accepted, never_opened, never_accepted = world.people.answers
    for answer in (opened, accepted):
        assert_that(expect.answered(world, answer, 404, meaning="the invitation to be refused").json()["error"]["code"],
                    equal_to("invitation_unavailable"))
    expect.same_answer(world, never_opened, opened)
    expect.same_answer(world, never_accepted, accepted)


@then('Bea\'s pending invitations are: "{listed:q}"')
def step_pending(context, listed):
    world = context.world
    expected = [item.strip() for item in listed.split(",")]
    assert_that(people.pending_summary(world, sessions.ensure_signed_in(world, "Bea")), equal_to(expected))


@then("Bea has no pending invitations")
def step_no_pending(context):
    world = context.world
    assert_that(people.pending_summary(world, sessions.ensure_signed_in(world, "Bea")), empty())


@then("the two answers differ only in the address and the invitation's number")
def step_alike(context):
    world = context.world
    theo, nell = world.people.answers
    for answer in (theo, nell):
        expect.answered(world, answer, 201, meaning="the invitation to be accepted")
    assert_that(sorted(k.lower() for k, _ in theo.response_headers), equal_to(sorted(k.lower() for k, _ in nell.response_headers)))
    ignored = ("id", "email", "created_at", "expires_at")
    same = lambda body: {k: v for k, v in body.items() if k not in ignored}  # noqa: E731
    assert_that(same(theo.json()), equal_to(same(nell.json())))
    assert_that(sorted(theo.json()), equal_to(sorted(nell.json())))


@then("Theo is told he already belongs to Brightside Agency")
def step_theo_told(context):
    world = context.world
    emails = people.invitation_emails(world, world.actor("Theo"), people.EXISTING_ACCOUNT_EMAIL)
    assert_that(emails, has_length(1))
    assert_that(emails[0].subject, contains_string("You already belong to Brightside Agency"))
    assert not [l for l in emails[0].links if people.ACCEPT in l], "the notice carries an invitation link"


@then("Mallory is told she already has an account with Lumen Creative")
def step_mallory_told(context):
    world = context.world
    emails = people.invitation_emails(world, world.actor("Mallory"), people.EXISTING_ACCOUNT_EMAIL)
    assert_that(emails, has_length(1))
    assert_that(emails[0].text, contains_string("You already have an account on the portal, with Lumen Creative"))
    assert not [l for l in emails[0].links if people.ACCEPT in l], "the notice carries an invitation link"


@then("{who:persona} still has one account, as {role:role} of {org:organisation}")
def step_still_one(context, who, role, org):
    world = context.world
    world.account(who)
    accounts = people.accounts_with_address(world, world.actor(who))
    assert_that(accounts, has_length(1))
    assert_that(accounts[0], has_entries(role=people.ROLES[role], organisation=org.name))


@then("Bea is told to wait at most a minute before inviting again")
def step_wait(context):
    world = context.world
    answer = expect.answered(world, world.last_answer, 429, meaning="Bea's invitation to be refused for now")
    assert_that(answer.json()["error"]["code"], equal_to("rate_limited"))
    # the oldest of the 20 leaves the hour a minute after the step that sent it 59 minutes back
    assert 1 <= int(answer.header("Retry-After") or 0) <= 60, f"Retry-After: {answer.header('Retry-After')}"


@then("Bea is told Nell's address gets no email from the portal, because of a hard bounce")
def step_suppressed(context):
    world = context.world
    answer = expect.answered(world, world.last_answer, 409, meaning="the invitation to be refused").json()
    assert_that(answer["error"], has_entries(code="address_suppressed", message=contains_string("hard bounce")))


@when("{who:persona} accepts her invitation with a name holding {character}")
def step_accepts_with_invisible_character(context, who, character):
    world = context.world
    world.last_answer = people.attempt_accept(world.actor(who).client, world.people.token, text_input.holding(character))
