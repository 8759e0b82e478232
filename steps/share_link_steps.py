"""Share links: owners making, rotating and revoking them; guests opening them; the records kept."""

from behave import given, then, when
from hamcrest import (
    all_of,
    assert_that,
    close_to,
    contains_exactly,
    contains_string,
    empty,
    ends_with,
    equal_to,
    greater_than,
    greater_than_or_equal_to,
    has_entries,
    has_item,
    has_length,
    is_not,
    less_than_or_equal_to,
    none,
    not_none,
    starts_with,
)

from support.data.factories import sha256_hex
from support.drivers import audit, bad_requests, cuts, pages, projects, secrets_at_rest, sessions, sharing
from support.harness import clock, concurrency, expect

JUST_NOW = 60  # seconds: "just now", on the database clock


# -- owners share ------------------------------------------------------------------------------

def _share(context, who, title=None, **body):
    world = context.world
    actor = sessions.ensure_signed_in(world, who)
    return sharing.share(world, actor, projects.the_cut(world, title), **body)


@when("{who:persona} shares the cut")
def step_share(context, who):
    _share(context, who)


@when("{who:persona} shares the cut for {expiry:duration}")
def step_share_for(context, who, expiry):
    _share(context, who, expires_in_hours=sharing.hours_of(expiry))


@when("{who:persona} shares the cut for {expiry:duration}, the number written as {written}")
def step_share_for_written(context, who, expiry, written):
    hours = float(written)  # JSON's 48.0 is the number 48, as JSON Schema's integer says
    assert hours == sharing.hours_of(expiry), f"{written} is not the {expiry} the step names"
    _share(context, who, expires_in_hours=hours)


@when('{who:persona} shares the cut "{title}" for {permission:permission}, with the password "{password}"')
def step_share_with_password(context, who, title, permission, password):
    _share(context, who, title, permission=permission, password=password)


@when('{who:persona} shares the cut again, protected by the password "{password}"')
def step_share_again_with_password(context, who, password):
    _share(context, who, password=password)


@given("{owner:persona} has shared the cut with {guest:persona}, protected by a password of {length:count} characters")
def step_has_shared_with_long_password(context, owner, guest, length):
    _share(context, owner, password=sharing.password_of(length))


@when("{who:persona} tries to share the cut again, protected by a password of {length:count} characters")
def step_try_share_with_long_password(context, who, length):
    world = context.world
    actor = sessions.ensure_signed_in(world, who)
    password = sharing.password_of(length)
    world.remember_secret(password)
    world.last_answer = sharing.attempt_share(actor.client, projects.the_cut(world).id, password=password)


@given("{owner:persona} has shared the cut with {guest:persona}")
@given("{owner:persona} has shared the cut with {guest:persona} again")
@given("{owner:persona} has since shared the cut with {guest:persona} again")
def step_has_shared(context, owner, guest):
    _share(context, owner)


@given("{owner:persona} has shared the cut with {guest:persona} for {permission:permission}")
def step_has_shared_for(context, owner, guest, permission):
    _share(context, owner, permission=permission)


@given('{owner:persona} has shared the cut with {guest:persona}, protected by the password "{password}"')
def step_has_shared_with_password(context, owner, guest, password):
    _share(context, owner, password=password)


@given("{owner:persona} shared the cut with {guest:persona} for {expiry:duration}, {age:duration} ago")
def step_shared_ago(context, owner, guest, expiry, age):
    link = _share(context, owner, expires_in_hours=sharing.hours_of(expiry))
    sharing.move_link_back(context.world, link, age.total_seconds() / 60)


@when("{who:persona} tries to share the cut for {expiry:duration}")
def step_try_share_for(context, who, expiry):
    world = context.world
    actor = sessions.ensure_signed_in(world, who)
    world.last_answer = sharing.attempt_share(actor.client, projects.the_cut(world).id,
                                                 expires_in_hours=sharing.hours_of(expiry))


@then("{who:persona} receives the link, for {permission:permission}, {password_state}")
def step_receives_link(context, who, permission, password_state):
    link = sharing.the_link(context.world)
    assert_that(link.url, starts_with(f"{context.world.base_url}/s/"))
    assert_that(link.created, has_entries(permission=permission, status="live",
                                          password_protected=password_state == "with a password"))


