"""Asking for sign-in links, following them, and what the portal answers."""
from behave import given, then, when
from hamcrest import assert_that, equal_to, greater_than_or_equal_to, has_item, has_length, is_not, none

from support.data.factories import sha256_hex
from support.drivers import pages, secrets_at_rest, sessions, sign_in
from support.fixtures import use_portal_configured
from support.harness import concurrency, expect

# -- asking for links ---------------------------------------------------------------------

@when("{who:persona} asks for a sign-in link")
def step_ask(context, who):
    world = context.world
    actor = world.actor(who)
    world.last_answer = sign_in.attempt_link_request(world, actor)


@when("{a:persona}, {b:persona} and {c:persona} each ask for a sign-in link")
@when("{a:persona} and {b:persona} each ask for a sign-in link")
def step_each_ask(context, a, b, c=None):
    world = context.world
    world.sign_in.answers = [sign_in.attempt_link_request(world, world.actor(p)) for p in (a, b, c) if p]


@then("the portal tells {who:persona} that a link is on its way if the address has an account")
def step_accepted(context, who):
    answer = expect.answered(context.world, context.world.last_answer, 202, meaning="the request to be accepted")
    assert "if an account exists" in answer.response_body.lower(), answer.summary(context.world.secrets)


@then("the three answers are identical")
@then("the two answers are identical")
def step_identical_answers(context):
    first, *others = context.world.sign_in.answers
    expect.answered(context.world, first, 202, meaning="the request to be accepted")
    for other in others:
        expect.same_answer(context.world, first, other)


@given("{who:persona} has received a sign-in link")
def step_has_link(context, who):
    sign_in.new_link(context.world, context.world.account(who))


@given("{who:persona} has since asked for another sign-in link")
def step_has_another_link(context, who):
    world = context.world
    world.sign_in.earlier_link = world.sign_in.link
    sign_in.new_link(world, world.actor(who))


@given("{who:persona} received a sign-in link {minutes:count} minutes ago")
def step_link_minutes_ago(context, who, minutes):
    sign_in.new_link(context.world, context.world.account(who))
    sign_in.move_links_back(context.world, context.world.actor(who), minutes)


@given('{who:persona} asked for a sign-in link that returns him to "{next_path}"')
@given('{who:persona} asked for a sign-in link that returns her to "{next_path}"')
def step_link_with_next(context, who, next_path):
    sign_in.new_link(context.world, context.world.account(who), next_path=next_path)


@given("{who:persona} holds {kind:held_sign_in_link}")
def step_holds(context, who, kind):
    sign_in.hold(context.world, who, kind)


@given("the portal is configured to let sign-in links live {minutes:count} minutes")
def step_configure_link_life(context, minutes):
    use_portal_configured(context, sign_in_link_ttl_minutes=minutes)

# -- following links ------------------------------------------------------------------------

@given("{who:persona} has signed in with a sign-in link")
@when("{who:persona} signs in with a sign-in link")
def step_sign_in(context, who):
    """The whole flow a person goes through: ask, receive the email, open the link, confirm."""
    world = context.world
    world.account(who)
    world.last_answer = sign_in.sign_in(world, world.actor(who))


@when("{who:persona} follows the link")
@when("{who:persona} follows the same link again")
@when("{who:persona} follows the newer link")
def step_follow(context, who):
    world = context.world
    world.last_answer = sign_in.follow_link(world.actor(who).client, world.sign_in.link)


@when("{who:persona} follows the earlier link")
def step_follow_earlier(context, who):
    world = context.world
    world.last_answer = sign_in.follow_link(world.actor(who).client, world.sign_in.earlier_link)


@when("{who:persona} opens the link")
def step_open(context, who):
    world = context.world
    world.last_answer = sign_in.open_link(world.actor(who).client, world.sign_in.link)


@given("{who:persona} has opened {pronoun:pronoun} sign-in link in two browser tabs")
def step_two_tabs(context, who, pronoun):
    world = context.world
    link = sign_in.new_link(world, world.account(who))
    client = world.actor(who).client
    world.sign_in.tabs = [expect.answered(world, sign_in.open_link(client, link), 200,
                                          meaning="the confirmation page") for _ in range(2)]


@given("{who:persona} has confirmed the sign-in in the first tab")
def step_confirm_first_tab(context, who):
    world = context.world
    expect.answered(world, sign_in.confirm(world.actor(who).client, world.sign_in.tabs[0]), 303,
                    meaning=f"{who.name} to be signed in")


@when("{who:persona} confirms the sign-in in the second tab")
def step_confirm_second_tab(context, who):
    world = context.world
    world.last_answer = sign_in.confirm(world.actor(who).client, world.sign_in.tabs[1])


@given("a mail scanner has opened the link twice")
def step_scanner(context):
    world = context.world
    scanner = world.client("Mail scanner")
    for _ in range(2):
        expect.answered(world, sign_in.open_link(scanner, world.sign_in.link), 200,
                        meaning="the scanner to see the confirmation page")


