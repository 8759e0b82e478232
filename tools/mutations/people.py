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
             "    response.set_cookie(cfg.session_cookie_name, accepted.session_id,",
             "    response.set_cookie(cfg.session_cookie_name + \"_x\", accepted.session_id,",
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