@then("the link expires {expiry:duration} from now")
def step_expires_in(context, expiry):
    world = context.world
    lifetime = sharing.parse_time(sharing.the_link(world).created["expires_at"]) - clock.database_now(world)
    assert_that(lifetime.total_seconds(), close_to(expiry.total_seconds(), JUST_NOW))


@then("{who:persona} is told to choose an expiry between 1 hour and 30 days")
def step_told_expiry_range(context, who):
    world = context.world
    answer = expect.answered(world, world.last_answer, 422, meaning="the expiry to be refused")
    error = answer.json()["error"]
    assert_that(error, has_entries(code="validation_failed", fields=has_entries(expires_in_hours=starts_with(
        "Choose an expiry between 1 hour and 30 days"))))


@then("the cut has no share link")
@then("no share link was made")
def step_no_link(context):
    assert_that(sharing.links_created_since_start(context.world), equal_to(0))


# -- owners look at their links ------------------------------------------------------------------

@when("{who:persona} looks at the links to the cut")
def step_look_at_links(context, who):
    world = context.world
    actor = sessions.ensure_signed_in(world, who)
    world.last_answer = sharing.list_links(actor.client, projects.the_cut(world).id)


@then("{who:persona} sees the link listed without its key")
def step_listed_without_key(context, who):
    world = context.world
    link = sharing.the_link(world)
    listed = expect.answered(world, world.last_answer, 200, meaning="the cut's links").json()["links"]
    assert_that(listed, has_item(has_entries(id=link.id, status="live")))
    assert link.token not in world.last_answer.response_body, "the list shows the link's key again"
    assert "url" not in listed[0], f"the list shows the link's address again: {listed[0]}"


@then("{who:persona} sees that the link was viewed {count:count} times, last just now")
def step_sees_view_count(context, who, count):
    world = context.world
    link = sharing.the_link(world)
    listed = expect.answered(world, world.last_answer, 200, meaning="the cut's links").json()["links"]
    seen = next(item for item in listed if item["id"] == link.id)
    assert_that(seen["view_count"], equal_to(count))
    age = clock.database_now(world) - sharing.parse_time(seen["last_viewed_at"])
    assert_that(age.total_seconds(), close_to(0, JUST_NOW))


@then("the key in the link is at least {bits:count} bits long")
def step_key_bits(context, bits):
    assert_that(secrets_at_rest.key_bits(sharing.the_link(context.world).token), greater_than_or_equal_to(bits))


@then("the portal keeps only a hash of the link's key")
def step_key_hashed(context):
    world = context.world
    link = sharing.the_link(world)
    assert_that(sharing.stored_link_hashes(world, link.cut), has_item(sha256_hex(link.token)))


@then("the link's key itself is kept nowhere in the portal")
def step_key_nowhere(context):
    assert_that(secrets_at_rest.places_holding(context.world, sharing.the_link(context.world).token), empty())


@then("{who:persona} sees the link as revoked by {by:persona}")
def step_sees_revoked(context, who, by):
    seen = sharing.as_seen_by(context.world, context.world.actor(who), sharing.the_link(context.world))
    assert_that(seen, has_entries(status="revoked", revoked_by=by.name, revoked_at=not_none()))


@then("{who:persona} sees the link as expired")
def step_sees_expired(context, who):
    seen = sharing.as_seen_by(context.world, sessions.ensure_signed_in(context.world, who), sharing.the_link(context.world))
    assert_that(seen, has_entries(status="expired", expired_at=not_none()))


@then("{who:persona} sees the first link as expired and the second as live")
def step_sees_first_expired(context, who):
    world = context.world
    actor = sessions.ensure_signed_in(world, who)
    first, second = world.sharing.links
    assert_that(sharing.as_seen_by(world, actor, first), has_entries(status="expired", expired_at=not_none()))
    assert_that(sharing.as_seen_by(world, actor, second), has_entries(status="live", expired_at=none()))


@then("{who:persona} still sees just the one live link to the cut")
def step_one_live_link(context, who):
    world = context.world
    listed = sharing.links_seen_by(world, sessions.ensure_signed_in(world, who), projects.the_cut(world))
    assert_that([(item["id"], item["status"]) for item in listed], equal_to([(sharing.the_link(world).id, "live")]))