@then("{who:persona} is asked to confirm the sign-in")
def step_asked_to_confirm(context, who):
    page = expect.answered(context.world, context.world.last_answer, 200, meaning="the confirmation page")
    assert_that(pages.first_form(page), is_not(none()), "the page shows no confirmation form")


@then("{who:persona} is signed in")
def step_signed_in(context, who):
    world = context.world
    expect.answered(world, world.last_answer, 303, meaning=f"{who.name} to be signed in")
    sessions.remember_session(world, world.actor(who).client)
    me = expect.answered(world, sessions.profile(world.actor(who).client), 200, meaning=f"{who.name}'s profile")
    assert_that(me.json()["email"], equal_to(world.actor(who).email))


@then("{who:persona} is not signed in")
def step_not_signed_in(context, who):
    world = context.world
    expect.answered(world, sessions.profile(world.actor(who).client), 401, meaning=f"{who.name} to be signed out")


@then("the sign-in is refused")
def step_refused(context):
    sign_in.expect_refusal(context.world, context.world.last_answer)


@then("the sign-in is refused with the same answer as for a link that never existed")
def step_refused_like_unknown(context):
    world = context.world
    refusal = sign_in.expect_refusal(world, world.last_answer)
    reference = sign_in.follow_link(world.client("Reference browser"), sign_in.forged_link(world))
    expect.same_answer(world, reference, refusal)


# -- racing confirmations -------------------------------------------------------------------

@when("the link is confirmed from {count:count} browsers at the same moment")
def step_race(context, count):
    world = context.world
    token = sign_in.token_of(world.sign_in.link)
    browsers = [world.client(f"Browser {i + 1}") for i in range(count)]
    outcomes = concurrency.all_at_once([lambda b=b: sign_in.confirm_token(b, token) for b in browsers])
    world.sign_in.race = list(zip(browsers, outcomes))


@given("{count:count} account holders have each received a sign-in link")
def step_many_links(context, count):
    world = context.world
    world.sign_in.crowd = sign_in.crowd_with_links(world, count)


@when("all {count:count} confirm their links at the same moment")
def step_crowd_confirms(context, count):
    crowd = context.world.sign_in.crowd
    assert len(crowd) == count, f"{len(crowd)} people hold links, not {count}"
    outcomes = concurrency.all_at_once([lambda p=p: sign_in.confirm_token(p.client, p.token) for p in crowd])
    context.world.sign_in.crowd_outcomes = outcomes


@then("all {count:count} are signed in, each as themselves")
def step_crowd_signed_in(context, count):
    world = context.world
    crowd, outcomes = world.sign_in.crowd, world.sign_in.crowd_outcomes
    failed = [(p.email, o.status) for p, o in zip(crowd, outcomes) if o.status != 303]
    assert not failed, f"{len(failed)} of {count} confirmations did not sign in: {failed[:5]}"
    for person in crowd:
        sessions.remember_session(world, person.client)
        me = expect.answered(world, sessions.profile(person.client), 200, meaning=f"{person.email}'s profile")
        assert_that(me.json()["email"], equal_to(person.email))


@then("exactly one browser is signed in as {who:persona}")
def step_one_winner(context, who):
    world = context.world
    winners = [(b, e) for b, e in world.sign_in.race if e.status == 303]
    assert_that(winners, has_length(1), f"{len(winners)} of {len(world.sign_in.race)} confirmations signed in")
    browser, _ = winners[0]
    sessions.remember_session(world, browser)
    me = expect.answered(world, sessions.profile(browser), 200, meaning="the winner's profile")
    assert_that(me.json()["email"], equal_to(world.actor(who).email))


@then("the other {count:count} get the refusal")
def step_others_refused(context, count):
    world = context.world
    losers = [e for _, e in world.sign_in.race if e.status != 303]
    assert_that(losers, has_length(count))
    for exchange in losers:
        sign_in.expect_refusal(world, exchange)


# -- the key ----------------------------------------------------------------------------------

@then("the key in {who:persona}'s sign-in link is at least {bits:count} bits long")
def step_key_length(context, who, bits):
    world = context.world
    link = sign_in.receive_link(world, world.actor(who))
    world.sign_in.link = link
    assert_that(secrets_at_rest.key_bits(sign_in.token_of(link)), greater_than_or_equal_to(bits))


@then("the portal keeps only a hash of that key")
def step_hash_stored(context):
    world = context.world
    token = sign_in.token_of(world.sign_in.link)
    assert_that(sign_in.stored_link_hashes(world), has_item(equal_to(sha256_hex(token))))


@then("the key itself is kept nowhere in the portal")
def step_key_nowhere(context):
    world = context.world
    world.wait_until_portal_idle()
    token = sign_in.token_of(world.sign_in.link)
    assert_that(secrets_at_rest.places_holding(world, token), has_length(0))


# -- landing after sign-in --------------------------------------------------------------------

