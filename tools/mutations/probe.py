"""Deliberate defects: the ones found by probing the portal from outside (issue 10, part 1). Each
names the rule it breaks and the scenarios that must go red."""
from mutations.common import API, SIGN_IN, WEBHOOKS, Mutation

PASSWORD = "features/sharing/password_protected_links.feature"

MUTATIONS = [
    # -- forms posted from other sites (login CSRF)
    Mutation("probe-csrf-confirm-unchecked", "a sign-in confirmation posted from another site signs nobody in",
             "portal/auth/router.py", "             dependencies=[Depends(same_origin_form)],\n", "",
             SIGN_IN, "another site's page posts"),
    Mutation("probe-csrf-fetch-site-ignored", "a browser's Sec-Fetch-Site cross-site is believed",
             "portal/web/origin.py", "    if fetch_site is not None and fetch_site.strip().lower() not in _TRUSTED_FETCH_SITES:",
             "    if False:", SIGN_IN, "fetch metadata only|sibling"),
    Mutation("probe-csrf-origin-ignored", "a foreign Origin is refused",
             "portal/web/origin.py", "        return origin_of(origin) not in own_origins",
             "        return False", SIGN_IN, "origin only|without an origin"),
    Mutation("probe-csrf-silent-refused", "a client that names no origin is let through (documented decision)",
             "portal/web/origin.py", "    return False\n\n\ndef own_origins", "    return True\n\n\ndef own_origins",
             SIGN_IN, "says nothing"),
    Mutation("probe-csrf-own-origin-refused", "the portal's own page may post its forms",
             "portal/web/origin.py", '    return {o for o in origins if o}', '    return set()',
             SIGN_IN, "own page"),
    Mutation("probe-csrf-unlock-unchecked", "a password form posted from another site is refused",
             "portal/sharing/guest_router.py", "             dependencies=[Depends(same_origin_form)],\n", "",
             PASSWORD, "another site"),
    # -- the per-address limit slows emails, never locks out the holder of a valid link
    Mutation("probe-limit-locks-out-holder", "a refused link request leaves the newest link working",
             "portal/auth/links.py",
             '        audit.record(conn, "sign_in.link_requested", "rate_limited", actor_label=redact_email(normalized))\n',
             '        audit.record(conn, "sign_in.link_requested", "rate_limited", actor_label=redact_email(normalized))\n'
             '        conn.execute("UPDATE sign_in_links SET superseded_at = now() WHERE used_at IS NULL AND superseded_at'
             ' IS NULL AND user_id IN (SELECT id FROM users WHERE lower(email) = %s)", (normalized,))\n',
             SIGN_IN, "never locks out"),
    # -- signed reports the portal cannot store: a clear 400, never a 500
    Mutation("probe-webhook-depth-unlimited", "a report nested beyond 32 levels is refused before parsing",
             "portal/email/events.py", "    if nesting_depth(body) > MAX_DEPTH:", "    if False:",
             WEBHOOKS, "30,000 levels"),
    Mutation("probe-webhook-unstorable-text", "a report holding NUL or half a character is refused",
             "portal/email/events.py", "    if unstorable:", "    if False:", WEBHOOKS, "NUL|half a character"),
    # -- event times far from the present
    Mutation("probe-event-time-unchecked", "a report about an event far from the present is refused",
             "portal/email/webhook_router.py",
             '            check_event_time(report, conn.execute("SELECT now() AS now").fetchone()["now"])\n', "",
             WEBHOOKS, "refused, naming its time|year 1"),
    Mutation("probe-event-time-older-allowed", "30 days is the oldest event a report may be about",
             "portal/email/events.py", "OLDEST_EVENT = timedelta(days=30)", "OLDEST_EVENT = timedelta(days=31)",
             WEBHOOKS, "30 days and 1 hour ago"),
    Mutation("probe-event-time-oldest-refused", "an event 29 days 23 hours ago is still accepted",
             "portal/email/events.py", "OLDEST_EVENT = timedelta(days=30)", "OLDEST_EVENT = timedelta(days=29)",
             WEBHOOKS, "29 days and 23 hours ago"),
    Mutation("probe-event-time-later-allowed", "an hour ahead is the newest event a report may be about",
             "portal/email/events.py", "NEWEST_EVENT = timedelta(hours=1)", "NEWEST_EVENT = timedelta(hours=2)",
             WEBHOOKS, "61 minutes from now"),
    Mutation("probe-event-time-newest-refused", "an event 59 minutes ahead is still accepted",
             "portal/email/events.py", "NEWEST_EVENT = timedelta(hours=1)", "NEWEST_EVENT = timedelta(minutes=58)",
             WEBHOOKS, "59 minutes from now"),
    # -- email administration: malformed values are a clear 4xx, never a 500
    Mutation("probe-suppression-id-loose", "suppression ids are positive whole numbers below 2^63 (422 otherwise)",
             "portal/email/admin_router.py", "def lift_suppression(suppression_id: Id,",
             "def lift_suppression(suppression_id: int,", API, "lift the suppression"),
    Mutation("probe-recipient-control-characters", "a recipient holding a control character is refused, naming it",
             "portal/email/admin_router.py", "max_length=254, pattern=NO_CONTROL_CHARACTERS,", "max_length=254,",
             API, "emails to the address"),
    Mutation("probe-email-id-any-spelling", "an email id is its canonical spelling; any other finds nothing",
             "portal/email/admin_router.py", "    return _CANONICAL_UUID.fullmatch(value) is not None",
             "    import uuid\n    try:\n        uuid.UUID(value)\n    except ValueError:\n        return False\n"
             "    return True", API, "spelled another way"),
    # -- stored reports keep no sign-in key, however the link is spelled
    Mutation("probe-scrubber-plain-only", "keys in percent-encoded and HTML-escaped links are scrubbed too",
             "portal/email/outbox.py", 'r"((?:[?&]|%3F|%26|&amp;)token(?:=|%3D))[A-Za-z0-9_-]{20,}", re.IGNORECASE)',
             'r"([?&]token=)[A-Za-z0-9_-]{20,}")', WEBHOOKS, "click report"),
]