@then("the cut has exactly one live link")
def step_exactly_one_live(context):
    world = context.world
    listed = sharing.links_seen_by(world, world.actor(sharing.the_link(world).created["created_by"]), projects.the_cut(world))
    assert_that([item for item in listed if item["status"] == "live"], has_length(1))


# -- revoking and rotating ------------------------------------------------------------------------

@given("{who:persona} has revoked the link")
@given("{who:persona} has revoked the link meanwhile")
def step_has_revoked(context, who):
    sharing.revoke(context.world, sessions.ensure_signed_in(context.world, who), sharing.the_link(context.world))


@when("{who:persona} revokes the link")
def step_revoke(context, who):
    world = context.world
    world.last_answer = sharing.attempt_revoke(sessions.ensure_signed_in(world, who).client, sharing.the_link(world))


@when("{who:persona} tries to rotate the revoked link")
def step_try_rotate(context, who):
    world = context.world
    world.last_answer = sharing.attempt_rotate(sessions.ensure_signed_in(world, who).client, sharing.the_link(world))


@when("{who:persona} rotates the link")
def step_rotate(context, who):
    sharing.rotate(context.world, sessions.ensure_signed_in(context.world, who), sharing.the_link(context.world))


@when("{who:persona} rotates the link from two browser tabs at the same moment")
def step_rotate_race(context, who):
    world = context.world
    client, link = sessions.ensure_signed_in(world, who).client, sharing.the_link(world)
    world.sharing.rotations = concurrency.all_at_once([lambda: sharing.attempt_rotate(client, link)] * 2)


@then("{who:persona} is told that the link is revoked for good")
def step_told_revoked_for_good(context, who):
    world = context.world
    answer = expect.answered(world, world.last_answer, 409, meaning="the rotation to be refused")
    assert_that(answer.json()["error"], has_entries(code="share_link_not_live"))


@then("exactly one of the rotations succeeds, and the other is told the link is revoked for good")
def step_one_rotation_wins(context):
    world = context.world
    statuses = sorted(e.status for e in world.sharing.rotations)
    assert_that(statuses, equal_to([201, 409]), "; ".join(e.summary(world.secrets) for e in world.sharing.rotations))
    winner = next(e for e in world.sharing.rotations if e.status == 201)
    world.sharing.link = sharing.link_from(world, winner, sharing.the_link(world).cut)


@then("the new link allows what the old one allowed, until the same moment")
def step_rotation_keeps_terms(context):
    world = context.world
    old, new = world.sharing.old_link.created, sharing.the_link(world).created
    assert_that(new, has_entries(permission=old["permission"], expires_at=old["expires_at"],
                                 password_protected=old["password_protected"], rotated_from=old["id"]))


@then("the audit log records that {who:persona} revoked the link, just now")
def step_revocation_audited(context, who):
    world = context.world
    expect.answered(world, world.last_answer, 200, meaning=f"{who.name} to revoke the link")
    entries = sharing.revocations(world, world.actor(who), sharing.the_link(world))
    assert_that(entries, has_length(1))
    assert_that(entries[0], has_entries(outcome="succeeded", reason="revoked",
                                        actor_label=audit.masked(world.actor(who).email)))
    age = clock.database_now(world) - entries[0]["occurred_at"]
    assert_that(age.total_seconds(), close_to(0, JUST_NOW))


# -- outsiders -----------------------------------------------------------------------------------

@when("{who:persona} tries to {action:link_action}")
def step_outsider_attempt(context, who, action):
    world = context.world
    world.last_answer = sharing.attempt(world.actor(who).client, action, sharing.the_link(world))
    world.sharing.outsider_action = action


@then("the portal answers {who:persona} as if the cut did not exist")
def step_as_if_no_cut(context, who):
    world = context.world
    sharing.expect_as_if_no_cut(world, world.last_answer, world.actor(who).client, world.sharing.outsider_action,
                                sharing.the_link(world))


# -- guests --------------------------------------------------------------------------------------

def _guest_asks(context, guest, request, link=None):
    world = context.world
    world.sharing.guest_request = request
    world.last_answer = sharing.guest_request(sharing.browser(world, guest), request, link or sharing.the_link(world))


