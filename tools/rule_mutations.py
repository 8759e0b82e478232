"""Break each business rule in the portal, one at a time, and check that the scenarios guarding
it go red. A scenario that stays green while its rule is broken guards nothing.

    ./dev python tools/rule_mutations.py              # every mutation
    ./dev python tools/rule_mutations.py consume-once  # only those whose id contains this text

Each mutation is applied to a scratch copy of the repository (the working tree is never
touched) and the named scenarios are run there with behave. Exit status 1 if any mutation
survives (its scenarios all pass) or no longer applies (the code it patches has changed).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIGN_IN = "features/auth/magic_link_sign_in.feature"
HEALTH = "features/operations/health_and_readiness.feature"
API = "features/api/bad_requests.feature"
EMAIL = "features/email"
DELIVERY = f"{EMAIL}/delivery.feature"
WEBHOOKS = f"{EMAIL}/webhooks.feature"
BOUNCES = f"{EMAIL}/bounces.feature"

_STUDIO_ADMINS_ONLY = 'studio_admin = require_member("admin", studio_only=True)'
_ANY_PRODUCER_TOO = 'studio_admin = require_member("admin", "producer")'
SHARING = "features/sharing"
SHARE = f"{SHARING}/sharing_cuts_with_guests.feature"
REVOKE = f"{SHARING}/revoking_share_links.feature"
PASSWORD = f"{SHARING}/password_protected_links.feature"
MANAGE = f"{SHARING}/who_manages_share_links.feature"
EXPIRY = f"{SHARING}/link_expiry.feature"
PROJECTS = "features/projects/projects_and_cuts.feature"


@dataclass(frozen=True)
class Mutation:
    id: str
    rule: str
    file: str
    old: str
    new: str
    feature: str
    scenario: str  # a regular expression for behave --name


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
    Mutation("cookie-script-readable", "session cookie is HttpOnly", "portal/auth/router.py",
             "        httponly=True,", "        httponly=False,", SIGN_IN, "out of reach of page scripts"),
    Mutation("cookie-samesite-none", "session cookie is SameSite=Lax", "portal/auth/router.py",
             '        samesite="lax",\n        secure=is_https(request),', '        samesite="none",\n        secure=is_https(request),',
             SIGN_IN, "out of reach of page scripts"),
    Mutation("cookie-never-secure", "session cookie is Secure over https", "portal/auth/router.py",
             "        secure=is_https(request),\n    )\n    return response", "        secure=False,\n    )\n    return response",
             SIGN_IN, "Over https"),
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
    # -- readiness and bad requests
    Mutation("ready-without-database", "no database: unavailable", "portal/health/router.py",
             '        overall, code = "unavailable", 503', '        overall, code = "ok", 200', HEALTH, "cannot reach its database is unavailable"),
    Mutation("ready-without-email", "no email provider: degraded", "portal/email/delivery.py",
             '        return "not_configured"', '        return "up"', HEALTH, "no email provider configured"),
    Mutation("unreachable-not-noticed", "unreachable provider: degraded", "portal/email/delivery.py",
             '    if row and row["last_error_kind"] in ("network", "unavailable"):', "    if False:", HEALTH, "cannot be reached is degraded"),
    Mutation("readiness-leaks-url", "readiness shows no secrets", "portal/health/router.py",
             '        checks["database"] = {"status": "down"}', '        checks["database"] = {"status": "down", "url": settings.database_url}',
             HEALTH, "cannot reach its database is unavailable"),
    Mutation("liveness-needs-database", "liveness does not depend on the database", "portal/health/router.py",
             'def health() -> dict:\n    return {"status": "ok"}',
             'def health(request: Request) -> dict:\n    with request.app.state.pool.connection(timeout=1) as conn:\n        conn.execute("SELECT 1")\n    return {"status": "ok"}',
             HEALTH, "still alive"),
    Mutation("malformed-json-500", "malformed JSON gets a specific 4xx", "portal/web/errors.py",
             '        return error_response(400, "malformed_json", "The request body is not valid JSON.")',
             '        raise RuntimeError("boom")', API, "not valid JSON"),
    Mutation("unknown-fields-accepted", "unknown fields are refused", "portal/auth/router.py",
             '    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)',
             '    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)', API, "does not know"),
    Mutation("no-body-limit", "oversized bodies are refused", "portal/web/middleware.py",
             "        self.max_bytes = max_bytes", "        self.max_bytes = max_bytes * 1000", API, "100 kilobytes"),
    Mutation("no-request-id", "every answer carries a request id", "portal/web/middleware.py",
             '                headers.append((b"x-request-id", request_id.encode()))',
             "                pass", API, "traced by its request id"),
    # -- email delivery: outbox, idempotency, retries, dead letters, workers, admin views
    Mutation("delivery-network-not-retried", "nothing is lost while the provider is down", "portal/email/resend.py",
             'self.error_kind in ("network", "unavailable", "rate_limited")', 'self.error_kind in ("unavailable", "rate_limited")',
             DELIVERY, "while the provider is down"),
    Mutation("delivery-lost-on-restart", "nothing is lost while the worker is down", "portal/jobs/worker.py",
             "                        with self._busy:\n                            self.run_once()\n"
             "                        for _ in listener.notifies(timeout=self.poll_seconds, stop_after=1):\n                            pass",
             "                        for _ in listener.notifies(timeout=self.poll_seconds, stop_after=1):\n"
             "                            with self._busy:\n                                self.run_once()",
             DELIVERY, "background worker is down"),
    Mutation("delivery-key-per-attempt", "every retry carries the same idempotency key", "portal/email/resend.py",
             "    return f\"email-{email['public_id']}\" + (", "    return f\"email-{email['public_id']}-{email['attempts']}\" + (",
             DELIVERY, "answer was lost"),
    Mutation("delivery-schedule-too-short", "retries wait 1, 2, 4, 8, 16 minutes", "portal/email/delivery.py",
             "RETRY_SCHEDULE_MINUTES = (1, 2, 4, 8, 16)", "RETRY_SCHEDULE_MINUTES = (1, 1, 1, 1, 1)",
             DELIVERY, "failed attempts the next one waits"),
    Mutation("delivery-schedule-too-long", "retries come when they are due", "portal/email/delivery.py",
             "RETRY_SCHEDULE_MINUTES = (1, 2, 4, 8, 16)", "RETRY_SCHEDULE_MINUTES = (2, 4, 8, 16, 32)",
             DELIVERY, "failed attempts the next one waits"),
    Mutation("delivery-retry-after-ignored", "a provider's retry-after is honoured", "portal/email/delivery.py",
             "    return max(scheduled, retry_after_seconds or 0)", "    return scheduled",
             DELIVERY, "minutes of patience"),
    Mutation("delivery-rejected-retried", "a rejected email is not retried", "portal/email/resend.py",
             '    return SendResult(False, error=error, error_kind="rejected")',
             '    return SendResult(False, error=error, error_kind="unavailable")', DELIVERY, "rejects as invalid"),
    Mutation("delivery-never-dead", "after the sixth attempt: a dead letter", "portal/email/delivery.py",
             "    if attempts_made >= MAX_ATTEMPTS:\n        return None\n"
             "    scheduled = RETRY_SCHEDULE_MINUTES[max(attempts_made, 1) - 1] * 60",
             "    if attempts_made >= MAX_ATTEMPTS * 10:\n        return None\n"
             "    scheduled = RETRY_SCHEDULE_MINUTES[min(max(attempts_made, 1), len(RETRY_SCHEDULE_MINUTES)) - 1] * 60",
             DELIVERY, "sixth failed attempt the email becomes a dead letter"),
    Mutation("delivery-dead-without-error", "admins see a dead letter's last error", "portal/email/admin.py",
             '"sent_at", "last_attempt_at", "last_error", "provider_id")},',
             '"sent_at", "last_attempt_at", "provider_id")}, "last_error": None,',
             DELIVERY, "(sixth failed attempt the email becomes|rejects as invalid)"),
    Mutation("delivery-resend-ignored", "admins can send a dead letter again", "portal/email/outbox.py",
             "\"UPDATE emails SET status = 'queued', status_at = now(), attempts = 0, resends = resends + 1,\"",
             "\"UPDATE emails SET status = 'dead', status_at = now(), attempts = 0, resends = resends + 1,\"",
             DELIVERY, "dead share notification again"),
    Mutation("delivery-resend-dead-link", "a sign-in email whose link is gone is not sent again", "portal/email/outbox.py",
             '    if email["scrubbed"]:', "    if False:", DELIVERY, "one-time link is gone"),
    Mutation("delivery-admin-open", "only studio admins see emails", "portal/email/admin.py",
             _STUDIO_ADMINS_ONLY, _ANY_PRODUCER_TOO, DELIVERY, "cannot see the dead letters"),
    Mutation("delivery-two-workers-one-email", "two workers never deliver the same email", "portal/email/delivery.py",
             '" ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED"', '" ORDER BY next_attempt_at, id LIMIT 1"',
             DELIVERY, "Two workers"),
    Mutation("delivery-timeline-no-attempts", "the timeline shows every attempt", "portal/email/delivery.py",
             "    timeline.record(conn, email[\"id\"], timeline.ATTEMPT_FAILED,",
             "    (lambda *a, **k: None)(conn, email[\"id\"], timeline.ATTEMPT_FAILED,",
             DELIVERY, "reads the timeline"),
    Mutation("delivery-history-everyone", "a recipient's history holds their emails only", "portal/email/timeline.py",
             '        conditions.append("lower(recipient) = lower(%s)")\n        params.append(recipient.strip())',
             "        pass", DELIVERY, "emails sent to Theo"),
    # -- Resend's reports: signatures, registry, redelivery, ordering, bad input
    Mutation("report-signature-unchecked", "only signed reports are believed", "portal/email/webhooks.py",
             "        _verifier(secret).verify(body, dict(request.headers))", "        pass",
             WEBHOOKS, "is refused and changes nothing"),
    Mutation("report-bad-signature-500", "a malformed signature gets a 4xx", "portal/email/webhooks.py",
             "    except (WebhookVerificationError, ValueError) as exc:", "    except WebhookVerificationError as exc:",
             WEBHOOKS, "is refused and changes nothing"),
    Mutation("report-timestamp-unchecked", "a timestamp more than 5 minutes off is refused", "portal/email/webhooks.py",
             "        _verifier(secret).verify(body, dict(request.headers))",
             "        verifier = _verifier(secret)\n"
             "        verifier._inner._Webhook__verify_timestamp = lambda ts: __import__('datetime').datetime.fromtimestamp("
             "float(ts), tz=__import__('datetime').timezone.utc)\n"
             "        verifier.verify(body, dict(request.headers))",
             WEBHOOKS, "is refused and changes nothing"),
    Mutation("report-redelivery-acts-again", "a redelivered report has no second effect", "portal/email/reports.py",
             "        (email[\"id\"] if email else None, report.type, report.occurred_at, svix_id, report.email_id,",
             "        (email[\"id\"] if email else None, report.type, report.occurred_at,"
             " svix_id + __import__('secrets').token_hex(4), report.email_id,",
             WEBHOOKS, "(delivered twice appears once|reported twice counts once)"),
    Mutation("report-redelivery-refused", "a redelivered report is acknowledged", "portal/email/webhooks.py",
             '        return ReportReceived(status="duplicate")',
             '        raise ApiError(409, "duplicate", "This report was received before.")',
             WEBHOOKS, "delivered twice appears once"),
    Mutation("report-status-backwards", "a status moves only forward", "portal/email/events.py",
             "        return STATUS_RANK[new] > STATUS_RANK[current]", "        return True",
             WEBHOOKS, "(after a bounce leaves|out of order)"),
    Mutation("report-time-ignored", "between equal ranks the later event wins", "portal/email/events.py",
             "    return new != current and (current_at is None or new_at > current_at)", "    return new != current",
             WEBHOOKS, "equal weight"),
    Mutation("report-superseded-forgotten", "every report is kept in the timeline", "portal/email/reports.py",
             "    row = conn.execute(\n        \"INSERT INTO email_events",
             "    if verdict.effect is Effect.SUPERSEDED:\n        return verdict.effect\n"
             "    row = conn.execute(\n        \"INSERT INTO email_events",
             WEBHOOKS, "(after a bounce leaves|out of order|equal weight)"),
    Mutation("report-early-lost", "a report that overtakes the send still counts", "portal/email/delivery.py",
             '        reports.adopt_early_reports(conn, email["id"], result.provider_id)', "        pass",
             WEBHOOKS, "overtakes"),
    Mutation("report-registry-drops-type", "every email event type is handled", "portal/email/events.py",
             '    EventType("email.failed", Action.STATUS, "failed", why="Resend could not send it"),\n', "",
             WEBHOOKS, "A report of email"),
    Mutation("report-acknowledged-as-ignored", "acknowledged types are recorded as such", "portal/email/events.py",
             "        return Judgement(Effect.ACKNOWLEDGED)", "        return Judgement(Effect.IGNORED)",
             WEBHOOKS, "A report of email"),
    Mutation("report-unknown-kind-refused", "kinds the portal does not act on are acknowledged", "portal/email/events.py",
             "    if fields:\n        raise InvalidReport(", "    if fields or event_type not in REGISTRY:\n        raise InvalidReport(",
             WEBHOOKS, "recorded as ignored"),
    Mutation("report-malformed-json-500", "a body that is not JSON gets 400", "portal/email/events.py",
             "    except ValueError:  # also bodies that are not UTF-8", "    except KeyError:",
             WEBHOOKS, "body is not JSON"),
    Mutation("report-list-accepted", "a body that is not an object gets 400", "portal/email/events.py",
             "    if not isinstance(payload, dict):", "    if False:", WEBHOOKS, "naming body"),
    Mutation("report-type-unchecked", "a report without a type gets 400", "portal/email/events.py",
             '        fields["type"] = "This field is required."', "        pass", WEBHOOKS, "naming type"),
    Mutation("report-time-unchecked", "a report without a valid time gets 400", "portal/email/events.py",
             '        fields["created_at"] = "An ISO 8601 date and time is required."', "        pass",
             WEBHOOKS, "naming created_at"),
    Mutation("report-data-unchecked", "a report without data gets 400", "portal/email/events.py",
             '        fields["data"] = "An object is required."', "        data = {}", WEBHOOKS, "with no data is refused"),
    Mutation("report-email-id-unchecked", "a report without an email id gets 400", "portal/email/events.py",
             '            fields["data.email_id"] = "This field is required."', "            pass",
             WEBHOOKS, "naming data.email_id"),
    Mutation("report-recipient-unchecked", "a bounce without a recipient gets 400", "portal/email/events.py",
             '            fields["data.to"] = "At least one recipient address is required."', "            pass",
             WEBHOOKS, "naming data.to"),
    Mutation("report-no-bounce-type", "a bounce without its type gets 400", "portal/email/events.py",
             '                fields["data.bounce.type"] = "The bounce type (Permanent, Transient, ...) is required."',
             "                pass", WEBHOOKS, "naming data.bounce.type"),
    # -- bounces and suppression
    Mutation("bounce-hard-not-suppressed", "a hard bounce suppresses at once", "portal/email/events.py",
             '        if self.bounce == "hard":', "        if False:", BOUNCES, "bounces permanently is suppressed"),
    Mutation("bounce-other-mail-ignored", "a hard bounce suppresses, whoever sent the email", "portal/email/reports.py",
             '    if report.kind is not None and (report.suppression is not None or report.bounce == "soft"):',
             '    if email is not None and report.kind is not None and (report.suppression is not None or report.bounce == "soft"):',
             BOUNCES, "another system sent"),
    Mutation("bounce-complaint-not-suppressed", "a complaint suppresses at once", "portal/email/events.py",
             '"complained", suppression="complaint",', '"complained", suppression=None,',
             BOUNCES, "marks the portal's email as spam"),
    Mutation("bounce-soft-as-hard", "a soft bounce alone suppresses nothing", "portal/email/events.py",
             '    return "hard" if bounce_type.strip().lower() in HARD_BOUNCE_TYPES else "soft"', '    return "hard"',
             BOUNCES, "soft bounces in the last 30 days"),
    Mutation("bounce-undetermined-as-hard", "a bounce Resend cannot classify counts as soft", "portal/email/events.py",
             'HARD_BOUNCE_TYPES = frozenset({"permanent"})', 'HARD_BOUNCE_TYPES = frozenset({"permanent", "undetermined"})',
             BOUNCES, "cannot classify"),
    Mutation("bounce-soft-limit", "the third soft bounce suppresses", "portal/email/suppressions.py",
             "SOFT_BOUNCE_LIMIT = 3", "SOFT_BOUNCE_LIMIT = 4", BOUNCES, "soft bounces in the last 30 days"),
    Mutation("bounce-soft-window", "soft bounces count for 30 days", "portal/email/suppressions.py",
             "SOFT_BOUNCE_WINDOW_DAYS = 30", "SOFT_BOUNCE_WINDOW_DAYS = 365", BOUNCES, "older than 30 days"),
    Mutation("bounce-count-survives-lift", "lifting starts the soft-bounce count afresh", "portal/email/suppressions.py",
             '"   AND e.received_at > coalesce((SELECT max(lifted_at) FROM suppressions WHERE address = %(a)s),"\n'
             '        "                                \'-infinity\'::timestamptz)",',
             '"   AND true",', BOUNCES, "count of soft bounces afresh"),
    Mutation("bounce-delay-suppresses", "a delivery delay suppresses nothing", "portal/email/events.py",
             'EventType("email.delivery_delayed", Action.STATUS, "delivery_delayed",',
             'EventType("email.delivery_delayed", Action.SUPPRESS, "delivery_delayed", suppression="hard_bounce",',
             BOUNCES, "delivery delay is recorded"),
    Mutation("suppression-ignored", "a suppressed address gets no email", "portal/email/suppressions.py",
             '    return row["reason"] if row else None', "    return None",
             BOUNCES, "(no sign-in link|no share notification|waiting for its next attempt)"),
    Mutation("suppression-not-rechecked", "suppression is checked before every attempt", "portal/email/delivery.py",
             '            reason = suppressions.standing_reason(conn, email["recipient"])', "            reason = None",
             BOUNCES, "waiting for its next attempt"),
    Mutation("suppression-answer-differs", "the sign-in answer gives nothing away", "portal/auth/router.py",
             '    return {"status": "accepted", "message": ACCEPTED_MESSAGE}',
             '    from portal.email import suppressions\n'
             '    if suppressions.standing_reason(conn, body.email):\n'
             '        return {"status": "accepted", "message": "This address gets no email from us."}\n'
             '    return {"status": "accepted", "message": ACCEPTED_MESSAGE}',
             BOUNCES, "same answer as everyone else"),
    Mutation("suppression-lift-ineffective", "a lifted suppression lets email through", "portal/email/suppressions.py",
             '"UPDATE suppressions SET lifted_at = now(), lifted_by_user_id = %s"',
             '"UPDATE suppressions SET lifted_at = NULL, lifted_by_user_id = %s"', BOUNCES, "gets sign-in links again"),
    Mutation("suppression-lift-unaudited", "lifting is audited", "portal/email/suppressions.py",
             '    audit.record(conn, "email.suppression_lifted", "succeeded",',
             '    (lambda *a, **k: None)(conn, "email.suppression_lifted", "succeeded",', BOUNCES, "Lifting a suppression is audited"),
    Mutation("suppression-audit-full-address", "the lift's audit masks the address", "portal/email/suppressions.py",
             '                 details={"address": redact_email(row["address"]),',
             '                 details={"address": row["address"],', BOUNCES, "Lifting a suppression is audited"),
    Mutation("suppression-cause-hidden", "admins see the report behind a suppression", "portal/email/admin.py",
             'occurred_at=row["event_occurred_at"], report_id=row["svix_id"],',
             'occurred_at=row["event_occurred_at"], report_id=None,', BOUNCES, "down to the report"),
    Mutation("suppression-list-open", "only studio admins see and lift suppressions", "portal/email/admin.py",
             _STUDIO_ADMINS_ONLY, _ANY_PRODUCER_TOO, BOUNCES, "neither see nor lift"),
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
             "    password_hash = hash_password(body.password) if body.password is not None else None",
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
             '    guest.record_view(conn, link, cfg.secret_key, client_address(request), request.headers.get("user-agent", ""))\n',
             "", SHARE, "Each view is written"),
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
             "media.playback_path(link.asset.playback_id)", "media.playback_path(link.asset.title)", SHARE, "player streams the cut"),
    # -- rule 8: download only when allowed, never revealing where the file is
    Mutation("download-unchecked", "download only when the link allows it", "portal/sharing/guest_router.py",
             "    if not link.permission.allows_download:", "    if False:", SHARE, "Downloading through a link for viewing only"),
    Mutation("download-refusal-leaks", "a refused download does not reveal the file", "portal/sharing/guest_router.py",
             '        return _page(request, "share_link_no_download.html", status=403, token=token)',
             '        return _page(request, "share_link_no_download.html", status=403, token=token,\n'
             '                     headers={"Location": guest.download_url(link, cfg.media_url, cfg.secret_key, 60)})',
             SHARE, "Downloading through a link for viewing only"),
    Mutation("download-offered-anyway", "a view-only page offers no download", "portal/sharing/guest_router.py",
             "download=link.permission.allows_download,", "download=True,", SHARE, "offers no download"),
    # -- rule 3: revoking stops the link at once, mid-review too; audited; never re-enabled
    Mutation("revoke-ignored", "a revoked link is refused", "portal/sharing/links.py",
             'LIVE = "l.revoked_at IS NULL AND l.expired_at IS NULL', 'LIVE = "l.expired_at IS NULL',
             REVOKE, "Gina cannot open a link Theo has revoked"),
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
    Mutation("delete-keeps-links", "deleting a cut revokes its links", "portal/projects/service.py",
             '    revoked = links.revoke_all(conn, user, [asset_id], reason="asset_deleted")', "    revoked = []",
             REVOKE, "disappears from its project"),
    Mutation("delete-hides-nothing", "a deleted cut is hidden", "portal/projects/service.py",
             '    conn.execute("UPDATE assets SET deleted_at = now(), deleted_by = %s WHERE id = %s", (user.id, asset_id))\n',
             "", REVOKE, "disappears from its project"),
    # -- rule 7: passwords, lockout, slow hash
    Mutation("password-wrong-accepted", "a wrong password is refused", "portal/sharing/passwords.py",
             "        return _hasher.verify(password_hash, password)", "        return True",
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
             "    return _hasher.hash(password)", "    import hashlib\n    return hashlib.sha256(password.encode()).hexdigest()",
             PASSWORD, "slow argon2 hash"),
    # -- rule 9: only the cut's own admins and producers manage its links
    Mutation("manage-any-tenant", "other organisations find nothing", "portal/projects/service.py",
             '_VISIBLE_ASSET = f"p.tenant_id = %s AND', '_VISIBLE_ASSET = f"%s IS NOT NULL AND', MANAGE, "Mallory, signed in"),
    Mutation("manage-guests-too", "guests find nothing", "portal/sharing/router.py",
             'owner = require_member("admin", "producer")', 'owner = require_member("admin", "producer", "guest")',
             MANAGE, "Gina, signed in"),
    Mutation("manage-anonymous-401", "callers who are not signed in find nothing", "portal/web/deps.py",
             "            user = sessions.resolve(conn, session_cookie(request))\n        return _admitted(user, allowed, studio_only)",
             "            user = sessions.resolve(conn, session_cookie(request))\n        return _admitted(current_user(request, db), allowed, studio_only)",
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
             "        run=links.sweep_expired,\n    ),\n",
             "        run=links.sweep_expired,\n    ),\n    ScheduledTask(name=\"share-links.purge\", description=\"-\", every_minutes=60, run=lambda conn: 0),\n",
             EXPIRY, "scheduled tasks the portal runs are exactly these"),
    Mutation("tasks-open-to-all", "only studio admins see and run tasks", "portal/tasks/router.py",
             'studio_admin = require_member("admin", studio_only=True)', 'studio_admin = require_member("admin", "producer", "guest")',
             EXPIRY, "can neither see nor run"),
    # -- projects
    Mutation("projects-any-tenant", "projects are seen only by their organisation", "portal/projects/service.py",
             '_VISIBLE_PROJECT = "p.tenant_id = %s AND', '_VISIBLE_PROJECT = "%s IS NOT NULL AND', PROJECTS, "finds no trace"),
    Mutation("project-delete-hides-nothing", "a deleted project is hidden", "portal/projects/service.py",
             '    conn.execute("UPDATE projects SET deleted_at = now(), deleted_by = %s WHERE id = %s", (user.id, project_id))\n',
             "", PROJECTS, "deleted project disappears"),
    # -- bad input for share links and ids: a clear 4xx, never a 500
    Mutation("input-expiry-unchecked", "an expiry out of range gets a clear 4xx", "portal/sharing/router.py",
             "            return policy.check_expiry_hours(value)", "            return value", API, "an expiry of"),
    Mutation("input-permission-unchecked", "an unknown permission gets a clear 4xx", "portal/sharing/router.py",
             "    permission: Permission = Field(default=Permission.VIEW,", "    permission: str = Field(default=\"view\",",
             API, "the permission"),
    Mutation("input-password-unbounded", "an over-long password gets a clear 4xx", "portal/sharing/router.py",
             "                                 max_length=policy.MAX_PASSWORD_LENGTH,\n", "",
             API, "a password of 129 characters"),
    Mutation("input-ids-unbounded", "malformed ids get a clear 4xx", "portal/web/deps.py",
             'Id = Annotated[int, Path(ge=1, le=MAX_ID, description="A positive whole number")]',
             'Id = Annotated[int, Path(description="A positive whole number")]', API, "(cut id|malformed id)"),
    Mutation("input-unknown-fields-ignored", "unknown fields in a share link request are refused", "portal/sharing/router.py",
             '    model_config = ConfigDict(extra="forbid")\n', '    model_config = ConfigDict(extra="ignore")\n',
             API, "share link request with a field the portal does not know"),
]


def run(mutation: Mutation, scratch: Path) -> tuple[str, str]:
    target = scratch / mutation.file
    original = target.read_text()
    if original.count(mutation.old) != 1:
        return "STALE", f"the code to patch was found {original.count(mutation.old)} times in {mutation.file}"
    target.write_text(original.replace(mutation.old, mutation.new))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "behave", mutation.feature, "--name", mutation.scenario,
             "-f", "progress", "--no-junit", "-o", "/dev/null", "-f", "null"],
            cwd=scratch, capture_output=True, text=True, timeout=300,
        )
    finally:
        target.write_text(original)
    summary = next((l for l in result.stdout.splitlines() if " scenarios passed" in l or " scenario passed" in l), "")
    if "0 scenarios passed" in summary and "0 failed" in summary and "0 error" in summary:
        return "NO SCENARIO", f"--name {mutation.scenario!r} selected nothing"
    return ("KILLED" if result.returncode != 0 else "SURVIVED"), summary.strip()


def main(argv: list[str]) -> int:
    wanted = argv[0] if argv else ""
    chosen = [m for m in MUTATIONS if wanted in m.id]
    with tempfile.TemporaryDirectory(prefix="portal-mutations-") as tmp:
        scratch = Path(tmp) / "repo"
        shutil.copytree(ROOT, scratch, ignore=shutil.ignore_patterns(".venv", ".git", "reports", "node_modules", "__pycache__"))
        bad = 0
        for mutation in chosen:
            started = time.perf_counter()
            verdict, detail = run(mutation, scratch)
            bad += verdict != "KILLED"
            print(f"{verdict:<11} {mutation.id:<32} {mutation.rule:<52} ({time.perf_counter() - started:4.1f}s) {detail}", flush=True)
    print(f"\n{len(chosen) - bad} of {len(chosen)} mutations caught by their scenarios")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
