"""Deliberate defects: the ones found by probing the portal from outside (issue 10, part 1). Each
names the rule it breaks and the scenarios that must go red."""
from mutations.common import SIGN_IN, Mutation

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
]
