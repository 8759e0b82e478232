"""Deliberate defects: sharing. Each names the rule it breaks and the scenarios that must go red."""
from mutations.common import EXPIRY, MANAGE, PASSWORD, REVOKE, SHARE, Mutation

MUTATIONS = [
    # -- sharing rule 1: create with expiry, permission, optional password; shown once, kept as a hash
    Mutation("share-default-expiry", "a link lasts 7 days by default", "portal/sharing/policy.py",
             "DEFAULT_EXPIRY_HOURS = 7 * 24", "DEFAULT_EXPIRY_HOURS = 30 * 24", SHARE, "Unless Theo chooses otherwise"),
    Mutation("share-expiry-range", "expiry from 1 hour to 30 days", "portal/sharing/policy.py",
             "    if not MIN_EXPIRY_HOURS <= hours <= MAX_EXPIRY_HOURS:", "    if not MIN_EXPIRY_HOURS <= hours <= MAX_EXPIRY_HOURS * 2:",
             SHARE, "An expiry of .* is refused"),
    Mutation("share-default-download", "a link is for viewing only by default", "portal/sharing/router.py",
             "    permission: Permission = Field(default=Permission.VIEW,", "    permission: Permission = Field(default=Permission.DOWNLOAD,",
             SHARE, "Unless Theo chooses otherwise"),
    Mutation("share-password-dropped", "a link may carry a password", "portal/sharing/router.py",
             "    password_hash = hash_password(body.password, cfg) if body.password is not None else None",
             "    password_hash = None", SHARE, "Ada shares a studio cut"),
    Mutation("share-admins-excluded", "admins create links too", "portal/sharing/router.py",
             'owner = require_member("admin", "producer")', 'owner = require_member("producer")', SHARE, "Ada shares a studio cut"),
    Mutation("share-short-key", "link keys of at least 256 bits", "portal/sharing/links.py",
             "    token = new_token()\n", "    import secrets; token = secrets.token_urlsafe(16)\n",
             SHARE, "keeps only a hash of the link's key"),
    Mutation("share-plain-key-stored", "the portal keeps only a hash of the key", "portal/sharing/links.py",
             "        (asset_id, hash_token(token), permission,", "        (asset_id, token, permission,",
             SHARE, "keeps only a hash of the link's key"),
    # -- rule 2: guests see the cut without signing in; views logged; owners see count and last view
    Mutation("view-not-logged", "every view goes into the view log", "portal/sharing/guest_router.py",
             "        guest.record_view(conn, link, cfg.secret_key,",
             "        (lambda *args, **kwargs: None)(conn, link, cfg.secret_key,", SHARE, "Each view is written"),
    Mutation("view-address-in-clear", "the guest's network address is kept only as a hash", "portal/sharing/guest.py",
             "        (link.id, keyed_fingerprint(secret, client_address), (user_agent or \"\")[:MAX_USER_AGENT]),",
             "        (link.id, client_address, (user_agent or \"\")[:MAX_USER_AGENT]),", SHARE, "Each view is written"),
    Mutation("view-last-is-first", "owners see when the link was last viewed", "portal/sharing/links.py",
             "(SELECT max(v.viewed_at) FROM share_link_views v", "(SELECT min(v.viewed_at) FROM share_link_views v",
             SHARE, "how often the link was viewed"),
    Mutation("guest-needs-account", "guests watch without signing in", "portal/sharing/guest_router.py",
             "        link = _open(conn, request, token)\n        if not isinstance(link, guest.OpenLink):\n            return link\n"
             "        guest.record_view(",
             "        link = _open(conn, request, token)\n        if not isinstance(link, guest.OpenLink) or not request.cookies.get(\"portal_session\"):\n"
             "            return refusal(request)\n        guest.record_view(", SHARE, "Gina watches the cut without an account"),
    Mutation("playback-wrong-video", "the player streams this cut", "portal/sharing/guest.py",
             "make(environment, link.asset.playback_id,", "make(environment, link.asset.public_id,", SHARE, "player streams the cut"),
    # -- rule 8: download only when allowed, never revealing where the file is
    Mutation("download-unchecked", "download only when the link allows it", "portal/sharing/guest_router.py",
             "    if not link.permission.allows_download:", "    if False:", SHARE, "Downloading through a link for viewing only"),
    Mutation("download-refusal-leaks", "a refused download does not reveal the file", "portal/sharing/guest_router.py",
             '        return _page(request, "share_link_no_download.html", status=403, token=token)',
             '        return _page(request, "share_link_no_download.html", status=403, token=token,\n'
             '                     headers={"Location": guest.download_url(link, cfg)})',
             SHARE, "Downloading through a link for viewing only"),
    Mutation("download-offered-anyway", "a view-only page offers no download", "portal/sharing/guest_router.py",
             "download=link.permission.allows_download,", "download=True,", SHARE, "offers no download"),
    # -- rule 3: revoking stops the link at once, mid-review too; audited; never re-enabled
    Mutation("revoke-ignored", "a revoked link is refused", "portal/sharing/links.py",
             'LIVE = "l.revoked_at IS NULL AND l.expired_at IS NULL', 'LIVE = "l.expired_at IS NULL',
             REVOKE, "Gina cannot open a link Theo has revoked"),
    Mutation("revoke-ignored-with-password", "a revoked link is refused, password or not", "portal/sharing/links.py",
             'LIVE = "l.revoked_at IS NULL AND l.expired_at IS NULL', 'LIVE = "l.expired_at IS NULL',
             PASSWORD, "A revoked protected link is refused"),
    Mutation("revoke-cached-lookup", "the next request after a revoke is refused", "portal/sharing/guest_router.py",
             '    """The live link this browser may use now, or the page to answer instead."""\n    link = guest.live_link(conn, token)\n',
             '    """The live link this browser may use now, or the page to answer instead."""\n'
             '    seen = globals().setdefault("_SEEN", {})  # a per-process cache of looked-up links\n'
             '    link = seen.get(token) or guest.live_link(conn, token)\n    if link is not None:\n        seen[token] = link\n',
             REVOKE, "Gina is watching when Theo revokes"),
    Mutation("revoke-not-audited", "revocations are audited", "portal/sharing/links.py",
             '        _audit(conn, user, "share_link.revoked", link_id, asset_id, reason="revoked")', "        pass",
             REVOKE, "records who revoked the link"),
    Mutation("revoke-reversible", "a revoked link is never re-enabled", "portal/sharing/links.py",
             '        f" WHERE l.id = %s AND l.asset_id = %s AND {LIVE}"', '        " WHERE l.id = %s AND l.asset_id = %s"',
             REVOKE, "cannot be brought back by rotating it"),
    # -- rule 4: rotation issues a new link and revokes the old one in one step
    Mutation("rotate-keeps-old", "rotation revokes the old link", "portal/sharing/links.py",
             "\"UPDATE share_links l SET revoked_at = clock_timestamp(), revoked_by = %s, revoked_reason = 'rotated'\"",
             '"UPDATE share_links l SET revoked_by = %s"', REVOKE, "After rotation the new link works"),
    Mutation("rotate-in-two-steps", "rotation is one step: two racing rotations, one new link", "portal/sharing/links.py",
             '    _lock(conn, "l.id = %s AND l.asset_id = %s", (link_id, asset_id))\n'
             '    old = conn.execute(\n'
             '        "UPDATE share_links l SET revoked_at = clock_timestamp(), revoked_by = %s, revoked_reason = \'rotated\'"\n'
             '        f" WHERE l.id = %s AND l.asset_id = %s AND {LIVE}"\n'
             '        " RETURNING l.id, l.permission, l.password_hash, l.expires_at",\n'
             '        (user.id, link_id, asset_id),\n'
             '    ).fetchone()\n',
             '    old = conn.execute(\n'
             '        "SELECT l.id, l.permission, l.password_hash, l.expires_at FROM share_links l"\n'
             '        f" WHERE l.id = %s AND l.asset_id = %s AND {LIVE}", (link_id, asset_id),\n'
             '    ).fetchone()\n'
             '    if old is not None:  # check, then act: two racing rotations both pass the check\n'
             '        import time; time.sleep(0.2)\n'
             '        conn.execute("UPDATE share_links SET revoked_at = now(), revoked_by = %s, revoked_reason = \'rotated\'"\n'
             '                     " WHERE id = %s", (user.id, link_id))\n',
             REVOKE, "Two rotations racing"),
    Mutation("rotate-loses-terms", "the new link keeps permission and expiry", "portal/sharing/links.py",
             '    new_id, token = _insert(conn, asset_id, user, old["permission"], old["password_hash"], "%s",\n'
             '                            (old["expires_at"],), rotated_from=link_id)',
             '    new_id, token = _insert(conn, asset_id, user, "view", old["password_hash"], "now() + interval \'7 days\'",\n'
             '                            (), rotated_from=link_id)',
             REVOKE, "keeps the old link's permission"),
    # -- rule 5: a key never comes back to life
    Mutation("key-revived-by-new-link", "an old key stays dead when the cut is shared again", "portal/sharing/guest.py",
             '        f" WHERE l.token_hash = %s AND {LIVE} AND {NOT_DELETED}"\n',
             '        " WHERE l.token_hash = %s AND EXISTS (SELECT 1 FROM share_links l2 WHERE l2.asset_id = l.asset_id'
             ' AND l2.revoked_at IS NULL AND l2.expired_at IS NULL AND l2.expires_at > now())"\n'
             '        f" AND {NOT_DELETED}"\n',
             REVOKE, "stays dead after Theo shares the cut again"),
    # -- rule 6: one refusal for unknown, expired and revoked
    Mutation("refusal-says-revoked", "a guest cannot tell why a link is refused", "portal/sharing/guest_router.py",
             '    link = guest.live_link(conn, token)\n    if link is None:\n        return refusal(request)\n'
             '    if not guest.is_unlocked(',
             '    link = guest.live_link(conn, token)\n    if link is None:\n        page = refusal(request)\n'
             '        from portal.security import hash_token, looks_like_token\n'
             '        if looks_like_token(token) and conn.execute("SELECT 1 FROM share_links WHERE token_hash = %s'
             ' AND revoked_at IS NOT NULL", (hash_token(token),)).fetchone():\n'
             '            page.status_code = 410\n        return page\n    if not guest.is_unlocked(',
             REVOKE, "refused exactly like a link that never existed"),
    # -- rule 10: deleting a cut revokes its links; hidden, kept for the audit
    Mutation("delete-keeps-links", "deleting a cut revokes its links", "portal/sharing/links.py",
             '    return {"revoked_share_link_ids": revoke_all(conn, removal.by, removal.asset_ids, reason=removal.reason)}',
             '    return {"revoked_share_link_ids": []}', REVOKE, "disappears from its project"),
    Mutation("delete-links-unwired", "deleting a cut revokes its links, wherever it is deleted from", "portal/app.py",
             '    removal.on_removal("share-links.revoke", share_links.revoke_removed)\n', "    pass\n",
             REVOKE, "disappears from its project"),
    Mutation("delete-hides-nothing", "a deleted cut is hidden", "portal/projects/service.py",
             '    conn.execute("UPDATE assets SET deleted_at = now(), deleted_by = %s WHERE id = %s", (user.id, asset_id))\n',
             "", REVOKE, "disappears from its project"),
    # -- rule 7: passwords, lockout, slow hash
    Mutation("password-wrong-accepted", "a wrong password is refused", "portal/sharing/passwords.py",
             "        return _hasher(*_PRODUCTION_COST).verify(password_hash, password)", "        return True",
             PASSWORD, "A wrong password is refused"),
    Mutation("password-not-asked", "a protected link shows nothing before the password", "portal/sharing/guest_router.py",
             "    if not guest.is_unlocked(conn, link, request.cookies.get(ACCESS_COOKIE)):",
             "    if False:", PASSWORD, "Without the password"),
    Mutation("password-no-lockout", "5 wrong passwords lock the link", "portal/sharing/policy.py",
             "LOCKOUT_ATTEMPTS = 5", "LOCKOUT_ATTEMPTS = 50", PASSWORD, "After 5 wrong passwords"),
    Mutation("password-lockout-at-four", "4 wrong passwords do not lock the link", "portal/sharing/policy.py",
             "LOCKOUT_ATTEMPTS = 5", "LOCKOUT_ATTEMPTS = 4", PASSWORD, "4 wrong passwords do not lock"),
    Mutation("password-right-one-unlocks", "a locked link refuses the right password too", "portal/sharing/guest.py",
             "    if not decision.allowed:\n        return Attempt.LOCKED, decision",
             "    if not decision.allowed and not verify_password(link.password_hash, password):\n        return Attempt.LOCKED, decision",
             PASSWORD, "After 5 wrong passwords"),
    Mutation("password-window-hour", "the lockout ends after 15 minutes", "portal/sharing/policy.py",
             "LOCKOUT_WINDOW_SECONDS = 15 * 60", "LOCKOUT_WINDOW_SECONDS = 60 * 60", PASSWORD, "Once the 15 minutes are over"),
    Mutation("password-fast-hash", "passwords are stored with a slow hash", "portal/sharing/passwords.py",
             "    return _hasher(cfg.password_hash_time_cost, cfg.password_hash_memory_kib, cfg.password_hash_parallelism).hash(password)",
             "    import hashlib\n    return hashlib.sha256(password.encode()).hexdigest()",
             PASSWORD, "slow argon2 hash"),
    # -- rule 9: only the cut's own admins and producers manage its links
    Mutation("manage-any-tenant", "other organisations find nothing", "portal/projects/service.py",
             '_VISIBLE_ASSET = f"{_IN_SCOPE} AND', '_VISIBLE_ASSET = f"(%s IS NOT NULL OR %s) AND', MANAGE, "Mallory, signed in"),
    Mutation("manage-guests-too", "guests find nothing", "portal/sharing/router.py",
             'owner = require_member("admin", "producer")', 'owner = require_member("admin", "producer", "guest")',
             MANAGE, "Gina, signed in"),
    Mutation("manage-anonymous-401", "callers who are not signed in find nothing", "portal/web/deps.py",
             "        return _admitted(await _user(request, db, sessions_only), allowed, studio_only)",
             "        return _admitted(await current_user(request, db), allowed, studio_only)",
             MANAGE, "Uma, who is not signed in"),
    # -- rule 11: refused from the expiry on; the sweep marks, idempotently; admins run tasks
    Mutation("expiry-only-by-sweep", "a link past its expiry is refused before the sweep", "portal/sharing/links.py",
             'LIVE = "l.revoked_at IS NULL AND l.expired_at IS NULL AND l.expires_at > now()"',
             'LIVE = "l.revoked_at IS NULL AND l.expired_at IS NULL"', EXPIRY, "A link for 1 hour"),
    Mutation("sweep-does-nothing", "the sweep marks links past their expiry", "portal/sharing/links.py",
             '        " WHERE expired_at IS NULL AND revoked_at IS NULL AND expires_at <= now()"', '        " WHERE false"',
             EXPIRY, "The sweep marks the links"),
    Mutation("sweep-marks-live-links", "the sweep marks only links past their expiry", "portal/sharing/links.py",
             '        " WHERE expired_at IS NULL AND revoked_at IS NULL AND expires_at <= now()"',
             '        " WHERE expired_at IS NULL AND revoked_at IS NULL"', EXPIRY, "The sweep marks the links"),
    Mutation("sweep-not-idempotent", "a second sweep changes nothing", "portal/sharing/links.py",
             '        " WHERE expired_at IS NULL AND revoked_at IS NULL AND expires_at <= now()"',
             '        " WHERE revoked_at IS NULL AND expires_at <= now()"', EXPIRY, "second run of the sweep"),
    Mutation("task-runs-forgotten", "every run is kept in the history", "portal/tasks/service.py",
             '    rows = conn.execute(_RUNS + " WHERE r.task = %s ORDER BY r.started_at DESC, r.id DESC LIMIT %s",',
             '    rows = conn.execute(_RUNS + " WHERE r.task = %s ORDER BY r.started_at DESC, r.id DESC LIMIT 1 + 0 * %s",',
             EXPIRY, "kept in the task's history"),
    Mutation("task-catalogue-grows", "the task catalogue is fully specified", "portal/tasks/registry.py",
             "        run=lambda conn, settings: links.sweep_expired(conn),\n    ),\n",
             "        run=lambda conn, settings: links.sweep_expired(conn),\n    ),\n"
             "    ScheduledTask(name=\"share-links.purge\", description=\"-\", every_minutes=60, run=lambda conn, settings: 0),\n",
             EXPIRY, "scheduled tasks the portal runs are exactly these"),
    Mutation("tasks-open-to-all", "only studio admins see and run tasks", "portal/tasks/router.py",
             'studio_admin = require_member("admin", studio_only=True)', 'studio_admin = require_member("admin", "producer", "guest")',
             EXPIRY, "can neither see nor run"),
]