@when("{guest:persona} {request:guest_request}")
def step_guest_request(context, guest, request):
    _guest_asks(context, guest, request)


@when("{guest:persona} opens her old link")
def step_open_old_link(context, guest):
    _guest_asks(context, guest, "opens the share link", context.world.sharing.old_link)


@then("{guest:persona} sees that the cut lasts {length}")
def step_sees_length(context, guest, length):
    """The page shows the cut's length in minutes and seconds beside its version."""
    world = context.world
    expect.answered(world, world.last_answer, 200, meaning=f"the page {guest.name} opened")
    shown = sharing.page_of(world.last_answer).texts.get("version", "")
    assert_that(shown, ends_with(f" · {length}"), "the cut's version and length on the page")


@given("{guest:persona} has opened the link {owner:persona} shared with her")
def step_has_opened(context, guest, owner):
    link = _share(context, owner)
    sharing.view(context.world, guest, link)


@given("{guest:persona} opened the link {owner:persona} shared with her yesterday, and again just now")
def step_opened_yesterday_and_now(context, guest, owner):
    world = context.world
    link = _share(context, owner)
    sharing.view(world, guest, link)
    sharing.move_first_view_back(world, link, 24 * 60)
    sharing.view(world, guest, link)


@given("{guest:persona} is watching the cut through the link")
def step_watching(context, guest):
    world = context.world
    link = sharing.the_link(world)
    browser = sharing.browser(world, guest)
    sharing.expect_cut_shown(world, sharing.open_link(browser, link), link.cut.title, link.cut.version)
    expect.answered(world, sharing.start_video(browser, link), 303, meaning=f"{guest.name}'s player to start")


@when('{guest:persona} opens the share link and enters the password "{password}"')
def step_enter_password(context, guest, password):
    world = context.world
    world.last_answer = sharing.attempt_password(sharing.browser(world, guest), sharing.the_link(world), password)


@when("{guest:persona} opens the share link and enters that password")
def step_enter_that_password(context, guest):
    world = context.world
    link = sharing.the_link(world)
    world.last_answer = sharing.attempt_password(sharing.browser(world, guest), link, link.password)


@given("{attacker:persona} has tried {count:count} wrong passwords on the link in the last 15 minutes")
def step_wrong_passwords(context, attacker, count):
    sharing.wrong_passwords(context.world, attacker, count)


@given("{attacker:persona} tried {count:count} wrong passwords on the link {minutes:count} minutes ago")
def step_wrong_passwords_ago(context, attacker, count, minutes):
    sharing.wrong_passwords(context.world, attacker, count)
    sharing.move_password_failures_back(context.world, sharing.the_link(context.world), minutes)


@given("{guest:persona} holds {kind:dead_share_link}")
def step_holds_dead_link(context, guest, kind):
    sharing.hold_dead_link(context.world, kind)


@then('{guest:persona} sees "{title}", version {version:count}, ready to play')
def step_sees_cut(context, guest, title, version):
    sharing.expect_cut_shown(context.world, context.world.last_answer, title, version)


@then('the new link shows {guest:persona} "{title}", version {version:count}')
def step_new_link_shows(context, guest, title, version):
    world = context.world
    answer = sharing.open_link(sharing.browser(world, guest), sharing.the_link(world))
    sharing.expect_cut_shown(world, answer, title, version)


@then("{guest:persona}'s old link does not work any more")
@then("{guest:persona}'s link still does not work")
def step_old_link_dead(context, guest):
    world = context.world
    link = world.sharing.old_link if world.sharing.has("old_link") else sharing.the_link(world)
    sharing.expect_refused(world, sharing.open_link(sharing.browser(world, guest), link))


@then("none of the links to the cut works any more")
def step_no_link_works(context):
    world = context.world
    browser = world.client("Gina's browser, later", Accept=sharing.BROWSER_ACCEPT)
    for link in world.sharing.links:
        sharing.expect_refused(world, sharing.open_link(browser, link))


@then("{guest:persona}'s player is sent to Mux for this cut, with a signed token that soon expires")
def step_player_sent(context, guest):
    world = context.world
    cuts.expect_mux_address(world, world.last_answer, sharing.the_link(world).cut, "video",
                            meaning=f"{guest.name}'s player to be sent to the video service")


