"""Deliberate defects: sign in. Each names the rule it breaks and the scenarios that must go red."""
from mutations.common import SIGN_IN, Mutation

MUTATIONS = [
    # -- sign-in rule 1: the same answer for everyone, no waiting, email for active users only
    Mutation("enumeration-answer", "the answer never reveals who has an account", "portal/auth/router.py",
             '    return {"status": "accepted", "message": ACCEPTED_MESSAGE}',
             '    from portal.accounts import users\n'
             '    if users.find_by_email(conn, body.email) is None:\n'
             '        return {"status": "accepted", "message": "No account, but thanks."}\n'
             '    return {"status": "accepted", "message": ACCEPTED_MESSAGE}',
             SIGN_IN, "get the same answer"),
    Mutation("email-suspended", "only active users get an email", "portal/auth/links.py",
             "        if not user.is_active:", "        if False:", SIGN_IN, "get the same answer"),
    Mutation("answer-waits-for-email", "the answer does not wait for the email", "portal/auth/router.py",
             "        decision = links.request_link(conn, cfg, body.email, body.next, client_address(request))\n",
             "        decision = links.request_link(conn, cfg, body.email, body.next, client_address(request))\n"
             "    import time  # answer only once the email queue is empty, i.e. after the provider answered\n"
             "    for _ in range(200):\n"
             "        with db.transaction() as c:\n"
             "            if not c.execute(\"SELECT 1 FROM jobs WHERE status = 'queued' UNION ALL\"\n"
             "                             \" SELECT 1 FROM emails WHERE status = 'queued'\").fetchone():\n"
             "                break\n"
             "        time.sleep(0.1)\n",
             SIGN_IN, "does not wait for the email"),
    # -- rule 2: 256-bit keys, hash only
    Mutation("short-key", "keys of at least 256 bits", "portal/security.py",
             "TOKEN_BYTES = 32", "TOKEN_BYTES = 16", SIGN_IN, "keeps a hash of the key"),
    Mutation("plain-key-stored", "the portal keeps only a hash", "portal/auth/links.py",
             "            (user.id, hash_token(token), safe_next_path", "            (user.id, token, safe_next_path",
             SIGN_IN, "keeps a hash of the key"),
    Mutation("outbox-not-scrubbed", "the key is kept nowhere", "portal/email/outbox.py",
             '    return _SECRET_IN_LINK.sub(r"\\1[redacted]", body)', "    return body",
             SIGN_IN, "keeps a hash of the key"),
    # -- rule 3: once, 15 minutes, newest only
    Mutation("reusable-link", "a link works once", "portal/auth/links.py",
             '_LIVE_LINK = ("l.used_at IS NULL AND l.superseded_at', '_LIVE_LINK = ("l.superseded_at',
             SIGN_IN, "(has been used does not work again|second tab)"),
    Mutation("reusable-on-confirm", "a link works once, also from a saved confirmation page", "portal/auth/links.py",
             '        f" WHERE l.token_hash = %s AND u.id = l.user_id AND {_LIVE_LINK}"',
             '        f" WHERE l.token_hash = %s AND u.id = l.user_id AND {_LIVE_LINK.replace(\'l.used_at IS NULL AND \', \'\')}"',
             SIGN_IN, "second tab"),
    Mutation("never-expires", "a link works within 15 minutes", "portal/auth/links.py",
             'l.superseded_at IS NULL AND l.expires_at > now()"', 'l.superseded_at IS NULL"',
             SIGN_IN, "expires 15 minutes"),
    Mutation("no-supersede", "a new link retires the earlier ones", "portal/auth/links.py",
             '            "UPDATE sign_in_links SET superseded_at = now()"', '            "UPDATE sign_in_links SET superseded_at = NULL"',
             SIGN_IN, "retires the earlier one"),
    Mutation("ttl-ignored", "the link lifetime is configurable", "portal/auth/links.py",
             '        ttl = int(payload.get("ttl_minutes") or settings.sign_in_link_ttl_minutes)', "        ttl = 15",
             SIGN_IN, "longer life"),
    # -- rule 4: GET consumes nothing, POST consumes atomically
    Mutation("get-consumes", "opening a link consumes nothing", "portal/auth/links.py",
             "        if row:\n            return None",
             "        if row:\n            conn.execute(\"UPDATE sign_in_links SET used_at = now() WHERE token_hash = %s\", (hash_token(token),))\n            return None",
             SIGN_IN, "mail scanner"),
    Mutation("racy-consume", "two confirmations give one session", "portal/auth/links.py",
             '    row = conn.execute(\n        "UPDATE sign_in_links l SET used_at = now() FROM users u"\n'
             '        f" WHERE l.token_hash = %s AND u.id = l.user_id AND {_LIVE_LINK}"',
             '    if check_link(conn, token) is not None:\n        return _refuse(conn, token, stage="confirmed")\n'
             '    import time; time.sleep(0.05)\n'
             '    row = conn.execute(\n        "UPDATE sign_in_links l SET used_at = now() FROM users u"\n'
             '        f" WHERE l.token_hash = %s AND u.id = l.user_id"',
             SIGN_IN, "racing for one link"),
    Mutation("expired-says-so", "every bad link gets the same refusal", "portal/auth/router.py",
             '        refused = links.check_link(conn, token) is not None\n    if refused:\n        return _refusal(request)',
             '        why = links.check_link(conn, token)\n    if why is not None:\n        page = _refusal(request)\n'
             '        if why.value == "expired":\n            page.status_code = 410\n        return page',
             SIGN_IN, "refused exactly like a link that never existed"),
    Mutation("suspended-link-works", "a suspended user's link is refused", "portal/auth/links.py",
             '              " AND u.status = \'active\'")', '              "")',
             SIGN_IN, "suspended account holder's unexpired link"),
    Mutation("cookie-script-readable", "session cookie is HttpOnly", "portal/web/deps.py",
             'path="/", httponly=True, samesite="lax"', 'path="/", httponly=False, samesite="lax"', SIGN_IN,
             "out of reach of page scripts"),
    Mutation("cookie-samesite-none", "session cookie is SameSite=Lax", "portal/web/deps.py",
             'httponly=True, samesite="lax", secure=is_https(request))', 'httponly=True, samesite="none", secure=is_https(request))',
             SIGN_IN, "out of reach of page scripts"),
    Mutation("cookie-never-secure", "session cookie is Secure over https", "portal/web/deps.py",
             'samesite="lax", secure=is_https(request))', 'samesite="lax", secure=False)', SIGN_IN, "Over https"),
    Mutation("session-fixation", "the planted session does not survive sign-in", "portal/auth/links.py",
             "    sessions.end(conn, previous_session)", "    pass", SIGN_IN, "planted by an attacker"),
    Mutation("sign-out-client-only", "sign-out ends the session on the server", "portal/auth/router.py",
             "    sessions.end(conn, session_cookie(request))\n    response = Response(status_code=204)",
             "    response = Response(status_code=204)", SIGN_IN, "Signing out ends the session"),
    Mutation("sessions-never-expire", "sessions end 12 hours after sign-in", "portal/accounts/sessions.py",
             " AND s.ended_at IS NULL AND s.expires_at > now() AND", " AND s.ended_at IS NULL AND", SIGN_IN, "A session lasts 12 hours"),
    Mutation("sliding-session", "the session lifetime is absolute", "portal/accounts/sessions.py",
             "    return User.from_row(row) if row else None\n\n\ndef end(",
             "    if row:\n        conn.execute(\"UPDATE sessions SET expires_at = now() + interval '12 hours' WHERE id_hash = %s\", (hash_token(session_id),))\n"
             "    return User.from_row(row) if row else None\n\n\ndef end(", SIGN_IN, "does not stretch a session"),
    Mutation("session-lifetime-ignored", "the session lifetime is configurable", "portal/accounts/sessions.py",
             '        (hash_token(session_id), user_id, lifetime_hours),', '        (hash_token(session_id), user_id, 12),',
             SIGN_IN, "make sessions shorter"),
    Mutation("profile-wrong-tenant", "the user reads who they are", "portal/accounts/router.py",
             "tenant=TenantOut(name=user.tenant_name", 'tenant=TenantOut(name="Northlight Studio"', SIGN_IN, "sees who they are"),
    # -- rule 7: same-origin redirects only
    Mutation("open-redirect", "land only on pages of the portal", "portal/auth/redirects.py",
             "    if not candidate or len(candidate) > MAX_NEXT_LENGTH:", "    return candidate or HOME\n    if not candidate:",
             SIGN_IN, "Having asked to return to"),
    Mutation("backslash-redirect", "backslash tricks land home", "portal/auth/redirects.py",
             ' or "\\\\" in form:', ":", SIGN_IN, "Having asked to return to"),
    # -- rule 8: rate limits
    Mutation("no-address-limit", "5 requests per address per hour", "portal/auth/links.py",
             "settings.rate_limit_per_address),", "settings.rate_limit_per_address * 10),", SIGN_IN, "sixth request"),
    Mutation("address-limit-per-network", "the address limit holds across networks", "portal/auth/links.py",
             'rate_limit.Limit(f"sign-in-link:address:{fingerprint(normalized)}"',
             'rate_limit.Limit(f"sign-in-link:address:{fingerprint(normalized + client_address)}"',
             SIGN_IN, "whichever network"),
    Mutation("no-network-limit", "30 requests per network per hour", "portal/auth/links.py",
             "settings.rate_limit_per_client),", "settings.rate_limit_per_client * 10),", SIGN_IN, "at most 30 links"),
    Mutation("window-too-long", "the limit frees up after the hour", "portal/auth/links.py",
             "        settings.rate_limit_window_minutes * 60,", "        settings.rate_limit_window_minutes * 60 * 24,",
             SIGN_IN, "frees up"),
    Mutation("limited-says-unknown", "limits answered identically for unknown addresses", "portal/auth/router.py",
             '        return error_response(429, "rate_limited", "Too many sign-in link requests. Try again later.",',
             '        from portal.accounts import users\n'
             '        return error_response(429, "rate_limited", "Too many requests." if users.find_by_email(conn, body.email) is None else "Too many sign-in link requests. Try again later.",',
             SIGN_IN, "limited exactly like"),
    # -- rule 9: audit
    Mutation("no-success-audit", "successful sign-ins are audited", "portal/auth/links.py",
             '    audit.record(conn, "sign_in", "succeeded",', '    (lambda *a, **k: None)(conn, "sign_in", "succeeded",',
             SIGN_IN, "successful sign-in is audited"),
    Mutation("audit-full-address", "addresses are masked in the audit log", "portal/auth/links.py",
             '    audit.record(conn, "sign_in", "succeeded", actor_label=redact_email(user.email)',
             '    audit.record(conn, "sign_in", "succeeded", actor_label=user.email', SIGN_IN, "successful sign-in is audited"),
    Mutation("refusal-reason-lost", "refusals are audited with their reason", "portal/auth/links.py",
             "        reason=reason.value,\n        details={\"stage\": stage},", "        reason=None,\n        details={\"stage\": stage},",
             SIGN_IN, "audited with its reason"),
]
