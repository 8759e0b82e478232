"""Deliberate defects: people (invitations). Each names the rule it breaks and the scenarios that must go red."""
from mutations.common import Mutation

INVITATIONS = "features/people/invitations.feature"
RULES = "portal/people/invitations.py"
ROUTER = "portal/people/router.py"

MUTATIONS = [
    # -- rule 1: who invites whom
    Mutation("invite-agency-admin-invites-admins", "an agency's admin invites producers and guests only", RULES,
             "    return Verdict.ALLOWED if role in (Role.PRODUCER, Role.GUEST) else Verdict.ROLE_NOT_ALLOWED",
             "    return Verdict.ALLOWED", INVITATIONS, "may not invite Nell as"),
    Mutation("invite-studio-invites-guests", "a studio admin invites an agency's admins and producers", RULES,
             "        return Verdict.ALLOWED if role in (Role.ADMIN, Role.PRODUCER) else Verdict.ROLE_NOT_ALLOWED",
             "        return Verdict.ALLOWED", INVITATIONS, "may not invite Nell as"),
    Mutation("invite-producers-invite", "nobody but admins invites", RULES,
             "    if inviter.role is not Role.ADMIN or not inviter.is_active:", "    if not inviter.is_active:",
             INVITATIONS, "cannot invite anybody"),
    Mutation("invite-other-agency", "an agency's admin invites into their own agency only", RULES,
             "    if tenant_id != inviter.tenant_id:\n        return Verdict.NOT_FOUND",
             "    if False:\n        return Verdict.NOT_FOUND", INVITATIONS, "cannot invite anybody"),
    # -- rule 2: a key of 256 bits, kept as a hash, for 7 days
    Mutation("invite-short-key", "invitation keys of at least 256 bits", RULES,
             "    token = new_token()\n", "    import secrets; token = secrets.token_urlsafe(16)\n",
             INVITATIONS, "key is long enough"),
    Mutation("invite-plain-key-stored", "only a hash of the key is kept", RULES,
             "        (hash_token(token), tenant_id, address, role.value, inviter.id, settings.invitation_ttl_days,",
             "        (token, tenant_id, address, role.value, inviter.id, settings.invitation_ttl_days,",
             INVITATIONS, "key is long enough"),
    Mutation("invite-longer-life", "an invitation works for 7 days", RULES,
             "        (hash_token(token), tenant_id, address, role.value, inviter.id, settings.invitation_ttl_days,",
             "        (hash_token(token), tenant_id, address, role.value, inviter.id, settings.invitation_ttl_days + 1,",
             INVITATIONS, "An invitation sent"),
    Mutation("invite-shorter-life", "an invitation works for 7 days", "portal/config.py",
             "    invitation_ttl_days: int = 7", "    invitation_ttl_days: int = 6", INVITATIONS, "An invitation sent"),
    Mutation("invite-expiry-ignored", "an expired invitation is refused", RULES,
             'LIVE = ("i.accepted_at IS NULL AND i.withdrawn_at IS NULL AND i.expires_at > now()"',
             'LIVE = ("i.accepted_at IS NULL AND i.withdrawn_at IS NULL"', INVITATIONS, "refused an invitation that expired"),
    # -- rule 3: opening uses nothing up; accepting creates the account, signs in, audits; races give one
    Mutation("invite-opening-uses-up", "opening an invitation uses nothing up", RULES,
             "        if row is not None:\n            return Preview(",
             "        if row is not None:\n"
             "            conn.execute(\"UPDATE invitations SET withdrawn_at = now(), withdrawn_reason = 'withdrawn'\"\n"
             "                         \" WHERE token_hash = %s\", (hash_token(key),))\n"
             "            return Preview(", INVITATIONS, "as often as she likes"),
    Mutation("invite-accept-no-session", "accepting signs the person in", ROUTER,
             "    set_session_cookie(response, request, cfg, accepted.session_id)",
             "    pass  # no session cookie",
             INVITATIONS, "Accepting creates Nell's account"),
    Mutation("invite-first-sign-in-unaudited", "the first sign-in is audited", RULES,
             '    audit.record(conn, "sign_in", "succeeded", actor_label=label, actor_user_id=user.id, tenant_id=user.tenant_id,\n'
             '                 reason="first_sign_in", details={"via": "invitation"})\n', "",
             INVITATIONS, "Accepting creates Nell's account"),
    # the row lock and ON CONFLICT each keep the losers of a race from a second account; without both they crash
    Mutation("invite-accept-race", "racing acceptances give one account and one session, the others refused", RULES,
             '        " FOR UPDATE",\n        (hash_token(key),),\n    ).fetchone()\n    if row is None:\n'
             '        _refuse(conn, key, "accepted")\n        return None\n    created = conn.execute(\n'
             '        "INSERT INTO users (tenant_id, email, name, role) VALUES (%s, %s, %s, %s)"\n'
             '        " ON CONFLICT ((lower(email))) DO NOTHING RETURNING id",\n',
             '        "",\n        (hash_token(key),),\n    ).fetchone()\n    if row is None:\n'
             '        _refuse(conn, key, "accepted")\n        return None\n    created = conn.execute(\n'
             '        "INSERT INTO users (tenant_id, email, name, role) VALUES (%s, %s, %s, %s)"\n'
             '        " RETURNING id",\n', INVITATIONS, "Ten acceptances"),
    # -- rule 4: one refusal for used, expired, withdrawn, replaced, unknown
    Mutation("invite-withdrawn-works", "a withdrawn invitation is refused", RULES,
             'LIVE = ("i.accepted_at IS NULL AND i.withdrawn_at IS NULL AND i.expires_at > now()"',
             'LIVE = ("i.accepted_at IS NULL AND i.expires_at > now()"', INVITATIONS, "refused an invitation Bea withdrew"),
    Mutation("invite-used-opens", "a used invitation is refused", RULES,
             'LIVE = ("i.accepted_at IS NULL AND i.withdrawn_at IS NULL AND i.expires_at > now()"',
             'LIVE = ("i.withdrawn_at IS NULL AND i.expires_at > now()"', INVITATIONS, "already accepted"),
    Mutation("invite-refusal-says-why", "one refusal for every unusable invitation", ROUTER,
             "    if found is None:\n        raise UNAVAILABLE",
             "    if found is None:\n        raise ApiError(404, \"invitation_unavailable\", \"Refused: \" + (token or '')[:3])",
             INVITATIONS, "exactly as an invitation that never existed"),
    # -- rule 5: inviting again replaces; withdraw and list one's own
    Mutation("invite-again-keeps-earlier", "inviting an address again replaces its earlier invitation", RULES,
             "        \"UPDATE invitations SET withdrawn_at = now(), withdrawn_reason = 'invited_again'\"",
             "        \"UPDATE invitations SET withdrawn_at = withdrawn_at\"", INVITATIONS, "Inviting Nell again"),
    Mutation("invite-withdraw-anyones", "only the inviter withdraws an invitation", RULES,
             "        \" WHERE id = %s AND invited_by = %s AND accepted_at IS NULL",
             "        \" WHERE id = %s AND %s > 0 AND accepted_at IS NULL", INVITATIONS, "Lena cannot withdraw"),
    Mutation("invite-withdraw-ignored", "a withdrawn invitation no longer works", RULES,
             "        \"UPDATE invitations SET withdrawn_at = now(), withdrawn_reason = 'withdrawn'\"\n"
             "        \" WHERE id = %s AND invited_by",
             "        \"UPDATE invitations SET withdrawn_reason = 'withdrawn'\"\n"
             "        \" WHERE id = %s AND invited_by", INVITATIONS, "Bea withdraws Nell's invitation"),
    Mutation("invite-list-everyones", "an inviter lists their own pending invitations", RULES,
             '        _SELECT + " WHERE i.invited_by = %s AND i.accepted_at IS NULL',
             '        _SELECT + " WHERE %s > 0 AND i.accepted_at IS NULL', INVITATIONS, "her own pending invitations"),
    Mutation("invite-list-accepted", "pending means not yet accepted", RULES,
             '        _SELECT + " WHERE i.invited_by = %s AND i.accepted_at IS NULL AND i.withdrawn_at IS NULL"',
             '        _SELECT + " WHERE i.invited_by = %s AND i.withdrawn_at IS NULL"', INVITATIONS, "her own pending invitations"),
    # -- rule 6: an existing account: the same answer, no second account, told
    Mutation("invite-existing-enumerable", "an existing account is answered as a new address", RULES,
             "    existing = users.find_by_email(conn, address)\n",
             "    existing = users.find_by_email(conn, address)\n    if existing is not None:\n"
             "        return Suppressed(\"existing_account\")\n", INVITATIONS, "looks the same to Bea"),
    Mutation("invite-existing-not-told", "the existing person is told", RULES,
             "    existing = users.find_by_email(conn, address)\n", "    existing = None\n",
             INVITATIONS, "Inviting Theo|Mallory, who has"),
    # -- rule 7: 20 invitations an hour per inviter
    Mutation("invite-limit-off-by-one", "20 invitations an hour", "portal/config.py",
             "    invitations_per_hour: int = 20", "    invitations_per_hour: int = 21", INVITATIONS, "With 20 invitations sent"),
    Mutation("invite-limit-short-window", "the limit counts the last hour", RULES,
             '[rate_limit.Limit(f"invitations:inviter:{inviter.id}", settings.invitations_per_hour)], 3600)',
             '[rate_limit.Limit(f"invitations:inviter:{inviter.id}", settings.invitations_per_hour)], 3000)',
             INVITATIONS, "With 20 invitations sent"),
    Mutation("invite-limit-shared", "each inviter has a limit of their own", RULES,
             'rate_limit.Limit(f"invitations:inviter:{inviter.id}"', 'rate_limit.Limit(f"invitations:inviter:{inviter.tenant_kind}"',
             INVITATIONS, "Bea's limit is her own"),
    # -- rule 8: a suppressed address is refused, with the reason
    Mutation("invite-suppression-unchecked", "an invitation to a suppressed address is refused", RULES,
             "    reason = suppressions.standing_reason(conn, address)\n", "    reason = None\n",
             INVITATIONS, "gets no email, and why"),
]

