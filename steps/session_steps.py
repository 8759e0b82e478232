"""Sessions: being signed in, who the portal thinks you are, and signing out."""
from behave import given, then, when
from hamcrest import assert_that, empty, equal_to, greater_than_or_equal_to, has_entries, has_item, is_not

from support.data.factories import sha256_hex
from support.drivers import secrets_at_rest, sessions, sign_in
from support.evidence.redaction import redact_header
from support.fixtures import use_portal_configured
from support.harness import expect


@given("{who:persona} is signed in")
def step_is_signed_in(context, who):
    """Fast path for features that are not about signing in: the session is arranged directly
    in the database (works in live mode too). The sign-in feature always uses the real flow."""
    sessions.ensure_signed_in(context.world, who)


@given("{who:persona} signed in {age:duration} ago")
def step_signed_in_ago(context, who, age):
    world = context.world
    world.account(who)
    world.last_answer = sign_in.sign_in(world, world.actor(who))
    sessions.move_sessions_back(context.world, context.world.actor(who), age.total_seconds() / 3600)


@given("{who:persona} looked at {pronoun:pronoun} profile just now")
def step_looked_just_now(context, who, pronoun):
    expect.answered(context.world, sessions.profile(context.world.actor(who).client), 200,
                    meaning=f"{who.name}'s profile")


@given("{hours:count} more hours have passed")
def step_hours_passed(context, hours):
    for actor in context.world.actors_with_accounts():
        sessions.move_sessions_back(context.world, actor, hours)


@given("the portal is configured to end sessions {hours:count} hours after sign-in")
def step_configure_session_life(context, hours):
    use_portal_configured(context, session_lifetime_hours=hours)


@given("{who:persona} reaches the portal over https")
def step_over_https(context, who):
    # the portal sits behind a TLS-terminating proxy, which says so in X-Forwarded-Proto
    context.world.actor(who).client.http.headers["X-Forwarded-Proto"] = "https"


@when("{who:persona} looks at {pronoun:pronoun} profile")
def step_look_at_profile(context, who, pronoun):
    context.world.last_answer = sessions.profile(context.world.actor(who).client)


@then('{who:persona} sees {pronoun:pronoun} name, the role "{role}" and the organisation "{organisation}"')
def step_sees_profile_details(context, who, pronoun, role, organisation):
    world = context.world
    me = expect.answered(world, world.last_answer, 200, meaning=f"{who.name}'s profile").json()
    assert_that(me, has_entries(name=who.name, role=role, email=world.actor(who).email,
                                tenant=has_entries(name=organisation)))


@then("{who:persona} sees {pronoun:pronoun} profile")
def step_sees_profile(context, who, pronoun):
    world = context.world
    me = expect.answered(world, world.last_answer, 200, meaning=f"{who.name}'s profile").json()
    assert_that(me["email"], equal_to(world.actor(who).email))


@then("{who:persona} is asked to sign in again")
def step_asked_to_sign_in(context, who):
    world = context.world
    expect.refused(world, world.last_answer, 401, "not_signed_in", meaning=f"{who.name} to be asked to sign in")


def _session_cookie(context, who) -> tuple[dict[str, str], str]:
    world = context.world
    header = sessions.session_cookie_header(world.last_answer)
    assert header, f"signing in set no session cookie: {world.last_answer.summary(world.secrets)}"
    return sessions.cookie_attributes(header), redact_header("set-cookie", header)


@then("{who:persona}'s session cookie is hidden from page scripts")
def step_cookie_httponly(context, who):
    attributes, header = _session_cookie(context, who)
    assert "httponly" in attributes, (
        f"page scripts can read {who.name}'s session cookie, so a script injected into a page could steal "
        f"the session: the cookie lacks the HttpOnly attribute (Set-Cookie: {header})")


@then("{who:persona}'s session cookie is not sent when another site posts to the portal or loads it in the background")
def step_cookie_samesite(context, who):
    attributes, header = _session_cookie(context, who)
    assert attributes.get("samesite", "").lower() == "lax", (
        f"other sites' posts would carry {who.name}'s session cookie: it should say SameSite=Lax "
        f"(Set-Cookie: {header})")


@then("{who:persona}'s browser keeps the session cookie for {hours:count} hours, no longer")
def step_cookie_lifetime(context, who, hours):
    attributes, header = _session_cookie(context, who)
    assert attributes.get("max-age") == str(hours * 3600), (
        f"{who.name}'s browser should keep the session cookie for {hours} hours, as long as the session "
        f"lasts on the server (Max-Age={hours * 3600}; Set-Cookie: {header})")


@then("{who:persona}'s session cookie is sent over secure connections only")
def step_cookie_secure(context, who):
    attributes, header = _session_cookie(context, who)
    assert "secure" in attributes, (
        f"{who.name}'s session cookie could travel over plain http although the portal is served over https: "
        f"it lacks the Secure attribute (Set-Cookie: {header})")


@then("{who:persona}'s session id is at least {bits:count} bits long")
def step_session_id_bits(context, who, bits):
    session_id = sessions.session_id_in(context.world.actor(who).client)
    assert_that(secrets_at_rest.key_bits(session_id or ""), greater_than_or_equal_to(bits))


@then("the portal keeps only a hash of {who:persona}'s session id")
def step_session_hashed(context, who):
    world = context.world
    actor = world.actor(who)
    session_id = sessions.session_id_in(actor.client)
    assert_that(sessions.stored_session_hashes(world, actor), has_item(equal_to(sha256_hex(session_id))))
    assert_that(secrets_at_rest.places_holding(world, session_id), empty())


@given("{attacker:persona} has planted a session id of her own in {victim:persona}'s browser")
def step_planted_session(context, attacker, victim):
    world = context.world
    world.account(attacker)
    planted = sessions.arranged_session(world, world.actor(attacker))
    world.sign_in.planted_session = planted
    sessions.plant_session_id(world.actor(victim).client, planted)


@then("{who:persona}'s browser holds a new session id")
def step_new_session_id(context, who):
    current = sessions.session_id_in(context.world.actor(who).client)
    assert_that(current, is_not(equal_to(context.world.sign_in.planted_session)))


@then("the planted session id gives no access to the portal")
def step_planted_refused(context):
    world = context.world
    replay = world.client("Mallory's browser")
    sessions.plant_session_id(replay, world.sign_in.planted_session)
    expect.answered(world, sessions.profile(replay), 401, meaning="the planted session id to be refused")


@when("{who:persona} signs out")
def step_sign_out(context, who):
    world = context.world
    client = world.actor(who).client
    world.sign_in.ended_session = sessions.session_id_in(client)
    expect.answered(world, sessions.profile(client), 200, meaning=f"{who.name}'s session to work before signing out")
    expect.answered(world, sessions.sign_out(client), 204, meaning="the sign-out to succeed")


@then("a copy of {who:persona}'s old session cookie is refused")
def step_old_cookie_refused(context, who):
    world = context.world
    replay = world.client(f"A copy of {who.name}'s old cookie")
    sessions.plant_session_id(replay, world.sign_in.ended_session)
    expect.answered(world, sessions.profile(replay), 401, meaning="the ended session to be refused")
