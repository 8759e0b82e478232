"""Defects that cosmic-ray found the suite letting through (docs/mutation-triage.md), each now
caught by the scenario written for it. The mutant itself, as cosmic-ray made it, is the defect."""
from __future__ import annotations

from .common import Mutation

SIZE = "features/api/request_size_limit.feature"

MUTATIONS = [
    Mutation("gap-suspend-later-agency", "agency admins suspend only their own people, whichever agency came first",
             "portal/accounts/suspension.py",
             "person.tenant_id != admin.tenant_id):", "person.tenant_id < admin.tenant_id):",
             "features/people/suspension.feature", "cannot suspend"),
]
MUTATIONS += [
    Mutation("gap-size-limit-declared-at-limit", "a body of exactly the limit, with its length, is read",
             "portal/web/middleware.py", "if int(declared) > self.max_bytes:", "if int(declared) >= self.max_bytes:",
             SIZE, "exactly the limit"),
    Mutation("gap-size-limit-pieces-at-limit", "a body of exactly the limit, in pieces, is read",
             "portal/web/middleware.py", "if size > self.max_bytes:", "if size >= self.max_bytes:",
             SIZE, "exactly the limit"),
    Mutation("gap-size-limit-pieces-status", "a body over the limit, in pieces, is refused with 413",
             "portal/web/middleware.py",
             "            if size > self.max_bytes:\n                return await _send_json(send, 413, too_large)",
             "            if size > self.max_bytes:\n                return await _send_json(send, 400, too_large)",
             SIZE, "one byte over"),
]
MUTATIONS += [
    Mutation("gap-equal-rank-first-wins", "between reports of equal weight the later event wins, in both orders",
             "portal/email/events.py",
             "return new != current and (current_at is None or new_at > current_at)", "return False",
             "features/email/webhooks.feature", "the later event wins, in both orders"),
]
BUSY = "features/projects/all_or_nothing.feature"
MUTATIONS += [
    Mutation("gap-busy-status", "a change given up on is answered 503 service_busy", "portal/web/errors.py",
             'return error_response(503, "service_busy"', 'return error_response(500, "service_busy"',
             BUSY, "refused as busy"),
    Mutation("gap-busy-retry-after", "a busy answer says when to try again", "portal/web/errors.py",
             'headers={"Retry-After": "1"})', "headers=None)", BUSY, "refused as busy"),
    Mutation("gap-busy-two-tries", "a change meeting others is tried three times", "portal/db.py",
             "CHANGE_ATTEMPTS = 3", "CHANGE_ATTEMPTS = 2", BUSY, "goes through on the third"),
]
EXPIRY = "features/sharing/link_expiry.feature"
MUTATIONS += [
    Mutation("gap-schedule-never-again", "the schedule runs a task again once its interval has passed",
             "portal/tasks/service.py",
             "return seconds_since_last_start is None or seconds_since_last_start >= every_minutes * 60",
             "return seconds_since_last_start is None", EXPIRY, "the schedule has run the expiry sweep again"),
    Mutation("gap-schedule-too-soon", "the schedule waits a task's interval (minutes, not seconds)",
             "portal/tasks/service.py", "seconds_since_last_start >= every_minutes * 60",
             "seconds_since_last_start >= every_minutes", EXPIRY, "the schedule has not run the expiry sweep again"),
    Mutation("gap-schedule-off", "a portal with scheduled tasks on runs them", "portal/app.py",
             "    if settings.scheduled_tasks_enabled:\n", "    if False:\n", EXPIRY, "runs a sweep that has never run"),
    Mutation("gap-failed-run-recorded-as-success", "a run that fails is recorded as failed", "portal/tasks/service.py",
             '(task.name, "failed" if error else "succeeded", changed,', '(task.name, "succeeded", changed,',
             EXPIRY, "recorded as failed"),
]
SIGN_IN = "features/auth/magic_link_sign_in.feature"
MUTATIONS += [
    Mutation("gap-rate-window-in-seconds", "the link-request limit counts a whole hour", "portal/auth/links.py",
             "settings.rate_limit_window_minutes * 60,", "settings.rate_limit_window_minutes / 60,",
             SIGN_IN, "With the first of 5 requests"),
    Mutation("gap-rate-retry-whole-window", "Retry-After is the time until the oldest counted request leaves the hour",
             "portal/auth/rate_limit.py", "if max_hits <= 0:", "if max_hits >= 0:",
             SIGN_IN, "With the first of 5 requests"),
]
MUTATIONS += [
    Mutation("gap-dead-letter-resendable-flag", "the dead letters say which can be sent again",
             "portal/email/admin_router.py", 'row["status"] == "dead" and not row["scrubbed"]',
             'row["status"] == "dead" and row["scrubbed"]', "features/email/delivery.feature", "which can be sent again"),
]
CLI = "features/operations/command_line.feature"
MUTATIONS += [
    Mutation("gap-config-body-minimum", "a body limit of 1024 bytes is accepted, 1023 refused", "portal/config.py",
             'cls.max_body_bytes, minimum=1024)', 'cls.max_body_bytes, minimum=1025)', CLI, "right at its limit"),
    Mutation("gap-config-secret-length", "a secret key of 32 characters is accepted", "portal/config.py",
             "if secret_key and len(secret_key) < 32:", "if secret_key and len(secret_key) <= 32:",
             CLI, "right at its limit"),
    Mutation("gap-config-heartbeat-equal-to-poll", "a worker heartbeat must be longer than its poll: equal is refused",
             "portal/config.py", "if heartbeat <= poll:", "if heartbeat < poll:", CLI, "configuration error"),
    Mutation("gap-migrate-status", "migrating reports success with exit status 0", "portal/__main__.py",
             '            if args.command == "migrate":\n                return 0',
             '            if args.command == "migrate":\n                return 1', CLI, "Migrating an empty database"),
]
DESCRIPTION = "features/api/answers_from_every_layer.feature"
PUBLISHED = "it is the published one"
MUTATIONS += [
    Mutation("gap-doc-busy-status", "the document names the status a busy milestone deletion answers (503)",
             "portal/projects/work_router.py", '_changes({503: "The deletion kept', '_changes({502: "The deletion kept',
             DESCRIPTION, PUBLISHED),
    Mutation("gap-doc-retry-after-status", "the document puts Retry-After on the invitations' 429",
             "portal/people/router.py", '}, headers={429: {"Retry-After"', '}, headers={428: {"Retry-After"',
             DESCRIPTION, PUBLISHED),
    Mutation("gap-doc-webhook-header-names", "the document names the Standard Webhooks headers the portal reads",
             "portal/email/webhook_router.py", "webhook-{name[5:]}", "webhook-{name[6:]}", DESCRIPTION, PUBLISHED),
    Mutation("gap-doc-optional-not-null", "an optional field that may not be null is documented as its one type",
             "portal/web/openapi.py", "    if len(branches) == 1:", "    if len(branches) == 2:", DESCRIPTION, PUBLISHED),
]
MUTATIONS += [
    Mutation("gap-hold-lift-without-hold", "lifting a hold the project does not have is answered as no hold",
             "portal/projects/legal_hold.py", "    if row is None:\n        return False",
             "    if row is None:\n        return True", "features/audit/keeping_the_audit_log.feature", "already lifted"),
]
MUTATIONS += [
    Mutation("gap-latency-in-milliseconds", "request durations are observed in seconds", "portal/web/middleware.py",
             'state["status"], elapsed_ms / 1000)', 'state["status"], elapsed_ms * 1000)',
             "features/operations/metrics.feature", "counted by its route's template"),
]
PASSWORDS = "features/sharing/password_protected_links.feature"
MUTATIONS += [
    Mutation("gap-password-127", "a link's password may be 128 characters", "portal/sharing/policy.py",
             "MAX_PASSWORD_LENGTH = 128", "MAX_PASSWORD_LENGTH = 127", PASSWORDS, "of 128 characters"),
    Mutation("gap-password-129", "a link's password may not be 129 characters", "portal/sharing/policy.py",
             "MAX_PASSWORD_LENGTH = 128", "MAX_PASSWORD_LENGTH = 129", PASSWORDS, "of 129 characters"),
]
MUTATIONS += [
    Mutation("gap-upload-limit-unit", "a file too large is refused, saying the limit in GiB", "portal/video/uploads.py",
             "({max_bytes / 1024 ** 3:g} GiB)", "({max_bytes / 1024 // 3:g} GiB)",
             "features/cuts/uploading_cuts.feature", "A file of"),
]
BACKUPS = "features/operations/backups_and_the_restore_drill.feature"
MUTATIONS += [
    Mutation("gap-restore-checksum-one-way", "an archive whose checksum is not its manifest's is refused, whichever sorts first",
             "portal/backups/service.py", 'if sha256_of(archive) != manifest["sha256"]:',
             'if sha256_of(archive) < manifest["sha256"]:', BACKUPS, "records a checksum"),
    Mutation("gap-restore-tool-failure-ignored", "a restore PostgreSQL refuses is reported as failed",
             "portal/backups/service.py", "    if done.returncode != 0:", "    if done.returncode < 0:",
             BACKUPS, "refuses halfway"),
]
MUTATIONS += [
    Mutation("gap-guest-length-minutes", "the guest page shows the cut's length in minutes and seconds",
             "portal/sharing/guest_router.py", 'return f"{whole // 60}:{whole % 60:02d}"', 'return f"{whole * 60}:{whole % 60:02d}"',
             "features/cuts/sharing_what_mux_plays.feature", "how long the cut is"),
]
MUTATIONS += [
    Mutation("gap-guest-unready-legacy-cut", "a guest is sent to Mux only for a cut Mux reported ready",
             "portal/sharing/guest.py", 'if link.asset.status != "ready" or not link.asset.playback_id:',
             'if link.asset.status > "ready" or not link.asset.playback_id:',
             "features/cuts/sharing_what_mux_plays.feature", "carried over from before Mux"),
]
PROJECTS_FEATURE = "features/projects/projects_and_cuts.feature"
MUTATIONS += [
    Mutation("gap-text-last-c1", "U+009F, the last C1 control, is refused in names", "portal/text.py",
             "    if 0x80 <= code <= 0x9F:", "    if 0x80 <= code < 0x9F:", PROJECTS_FEATURE,
             "holding"),
    Mutation("gap-text-last-c0", "U+001F, the last C0 control, is refused in titles", "portal/text.py",
             "    if code < 0x20 or code == 0x7F:", "    if code < 0x1F or code == 0x7F:", PROJECTS_FEATURE, "holding"),
]
MUTATIONS += [
    Mutation("gap-mux-timestamp-either-fault", "a Mux signature with its time in words, or two times, is refused",
             "portal/video/signatures.py", "if not value.isdigit() or timestamp is not None:",
             "if not value.isdigit() and timestamp is not None:", "features/cuts/mux_reports.feature", "signature is refused"),
]
MUTATIONS += [
    Mutation("gap-backup-needs-tools-on-path", "a backup finds the tools where PostgreSQL installs them, whatever the PATH",
             "portal/backups/tools.py", "    if on_path:\n", "    if not on_path:\n", BACKUPS, "PATH holds no PostgreSQL tools"),
]
NO_TOOLS = "points the portal at a folder without PostgreSQL's tools"
MUTATIONS += [
    Mutation(f"gap-backup-tool-message-{name}", "a backup without the tools says what it tried and how to fix it",
             "portal/backups/tools.py", '+ "; ".join(tried) + ". " + fix)', f'+ "; ".join(tried) {op} ". " + fix)',
             BACKUPS, NO_TOOLS)
    for name, op in (("bitand", "&"), ("mul", "*"), ("sub", "-"))
]
MUTATIONS += [
    Mutation("gap-backup-pg-bin-overridden", "an operator's PORTAL_PG_BIN is the only place the tools are looked for",
             "portal/backups/tools.py",
             '    if env.get("PORTAL_PG_BIN"):\n        return [Path(env["PORTAL_PG_BIN"]) / tool]\n    found: list[Path] = []\n',
             '    found: list[Path] = [Path(env["PORTAL_PG_BIN"]) / tool] if env.get("PORTAL_PG_BIN") else []\n',
             BACKUPS, NO_TOOLS),
    Mutation("gap-backup-pg-bin-ignored", "the tools in an operator's PORTAL_PG_BIN are the ones used",
             "portal/backups/tools.py", '    if env.get("PORTAL_PG_BIN"):\n        return', '    if False:\n        return',
             BACKUPS, "points the portal at the folder of PostgreSQL's tools"),
    Mutation("gap-restore-duration-ratio", "the restore's reported duration is the time between its start and end",
             "portal/backups/service.py", "seconds, ended_at = time.monotonic() - started,",
             "seconds, ended_at = time.monotonic() / started,", BACKUPS, "The restore drill"),
]
MUTATIONS += [
    Mutation("gap-deletion-audit-without-mux-job", "a cut's deletion records the deletion it asked of Mux",
             "portal/video/deletion.py", 'return {"mux_deletion_job_ids": jobs} if jobs else {}',
             'return {"mux_deletion_job_ids": jobs} if not jobs else {}', "features/cuts/deleting_cuts.feature",
             "Mux deletes its asset"),
]
MUTATIONS += [
    Mutation("gap-config-mux-upload-timeout-minimum", "a Mux upload timeout of 60 seconds is accepted, 59 refused",
             "portal/config.py", "                                            minimum=60),",
             "                                            minimum=61),", CLI, "right at its limit"),
]
MUTATIONS += [
    Mutation("gap-unlock-cookie-lifetime", "a browser that entered the password stays let in for 12 hours",
             "portal/sharing/guest_router.py", "max_age=policy.UNLOCK_HOURS * 3600,", "max_age=policy.UNLOCK_HOURS + 3600,",
             PASSWORDS, "watches the cut"),
    Mutation("gap-lockout-minutes-rounding", "a locked link says the minutes to wait, rounded up from Retry-After",
             "portal/sharing/guest_router.py", "-(-decision.retry_after_seconds // 60)",
             "-(-decision.retry_after_seconds // 59)", PASSWORDS, "even the right one|opens again within"),
]
MUTATIONS += [
    Mutation("gap-doc-upload-invalid-status", "the document names the status of an invalid upload (422)",
             "portal/projects/router.py", '                                   422: "A field is invalid: the content type',
             '                                   421: "A field is invalid: the content type', DESCRIPTION, PUBLISHED),
    Mutation("gap-upload-limit-in-gib", "the limit is said in GiB of 1024³ bytes", "portal/video/uploads.py",
             "({max_bytes / 1024 ** 3:g} GiB)", "({max_bytes / 1023 ** 3:g} GiB)",
             "features/cuts/uploading_cuts.feature", "A file of"),
]
MUTATIONS += [
    Mutation("gap-upload-blank-type-named-late", "an upload with blank fields names them all at once, the content type too",
             "portal/projects/router.py", "content_type: str = Field(min_length=1, max_length=100,",
             "content_type: str = Field(min_length=0, max_length=100,", "features/cuts/uploading_cuts.feature", "left blank"),
]
MUTATIONS += [
    Mutation("gap-description-one-line", "a task's description may run over several lines, with tabs",
             "portal/projects/work_router.py", "    wrong = text.problem(value, multiline=True)",
             "    wrong = text.problem(value, multiline=False)", PROJECTS_FEATURE, "over several lines"),
]
MUTATIONS += [
    Mutation("gap-log-format-text-as-json", "PORTAL_LOG_FORMAT=text gives plain text lines", "portal/logs.py",
             'if kind.strip().lower() == "json" else', 'if kind.strip().lower() >= "json" else', CLI, "log format"),
]
MUTATIONS += [
    Mutation("gap-email-hold-reason-swapped", "an email's timeline says why the outbox was held: quota or settings",
             "portal/email/delivery.py", "is used up\" if result.error_kind == \"quota\" else",
             "is used up\" if result.error_kind != \"quota\" else", "features/email/provider_errors.feature",
             "Ada sees why delivery is held|told once about the quota"),
    Mutation("gap-mux-signature-unknown-part", "a part of Mux's signature the portal does not know is ignored",
             "portal/video/signatures.py", '        if name == "t":', '        if name <= "t":',
             "features/cuts/mux_reports.feature", "does not know is believed"),
]
MUTATIONS += [
    Mutation("gap-record-id-as-text", "a milestone named in a new order by its number written as text is refused",
             "portal/projects/work_router.py",
             "RecordId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True)", "RecordId = Annotated[int, Field(ge=1, le=MAX_ID, strict=False)",
             BUSY, "by its number written as text"),
]
MUTATIONS += [
    Mutation("gap-session-13-hours", "a session lasts 12 hours, not a minute more", "portal/config.py",
             "    session_lifetime_hours: int = 12", "    session_lifetime_hours: int = 13", SIGN_IN, "A session lasts 12 hours"),
]
# what the document says, each caught by the served document differing from the published one
MUTATIONS += [
    Mutation("gap-doc-unlock-status", "the document says the password form answers 303", "portal/sharing/guest_router.py",
             "summary=\"Enter a link's password (form field `password`)\", status_code=303,",
             "summary=\"Enter a link's password (form field `password`)\", status_code=304,", DESCRIPTION, PUBLISHED),
    Mutation("gap-doc-organisation-id-bound", "the document bounds an organisation id as a bigint",
             "portal/people/router.py", "organisation_id: int | None = Field(default=None, ge=1, le=2**63 - 1,",
             "organisation_id: int | None = Field(default=None, ge=1, le=2**63 >> 1,", DESCRIPTION, PUBLISHED),
    Mutation("gap-doc-invitation-suppressed-status", "the document says an invitation to a suppressed address is 409",
             "portal/people/router.py", '    409: "address_suppressed:', '    408: "address_suppressed:', DESCRIPTION, PUBLISHED),
    Mutation("gap-doc-retry-after-on-busy", "the document puts Retry-After on the generic 503 only",
             "portal/web/openapi.py", "(status == 503 and generic)", "(status != 503 and generic)", DESCRIPTION, PUBLISHED),
    Mutation("gap-doc-413-on-bodies", "the document lists 413 on every method with a body", "portal/web/openapi.py",
             "wanted |= {400, 413}", "wanted |= {400, 412}", DESCRIPTION, PUBLISHED),
    Mutation("gap-doc-bigint-bounds", "the document bounds ids as PostgreSQL bigints", "portal/web/openapi.py",
             "min(int(node[bound]), 2**63 - 1)", "min(int(node[bound]), 2+63 - 1)", DESCRIPTION, PUBLISHED),
    Mutation("gap-doc-location-on-redirects", "the document gives every redirect its Location", "portal/web/openapi.py",
             "    if 300 <= status < 400:\n        names.append", "    if 300 <= status > 400:\n        names.append",
             DESCRIPTION, PUBLISHED),
    Mutation("gap-doc-optional-text-pattern", "an optional text's pattern allows it empty", "portal/web/openapi.py",
             "    if min_length == 0:\n        core", "    if min_length == -1:\n        core", DESCRIPTION, PUBLISHED),
]
MUTATIONS += [
    Mutation("gap-lockout-window-seconds", "a locked link stays locked for the rest of the 15 minutes",
             "portal/sharing/policy.py", "LOCKOUT_WINDOW_SECONDS = 15 * 60", "LOCKOUT_WINDOW_SECONDS = 15 ^ 60",
             PASSWORDS, "even the right one"),
]
MUTATIONS += [
    Mutation("gap-read-body-limited", "a read is answered as a read, whatever body is attached", "portal/web/middleware.py",
             'if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):',
             'if scope["type"] != "http" and scope.get("method") in ("GET", "HEAD", "OPTIONS"):',
             "features/api/answers_from_every_layer.feature", "safeguards"),
]
MUTATIONS += [
    Mutation("gap-name-may-be-blank", "a cut's title and file name may not be blank", "portal/projects/router.py",
             "Name = Annotated[str, Field(min_length=1, max_length=200,", "Name = Annotated[str, Field(min_length=0, max_length=200,",
             "features/cuts/uploading_cuts.feature", "left blank"),
]
MUTATIONS += [
    Mutation("gap-delivery-pass-size", "a burst of emails goes out without waiting for the worker's next poll",
             "portal/email/delivery.py", "        attempted += 1\n    return attempted",
             "        attempted += 2\n    return attempted",
             SIGN_IN, "A hundred people confirming their own links at the same moment"),
]