SUSPENSION = "features/people/suspension.feature"

MUTATIONS += [
    # -- suspension: who suspends whom
    Mutation("suspend-by-anyone", "only admins suspend", "portal/accounts/suspension.py",
             "    if admin.role is not Role.ADMIN:\n        return None", "    if False:\n        return None",
             SUSPENSION, "cannot suspend"),
    Mutation("suspend-other-agency", "an agency's admin suspends their own agency's people only",
             "portal/accounts/suspension.py",
             '(admin.tenant_kind != "studio" and person.tenant_id != admin.tenant_id)', "False",
             SUSPENSION, "Bea cannot suspend Mallory"),
    # -- suspension ends sessions, sign-in links and invitations sent, for good
    Mutation("suspend-sessions-revived", "reinstating brings back no old session", "portal/app.py",
             '    leaving.on_departure("accounts.end_sessions", sessions.end_all_of)\n', "",
             SUSPENSION, "does not bring back his old session"),
    Mutation("suspend-links-revived", "reinstating brings back no sign-in link", "portal/app.py",
             '    leaving.on_departure("auth.retire_sign_in_links", links.retire_links_of)\n', "",
             SUSPENSION, "sign-in link stays dead"),
    Mutation("suspend-invitations-live", "the invitations a suspended person sent stop working", "portal/app.py",
             '    leaving.on_departure("people.withdraw_invitations_sent", invitations.withdraw_sent_by)\n', "",
             SUSPENSION, "invitations Bea sent"),
    Mutation("suspend-unaudited", "suspending and reinstating are audited", "portal/accounts/suspension.py",
             '    audit.record(conn, "person.suspended" if status is Status.SUSPENDED else "person.reinstated", "succeeded",',
             '    (lambda *a, **k: None)(conn, "person.suspended" if status is Status.SUSPENDED else "person.reinstated", "succeeded",',
             SUSPENSION, "audit log records who suspended"),
]

