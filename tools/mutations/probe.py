"""Deliberate defects: the ones found by probing the portal from outside (issue 10, part 1). Each
names the rule it breaks and the scenarios that must go red."""
from mutations.common import API, PROJECTS, SIGN_IN, WEBHOOKS, Mutation

PASSWORD = "features/sharing/password_protected_links.feature"
SHARE = "features/sharing/sharing_cuts_with_guests.feature"
LAYERS = "features/api/answers_from_every_layer.feature"

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
    # -- every answer, from every layer
    Mutation("probe-cache-control-default-dropped", "every answer tells caches not to keep it",
             "portal/web/middleware.py", '    (b"cache-control", b"no-store"),\n', "", LAYERS, "carries the safeguards"),
    Mutation("probe-server-header", "no answer names the server software", "portal/app.py",
             '        "server_header": False,', '        "server_header": True,', LAYERS, "carries the safeguards"),
    Mutation("probe-head-unsupported", "HEAD answers what GET answers, without the body", "portal/app.py",
             "    app.add_middleware(HeadAsGetMiddleware)\n", "", LAYERS, "only for the headers"),
    # (no mutation keeps HEAD's body: uvicorn itself never sends a body for HEAD, so it would be
    # equivalent; tests/portal/web/test_middleware.py checks the middleware on its own)
    Mutation("probe-head-is-a-view", "asking only for a share page's headers is not a view", "portal/sharing/guest_router.py",
             "                          viewed=not is_head_request(request.scope))",
             "                          viewed=True)", SHARE, "only asks for the page's headers"),
    Mutation("probe-allow-first-route", "a 405 names every method of the address", "portal/web/errors.py",
             '            headers["Allow"] = ", ".join(allowed_methods(request.app, request.scope))\n', "",
             LAYERS, "naming what the address accepts"),
    Mutation("probe-slash-redirects", "no redirect is built from the Host a caller claims", "portal/app.py",
             "        redirect_slashes=False,", "        redirect_slashes=True,", LAYERS, "trailing slash"),
    # FastAPI serves /docs only beside a document of its own: the defect gives it both
    Mutation("probe-docs-served", "no documentation page that the CSP would break", "portal/app.py",
             "        docs_url=None,\n        redoc_url=None,\n        openapi_url=None,",
             '        redoc_url=None,\n        openapi_url="/openapi-full.json",', LAYERS, "documentation page"),
    # -- names and titles hold nothing that changes what a reader sees
    Mutation("probe-text-c1-allowed", "C1 control characters are refused", "portal/text.py",
             "    if 0x80 <= code <= 0x9F:\n        return \"control character\"\n", "", PROJECTS, "C1 control"),
    Mutation("probe-text-bidi-allowed", "bidirectional controls are refused", "portal/text.py",
             "    if ch in BIDI_CONTROLS:", "    if False:", PROJECTS, "right-to-left|isolate"),
    Mutation("probe-text-titles-multiline", "a name or title holds no line break", "portal/text.py",
             "        if multiline and ch in LINE_BREAKS:", "        if ch in LINE_BREAKS:", PROJECTS, "line break"),
    Mutation("probe-text-ascii-only", "text in any script, with accents and emoji, is kept", "portal/text.py",
             "    if 0x80 <= code <= 0x9F:", "    if 0x80 <= code:", PROJECTS, "kept as typed"),
    # -- the API description shows the administration to studio admins only
    Mutation("probe-openapi-admin-for-all", "the API description lists the administration to studio admins only",
             "portal/web/openapi.py", "served(request.app, is_studio_admin(user))",
             "served(request.app, True)", LAYERS, "API description"),
    Mutation("probe-openapi-admin-for-none", "studio admins see the administration in the API description",
             "portal/web/openapi.py", "served(request.app, is_studio_admin(user))",
             "served(request.app, False)", LAYERS, "API description"),
    Mutation("probe-text-person-name", "a person's name holds nothing that changes what others read",
             "portal/people/router.py",
             "        wrong = text.problem(value)  # others see the name: nothing that changes what they read",
             '        wrong = "A name has no control characters" if any(ord(c) < 32 or ord(c) == 127 for c in value) else None',
             "features/people/invitations.feature", "name holding"),
]