@then("{guest:persona}'s player is sent to Mux for this cut's thumbnail, with a signed token that soon expires")
def step_thumbnail_sent(context, guest):
    world = context.world
    cuts.expect_mux_address(world, world.last_answer, sharing.the_link(world).cut, "thumbnail",
                            meaning=f"{guest.name}'s player to be sent to Mux for the thumbnail")


@then("{guest:persona} is sent to the cut's MP4 file at Mux, with a signed token that soon expires")
def step_sent_to_file(context, guest):
    world = context.world
    cuts.expect_mux_address(world, world.last_answer, sharing.the_link(world).cut, "download",
                            meaning=f"{guest.name} to be sent to the file")


@then("{guest:persona} is offered no download")
def step_no_download_offered(context, guest):
    page = pages.page_of(context.world.last_answer)
    assert_that(page.download, none())
    assert "/download" not in context.world.last_answer.response_body


@then("{guest:persona} is told the link is for watching only")
def step_told_watching_only(context, guest):
    world = context.world
    answer = expect.answered(world, world.last_answer, 403, meaning="the download to be refused")
    assert_that(pages.page_of(answer).heading.strip(), equal_to("This link is for watching only"))


@then("nothing in the answer reveals where the cut's file is stored")
@then("nothing in the answer shows the cut")
def step_nothing_of_the_cut(context):
    world = context.world
    sharing.expect_nothing_of_the_cut(world, world.last_answer, sharing.the_link(world).cut)


@then("{guest:persona} is told the link is not available")
def step_told_unavailable(context, guest):
    sharing.expect_refused(context.world, context.world.last_answer)


@then("{guest:persona} is refused exactly as for a link that never existed")
def step_refused_like_never_existed(context, guest):
    world = context.world
    sharing.expect_refused(world, world.last_answer)
    sharing.expect_same_as_never_existed(world, world.last_answer, world.sharing.guest_request, sharing.the_link(world).cut)


@then("{guest:persona} is asked for the link's password")
def step_asked_for_password(context, guest):
    world = context.world
    expect.answered(world, world.last_answer, 401, meaning="the password page")
    sharing.expect_password_asked(world, world.last_answer)


@then("{guest:persona} is told the password is wrong")
def step_told_wrong_password(context, guest):
    world = context.world
    answer = expect.answered(world, world.last_answer, 401, meaning="the wrong password to be refused")
    assert_that(sharing.expect_password_asked(world, answer).texts, has_entries({"wrong-password": not_none()}))


@then("{guest:persona}'s browser stays let in for {hours:count} hours, on this link only")
def step_stays_let_in(context, guest, hours):
    """The browser keeps the access cookie for that long, sent only to this link's addresses."""
    world = context.world
    link = sharing.the_link(world)
    kept = sharing.access_kept(sharing.browser(world, guest))
    assert_that(kept, contains_exactly(contains_exactly(f"/s/{link.token}", close_to(hours * 3600, JUST_NOW))))


@then("{guest:persona} is told to try again in {minutes:count} {unit}")
def step_told_try_again_in(context, guest, minutes, unit):
    """429; the page says how many minutes (rounded up) and Retry-After the seconds within that minute."""
    world = context.world
    answer = expect.answered(world, world.last_answer, 429, meaning="the link to be locked")
    texts = sharing.expect_password_asked(world, answer).texts
    assert_that(texts.get("locked", ""), contains_string(f"Try again in {minutes} {unit}."))
    seconds = int(answer.header("retry-after") or 0)
    assert_that(seconds, all_of(greater_than(60 * (minutes - 1)), less_than_or_equal_to(60 * minutes)),
                "Retry-After, in seconds")


# -- records -------------------------------------------------------------------------------------

@then("the link's view log holds {count:count} view from {guest:persona}'s browser")
@then("the link's view log holds {count:count} views from {guest:persona}'s browser")
def step_view_log(context, count, guest):
    world = context.world
    expect.answered(world, world.last_answer, 200, meaning=f"{guest.name} to see the cut")
    views = sharing.view_log(world, sharing.the_link(world))
    agent = sharing.browser(world, guest).http.headers["User-Agent"]
    assert_that(views, has_length(count))
    for view in views:
        assert_that(view["user_agent"], equal_to(agent))
        assert_that((clock.database_now(world) - view["viewed_at"]).total_seconds(), close_to(0, JUST_NOW))