# seed 21 (stop 21): no scenario sent a request the server cannot read as HTTP
UNREADABLE = "features/api/answers_from_every_layer.feature"
MUTATIONS += [
    Mutation("gap-unreadable-without-safeguards", "an answer refused before routing carries the security headers",
             "portal/web/protocol.py", "        *SECURITY_HEADERS,\n", "", UNREADABLE, "cannot be read as HTTP"),
    Mutation("gap-unreadable-without-request-id", "an answer refused before routing carries a request id",
             "portal/web/protocol.py", '        (b"x-request-id", request_id.encode("ascii")),\n', "", UNREADABLE,
             "cannot be read as HTTP"),
]
MUX_REPORTS = "features/cuts/mux_reports.feature"
MUTATIONS += [
    Mutation("gap-mux-tolerance-299", "a report signed exactly 5 minutes before or after the portal's time is believed",
             "portal/video/signatures.py", "TOLERANCE_SECONDS = 300", "TOLERANCE_SECONDS = 299", MUX_REPORTS,
             "exactly 5 minutes"),
    Mutation("gap-mux-tolerance-at-limit", "a report signed exactly 5 minutes off is believed, not refused",
             "portal/video/signatures.py", "if abs(now - timestamp) > TOLERANCE_SECONDS:",
             "if abs(now - timestamp) >= TOLERANCE_SECONDS:", MUX_REPORTS, "exactly 5 minutes"),
    Mutation("gap-mux-tolerance-301", "a report signed 5 minutes and 1 second off is refused",
             "portal/video/signatures.py", "TOLERANCE_SECONDS = 300", "TOLERANCE_SECONDS = 301", MUX_REPORTS,
             "5 minutes and 1 second"),
    Mutation("gap-mux-only-stale-refused", "a report signed too far in the future is refused too",
             "portal/video/signatures.py", "if abs(now - timestamp) > TOLERANCE_SECONDS:",
             "if now - timestamp > TOLERANCE_SECONDS:", MUX_REPORTS, "5 minutes and 1 second"),
]
MUTATIONS += [
    Mutation("gap-mux-process-time-read-elsewhere", "the age of a Mux signature is measured by the portal's clock",
             "portal/video/webhook_router.py", "now=request.app.state.clock.time())", 'now=__import__("time").time())',
             MUX_REPORTS, "exactly 5 minutes"),
]
READINESS = "features/operations/health_and_readiness.feature"
MUTATIONS += [
    Mutation("gap-readiness-cache-default-2", "unless configured otherwise, a readiness answer is kept for 3 seconds",
             "portal/config.py", "readiness_cache_seconds: float = 3.0", "readiness_cache_seconds: float = 2.0",
             READINESS, "kept for 3 seconds"),
    Mutation("gap-readiness-cache-default-4", "unless configured otherwise, the dependencies are checked again after 3 seconds",
             "portal/config.py", "readiness_cache_seconds: float = 3.0", "readiness_cache_seconds: float = 4.0",
             READINESS, "kept for 3 seconds"),
    Mutation("gap-readiness-cache-kept-at-limit", "a readiness answer exactly as old as the cache's time is not reused",
             "portal/health/checks.py", "clock.monotonic() - self._at >= self.seconds",
             "clock.monotonic() - self._at > self.seconds", READINESS, "kept for 3 seconds"),
    Mutation("gap-readiness-cache-time-read-elsewhere", "how long a readiness answer is reused is measured by the portal's clock",
             "portal/health/checks.py", "if self._results is None or clock.monotonic() - self._at",
             'if self._results is None or __import__("time").monotonic() - self._at', READINESS, "kept for 3 seconds"),
]
MUTATIONS += [
    Mutation("gap-mux-object-not-kept", "a report is recorded with the asset (or upload) Mux named", "portal/video/lifecycle.py",
             'object_id=str(obj["id"]) if obj.get("id") is not None else None',
             'object_id=str(obj["id"]) if not obj.get("id") is not None else None', MUX_REPORTS,
             "with the asset it named"),
]
MUTATIONS += [
    Mutation("gap-host-header-status", "a request without exactly one Host header is answered 400",
             "portal/web/middleware.py", 'await _send_json(send_with_headers, 400, error_body("bad_request", "Send exactly one Host header."))',
             'await _send_json(send_with_headers, 399, error_body("bad_request", "Send exactly one Host header."))',
             UNREADABLE, "Host header"),
    Mutation("gap-host-header-missing-allowed", "a request without a Host header is refused",
             "portal/web/middleware.py", 'sum(name == b"host" for name, _ in request_headers) != 1:',
             'sum(name == b"host" for name, _ in request_headers) > 1:', UNREADABLE, "without a Host header"),
    Mutation("gap-host-header-two-allowed", "a request with two Host headers is refused",
             "portal/web/middleware.py", 'sum(name == b"host" for name, _ in request_headers) != 1:',
             'sum(name == b"host" for name, _ in request_headers) < 1:', UNREADABLE, "two Host headers"),
]
ERROR_LOG = "features/operations/error_log.feature"
MUTATIONS += [
    Mutation("gap-error-line-for-every-answer", "only a 5xx answer writes an error line", "portal/web/middleware.py",
             'if state["started"] and state["status"] >= 500 and not state.get("logged"):',
             'if state["started"] and state["status"] >= 500 or not state.get("logged"):', ERROR_LOG,
             "no failure of the portal's"),
]
MUTATIONS += [
    Mutation("gap-unhandled-not-logged", "a failure in the portal's code is logged as one JSON line", "portal/web/middleware.py",
             "            error_log.error(error_line(request_id, scope, 500, exc))", "            pass", ERROR_LOG,
             "says it failed, and logs what failed"),
    Mutation("gap-unhandled-error-unnamed", "the error line of a failure names what failed", "portal/web/middleware.py",
             'entry["error"] = type(exc).__name__', 'entry["error"] = "error"', ERROR_LOG, "says it failed, and logs what failed"),
    Mutation("gap-unhandled-answer-code", "a failure in the portal's code is answered internal_error", "portal/web/middleware.py",
             '                    "internal_error",', '                    "server_error",', ERROR_LOG,
             "says it failed, and logs what failed"),
    Mutation("gap-unhandled-answer-status", "a failure in the portal's code is answered 500", "portal/web/middleware.py",
             "                await _send_json(send_with_headers, 500, error_body(", "                await _send_json(send_with_headers, 502, error_body(",
             ERROR_LOG, "says it failed, and logs what failed"),
]
NO_LOST_UPDATES = "features/projects/no_lost_updates.feature"
MUTATIONS += [
    Mutation("gap-unknown-tag-is-first-version", "a change naming a version the portal never gives out matches none",
             "portal/web/deps.py", "return int(match.group(1)) if match else 0", "return int(match.group(1)) if match else 1",
             NO_LOST_UPDATES, "never gives out"),
    Mutation("gap-weak-tag-taken", "a weak tag names no version the portal gave out", "portal/web/deps.py",
             "    match = _ETAG.match(if_match.strip())", '    match = _ETAG.match(if_match.strip().removeprefix("W/"))',
             NO_LOST_UPDATES, "never gives out"),
]
MUTATIONS += [
    Mutation("gap-whole-number-written-with-point", "a whole number written with a decimal point (48.0) is that number",
             "portal/web/openapi.py", "abs(value) < 2**63:", "abs(value) < 2/63:",
             "features/sharing/sharing_cuts_with_guests.feature", "decimal point"),
]
MUTATIONS += [
    Mutation("gap-session-cookie-lifetime", "the browser keeps the session cookie as long as the session lasts",
             "portal/web/deps.py", "max_age=settings.session_lifetime_hours * 3600,",
             "max_age=settings.session_lifetime_hours + 3600,", "features/auth/magic_link_sign_in.feature",
             "kept as long as the session"),
    Mutation("gap-accepting-sets-its-own-cookie", "accepting an invitation sets the session cookie as a sign-in link does",
             "portal/people/router.py", "    set_session_cookie(response, request, cfg, accepted.session_id)",
             '    response.set_cookie(cfg.session_cookie_name, accepted.session_id, path="/")',
             "features/people/invitations.feature", "as a sign-in link does"),
]