@then('{who:persona} lands on "{path}"')
def step_lands_on(context, who, path):
    world = context.world
    outcome = expect.answered(world, world.last_answer, 303, meaning=f"{who.name} to be signed in and sent on")
    assert_that(outcome.header("location"), equal_to(path))


# -- rate limits --------------------------------------------------------------------------------

@given("{who:persona} has asked for {count:count} sign-in links in the last hour")
def step_asked_n_times(context, who, count):
    sign_in.asked_for_links(context.world, who, count)


@given("{count:count} sign-in links for {who:persona}'s address have been asked for from {networks:count} different networks in the last hour")
def step_asked_from_networks(context, count, who, networks):
    world = context.world
    actor = world.account(who)
    for i in range(count):
        network = world.client(f"{who.name}'s device {i % networks + 1}")
        sign_in.request_link(world, actor, client=network)


@given("{a:persona} and {b:persona} have each asked for {count:count} sign-in links in the last hour")
def step_both_asked_n_times(context, a, b, count):
    for who in (a, b):
        sign_in.asked_for_links(context.world, who, count)


@given("{who:persona} asked for {count:count} sign-in links more than an hour ago")
def step_asked_long_ago(context, who, count):
    sign_in.asked_for_links(context.world, who, count)
    sign_in.move_link_requests_back(context.world, minutes=61)


@given("{who:persona} asked for {count:count} sign-in links, the first of them {age:duration} ago")
def step_asked_first_ago(context, who, count, age):
    """The person asked for COUNT links (all accepted); the first of them is moved AGE into the past."""
    sign_in.asked_for_links(context.world, who, count)
    sign_in.move_first_link_request_back(context.world, minutes=age.total_seconds() / 60)


@then("the portal asks {who:persona} to wait at most a minute, until the first request is an hour old")
def step_asked_to_wait_a_minute(context, who):
    """429 with a Retry-After of at most 60 seconds: the time until the oldest counted request leaves the hour."""
    sign_in.expect_asked_to_wait_at_most(context.world, context.world.last_answer, 60)


@given("{count:count} sign-in links for different addresses have been asked for from {who:persona}'s network in the last hour")
def step_network_busy(context, count, who):
    world = context.world
    actor = world.actor(who)
    for i in range(count):
        sign_in.request_link(world, actor, email=f"visitor{i}.{world.suffix}@example.net")


@when("{who:persona} asks for a sign-in link for {whose:persona}'s address from the same network")
def step_ask_for_other(context, who, whose):
    world = context.world
    world.last_answer = sign_in.attempt_link_request(world, world.actor(who), email=world.actor(whose).email)


@given("{who:persona} has been turned away asking for one more sign-in link for {whose:persona}'s address")
def step_turned_away_for_other(context, who, whose):
    world = context.world
    world.wait_until_portal_idle()  # the links asked for so far are issued and on their way
    sign_in.expect_rate_limited(world, sign_in.attempt_link_request(world, world.actor(who), email=world.actor(whose).email))


@when("{who:persona} follows the newest sign-in link {subject:subject} received")
def step_follow_newest(context, who, subject):
    world = context.world
    actor = world.actor(who)
    world.sign_in.link = sign_in.newest_link(world, actor)
    world.last_answer = sign_in.follow_link(actor.client, world.sign_in.link)


@then("the portal asks {who:persona} to wait before trying again")
def step_asked_to_wait(context, who):
    sign_in.expect_rate_limited(context.world, context.world.last_answer)


@then("the portal asks both to wait, with identical answers")
def step_both_wait(context):
    world = context.world
    first, second = world.sign_in.answers
    sign_in.expect_rate_limited(world, first)
    sign_in.expect_rate_limited(world, second)
    expect.same_answer(world, first, second)


# -- forms posted from other sites (login CSRF) ------------------------------------------------

@when("a page on another site makes {victim:persona}'s browser confirm the sign-in link {owner:persona} received, {how}")
def step_cross_site_confirm(context, victim, owner, how):
    world = context.world
    client = world.actor(victim).client
    world.last_answer = sign_in.confirm_token(client, sign_in.token_of(world.sign_in.link), pages.form_origin(client, how))


@when("{who:persona} confirms {pronoun:pronoun} sign-in link on the portal's own page, {how}")
def step_own_page_confirm(context, who, pronoun, how):
    world = context.world
    client = world.actor(who).client
    world.last_answer = sign_in.confirm_token(client, sign_in.token_of(world.sign_in.link), pages.form_origin(client, how))


@then("the portal refuses the form as one posted from another site")
def step_refused_cross_site(context):
    world = context.world
    problem = pages.refused_as_cross_site(world.last_answer)
    assert problem is None, f"{problem}: {world.last_answer.summary(world.secrets)}"


@then("{who:persona} can still sign in with that link")
def step_link_still_works(context, who):
    world = context.world
    world.last_answer = sign_in.follow_link(world.client(f"{who.name}'s own browser"), world.sign_in.link)
    expect.answered(world, world.last_answer, 303, meaning=f"{who.name}'s unused link to sign her in")