@then("the view log keeps {guest:persona}'s network address only as a hash")
def step_address_hashed(context, guest):
    world = context.world
    views = sharing.view_log(world, sharing.the_link(world))
    address = sharing.browser(world, guest).http.headers.get("X-Forwarded-For")
    for view in views:
        assert_that(view["client_hash"], is_not(equal_to(address)))
        assert len(view["client_hash"]) == 64 and int(view["client_hash"], 16) >= 0, view["client_hash"]
    if address:  # live mode: the suite cannot choose its network address
        assert_that(secrets_at_rest.places_holding(world, address), empty())


@then("the portal keeps that password only as an argon2 hash")
def step_password_hashed(context):
    world = context.world
    assert_that(sharing.stored_password_hash(world, sharing.the_link(world)) or "", starts_with("$argon2id$"))


@given("the link's password was kept at another hashing cost than the portal's today")
def step_password_at_earlier_cost(context):
    world = context.world
    world.sharing.earlier_password_hash = sharing.keep_password_at_earlier_cost(world, sharing.the_link(world))


@then("the portal still keeps the link's password as it was hashed then")
def step_password_not_rehashed(context):
    world = context.world
    stored, earlier = sharing.stored_password_hash(world, sharing.the_link(world)), world.sharing.earlier_password_hash
    assert stored == earlier, (f"the link's password was hashed again: it is now kept as {sharing.hash_cost(stored)},"
                               f" it was kept as {sharing.hash_cost(earlier)}")


@then("the password itself is kept nowhere in the portal")
def step_password_nowhere(context):
    assert_that(secrets_at_rest.places_holding(context.world, sharing.the_link(context.world).password), empty())


# -- bad requests --------------------------------------------------------------------------------

@when("{who:persona} asks for a share link with {problem}")
def step_bad_share_request(context, who, problem):
    world = context.world
    world.last_answer = bad_requests.send_bad_share_link_request(world, world.actor(who).client, problem,
                                                          projects.the_cut(world))


@when('{who:persona} sends a request {request} "{id}"')
def step_malformed_id_request(context, who, request, id):
    world = context.world
    world.last_answer = bad_requests.send_malformed_id_request(world.actor(who).client, request, id)


@when("{count:count} guests open the link at the same moment as {who:persona} revokes it")
def step_crowd_races_revocation(context, count, who):
    world = context.world
    owner = sessions.ensure_signed_in(world, who)
    world.last_answer = sharing.crowd_opens_while_revoked(world, owner, sharing.the_link(world), count)


@then("no view of the link is logged after its revocation")
def step_no_view_after_revocation(context):
    assert_that(sharing.views_after_revocation(context.world, sharing.the_link(context.world)), empty())


@when('a page on another site makes {guest:persona}\'s browser enter the password "{password}", {how}')
@when('{guest:persona} enters the password "{password}" on the portal\'s own page, {how}')
def step_password_posted(context, guest, password, how):
    world = context.world
    browser = sharing.browser(world, guest)
    world.last_answer = sharing.post_password(browser, sharing.the_link(world), password, pages.form_origin(browser, how))


@then("{guest:persona}'s browser is still asked for the link's password")
def step_still_asked_for_password(context, guest):
    world = context.world
    world.last_answer = sharing.open_link(sharing.browser(world, guest), sharing.the_link(world))
    expect.answered(world, world.last_answer, 401, meaning="the link to be still locked behind its password")
    sharing.expect_password_asked(world, world.last_answer)


@then("{guest:persona}'s browser is let in to the cut")
def step_let_in(context, guest):
    world = context.world
    expect.answered(world, world.last_answer, 303, meaning="the right password to let the browser in")
    link = sharing.the_link(world)
    sharing.expect_cut_shown(world, sharing.open_link(sharing.browser(world, guest), link), link.cut.title,
                             link.cut.version)


@when("{guest:persona}'s browser asks only for the headers of the share page, then opens it")
def step_head_then_open(context, guest):
    world = context.world
    browser, link = sharing.browser(world, guest), sharing.the_link(world)
    expect.answered(world, browser.request("HEAD", link.path), 200, meaning="the page's headers")
    world.last_answer = sharing.open_link(browser, link)