KEYS = "features/api_access/api_keys.feature"
RATES = "features/api_access/rate_limits.feature"
KEY_RULES = "portal/people/api_keys.py"

MUTATIONS += [
    # -- API keys: made by admins and producers, shown once in the documented format, kept as a hash
    Mutation("key-short", "a key carries 256 random bits", KEY_RULES,
             "    body = PREFIX + secrets.token_urlsafe(32)", "    body = PREFIX + secrets.token_urlsafe(16)",
             KEYS, "Theo makes a key"),
    Mutation("key-checksum-wrong", "a key ends in the CRC32 of the rest, so scanners can check it", KEY_RULES,
             "    return body + checksum(body)", "    return body + checksum(body[::-1])", KEYS, "Theo makes a key"),
    Mutation("key-plain-stored", "only a hash of the key is kept", KEY_RULES,
             "        (user.id, name, hash_token(key), key[-4:]),", "        (user.id, name, key, key[-4:]),",
             KEYS, "Theo makes a key"),
    Mutation("key-last-four-wrong", "keys are listed by their last four characters", KEY_RULES,
             "        (user.id, name, hash_token(key), key[-4:]),", "        (user.id, name, hash_token(key), key[8:12]),",
             KEYS, "may make a key"),
    Mutation("key-guests-make", "guests make no keys", KEY_RULES,
             "MAKERS = (Role.ADMIN, Role.PRODUCER)", "MAKERS = (Role.ADMIN, Role.PRODUCER, Role.GUEST)",
             KEYS, "cannot make a key"),
    Mutation("key-makes-keys", "a key cannot make, list or revoke keys", "portal/people/api_keys_router.py",
             'maker = require_member("admin", "producer", "guest", sessions_only=True)',
             'maker = require_member("admin", "producer", "guest")', KEYS, "A key cannot make another key"),
    Mutation("key-last-use-unrecorded", "a key's last use is shown", KEY_RULES,
             '    conn.execute("UPDATE api_keys SET last_used_at = now() WHERE id = %s", (row["key_id"],))\n', "",
             KEYS, "the use is shown"),
    # -- a key speaks for its maker in the JSON API only; one refusal for every bad key
    Mutation("key-opens-pages", "a key signs nobody in on the portal's pages", "portal/web/router.py",
             "        user = sessions.resolve(conn, session_cookie(request))",
             "        from portal.web.deps import _identify\n        user = _identify(conn, request).user",
             KEYS, "does not sign anyone in on the portal's pages"),
    Mutation("key-revocation-ignored", "a revoked key is refused at once", KEY_RULES,
             "\" WHERE k.key_hash = %s AND k.revoked_at IS NULL AND u.status = 'active'\",",
             "\" WHERE k.key_hash = %s AND u.status = 'active'\",", KEYS, "a key Theo revoked|Revoking a key"),
    Mutation("key-survives-suspension", "reinstating brings back no key", "portal/app.py",
             '    leaving.on_departure("people.revoke_api_keys", api_keys.revoke_keys_of)\n', "",
             KEYS, "does not bring back his key"),
    Mutation("key-revoke-anyones", "only its maker revokes a key", KEY_RULES,
             '        " WHERE id = %s AND user_id = %s AND revoked_at IS NULL RETURNING id",',
             '        " WHERE id = %s AND %s > 0 AND revoked_at IS NULL RETURNING id",', KEYS, "Lena cannot revoke"),
    Mutation("key-other-scheme-ignored", "any Authorization header must carry a live key", "portal/web/deps.py",
             "    if authorization is not None:\n        scheme,",
             "    if authorization is not None and authorization.lower().startswith(\"bearer\"):\n        scheme,",
             KEYS, "instead of Bearer"),
    Mutation("key-name-unchecked", "a key's name holds no invisible characters", "portal/people/api_keys_router.py",
             "        wrong = text.problem(value)  # the organisation's", "        wrong = None  # the organisation's",
             KEYS, "A key's name holding"),
    Mutation("key-name-ascii-only", "a key's name in any script, with accents and emoji, is kept",
             "portal/people/api_keys_router.py",
             "        wrong = text.problem(value)  # the organisation's",
             "        wrong = text.problem(value) or (None if value.isascii() else 'ASCII only')  # the organisation's",
             KEYS, "any script"),
    Mutation("key-scheme-compared-by-order", "a key under any scheme but Bearer is refused, whichever sorts first",
             "portal/web/deps.py", 'if scheme.lower() == "bearer" else None', 'if scheme.lower() >= "bearer" else None',
             KEYS, "instead of Bearer"),
    Mutation("key-logged", "keys never appear in the log", KEY_RULES,
             "    if not well_formed(key):\n        return None\n    row",
             "    if not well_formed(key):\n        import logging; logging.getLogger(\"portal.errors\").warning(\"refused key %s\", key)\n"
             "        return None\n    row", KEYS, "Neither a working nor a refused key"),
    # -- rate limits: 60 a minute per caller, shared by every process, reset when the minute is over
    Mutation("rate-off-by-one", "the 60th request goes through", "portal/auth/api_rate.py",
             "        return self.hits <= self.limit", "        return self.hits < self.limit", RATES, "60th request"),
    Mutation("rate-never-resets", "the count starts afresh once the minute is over", "portal/auth/api_rate.py",
             "   hits = CASE WHEN w.window_start <= now() - make_interval(secs => %(s)s) THEN 1 ELSE w.hits + 1 END",
             "   hits = w.hits + 1", RATES, "60 requests, the first"),
    Mutation("rate-short-window", "the window is a minute", "portal/web/deps.py",
             "API_RATE_WINDOW_SECONDS = 60", "API_RATE_WINDOW_SECONDS = 50", RATES, "60 requests, the first"),
    Mutation("rate-one-budget-for-all", "each caller has a budget of its own", "portal/auth/api_rate.py",
             '{"b": bucket, "s": window_seconds},', '{"b": "everyone", "s": window_seconds},', RATES, "budget of its own"),
    Mutation("rate-per-process", "every portal process counts against one budget", "portal/web/deps.py",
             "        window = api_rate.hit(conn, caller.bucket, request.app.state.settings.api_rate_limit,",
             "        window = api_rate.hit(conn, f\"{caller.bucket}:{id(request.app)}\", request.app.state.settings.api_rate_limit,",
             RATES, "two portal processes"),
    Mutation("rate-health-limited", "the health probes are never limited", "portal/web/budget.py",
             'NOT_COUNTED_PATHS = frozenset({"/", "/health", "/readyz",', 'NOT_COUNTED_PATHS = frozenset({"/",',
             RATES, "health and readiness"),
    Mutation("rate-no-retry-after", "a refused request is told when to come back", "portal/auth/api_rate.py",
             '            headers["Retry-After"] = str(self.reset_seconds)', "            pass", RATES, "61st request"),
    Mutation("rate-fields-missing", "every counted answer carries the RateLimit fields", "portal/web/middleware.py",
             '                rate = (scope.get("state") or {}).get("rate_limit_headers") or {}',
             "                rate = {}", RATES, "60th request"),
    Mutation("rate-sweep-open-windows", "the sweep removes only windows that are over", "portal/auth/api_rate.py",
             '    return conn.execute("DELETE FROM api_rate_windows WHERE window_start <= now() - make_interval(secs => %s)",',
             '    return conn.execute("DELETE FROM api_rate_windows WHERE window_start <= now() + make_interval(secs => %s)",',
             RATES, "The sweep removes"),
]
