"""Deliberate defects: the audit log as admins read it. Each names the rule it breaks and the scenarios that must go red."""
from mutations.common import Mutation

AUDIT = "features/audit/reading_the_audit_log.feature"
ROUTER = "portal/audit/router.py"
QUERY = "portal/audit/query.py"

MUTATIONS = [
    Mutation("audit-agency-sees-all", "an agency admin reads only their organisation's entries", ROUTER,
             '    studio = admin.tenant_kind == "studio"', "    studio = True", AUDIT, "Bea reads only|Lena asks"),
    Mutation("audit-producers-read", "only admins read the audit log", ROUTER,
             'any_admin = require_member("admin")', 'any_admin = require_member("admin", "producer")', AUDIT,
             "Theo cannot|Mallory cannot"),
    Mutation("audit-studio-scoped", "studio admins read every organisation's entries", ROUTER,
             '    studio = admin.tenant_kind == "studio"', '    studio = admin.tenant_kind == "agency"', AUDIT,
             "Ada, at the studio"),
    Mutation("audit-person-ignored", "the person filter", QUERY,
             '        where.append("actor_user_id = %s")\n        params.append(filters.person_id)',
             '        pass', AUDIT, "only what Lena did|two at a time"),
    Mutation("audit-kind-ignored", "the kind filter", QUERY,
             '        where.append("action = %s")\n        params.append(filters.kind)', '        pass', AUDIT,
             "only one kind"),
    Mutation("audit-subject-ignored", "the subject filter", QUERY,
             '        where.append("details ->> %s = %s")\n        params += [filters.subject.key, filters.subject.value]',
             '        pass', AUDIT, "concerns one project|Lena asks"),
    Mutation("audit-range-start-exclusive", "a range includes its start", QUERY,
             '"occurred_at >= %s"', '"occurred_at > %s"', AUDIT, "exactly at the start"),
    Mutation("audit-range-end-inclusive", "a range excludes its end", QUERY,
             '"occurred_at < %s"', '"occurred_at <= %s"', AUDIT, "exactly at the start"),
    Mutation("audit-oldest-first", "newest first", QUERY,
             '" ORDER BY occurred_at DESC, id DESC LIMIT %s"', '" ORDER BY occurred_at, id LIMIT %s"', AUDIT,
             "two at a time"),
    Mutation("audit-cursor-repeats", "each entry exactly once across pages", QUERY,
             '        where.append("(occurred_at, id) < (%s, %s)")', '        where.append("(occurred_at, id) <= (%s, %s)")',
             AUDIT, "two at a time"),
    Mutation("audit-last-page-goes-on", "the last page has no way on", QUERY,
             "if len(rows) > limit else None", "if entries else None", AUDIT, "two at a time"),
    Mutation("audit-cursor-unsigned", "a cursor changed by hand is refused", QUERY,
             "        if not sep or not hmac.compare_digest(signature, _sign(payload, secret)):",
             "        if not sep:", AUDIT, "cursor changed by hand"),
    Mutation("audit-unknown-kind-filter", "an unknown kind is refused", ROUTER,
             "    if kind is not None and kind not in kinds.KINDS:", "    if False:", AUDIT, "catalogue does not list"),
    Mutation("audit-naive-time", "a time without its offset is refused", ROUTER,
             "    if value is not None and value.tzinfo is None:", "    if False:", AUDIT, "without its offset"),
    Mutation("audit-catalogue-wrong", "the catalogue says whether a kind names a person", "portal/audit/kinds.py",
             'AuditKind("email.delivery_held", "The portal held email delivery: the provider refused or rationed it", False)',
             'AuditKind("email.delivery_held", "The portal held email delivery: the provider refused or rationed it", True)',
             AUDIT, "explains \"email.delivery_held\""),
]

PERSONAL = "features/audit/nothing_personal_in_clear.feature"

MUTATIONS += [
    Mutation("log-raw-path", "the log names the route, never the key in the address", "portal/web/middleware.py",
             '    return template if template else mask_path(scope.get("path", ""))',
             '    return scope.get("path", "")', PERSONAL, "the log shows the route"),
    Mutation("log-unmasked-unknown-path", "an unknown address is logged with its key masked", "portal/web/middleware.py",
             '    return template if template else mask_path(scope.get("path", ""))',
             '    return template if template else scope.get("path", "")', PERSONAL, "does not exist"),
    Mutation("reports-keep-addresses", "stored reports keep addresses masked", "portal/email/reports.py",
             "    payload = json.loads(mask_addresses(scrub_secrets(json.dumps(report.payload))))",
             "    payload = json.loads(scrub_secrets(json.dumps(report.payload)))", PERSONAL, "scans everything"),
    Mutation("reports-keep-address-list", "stored reports keep no address list in clear", "portal/email/reports.py",
             "         [fingerprint(a) for a in report.addresses], report.bounce,",
             "         report.addresses, report.bounce,", PERSONAL, "scans everything"),
    Mutation("soft-bounce-count-by-address", "soft bounces are counted by the address's fingerprint", "portal/email/suppressions.py",
             '"f": fingerprint(normalized(address)),', '"f": normalized(address),', "features/email/bounces.feature", "soft"),
]

KEEPING = "features/audit/keeping_the_audit_log.feature"

MUTATIONS += [
    Mutation("retention-keeps-everything", "entries older than the period are removed", "portal/audit/retention.py",
             '"DELETE FROM audit_events e WHERE e.occurred_at < now() - make_interval(days => %s)"',
             '"DELETE FROM audit_events e WHERE e.occurred_at < now() - make_interval(days => %s * 2)"', KEEPING,
             "only the one older|configured to keep"),
    Mutation("retention-too-eager", "entries younger than the period stay", "portal/audit/retention.py",
             '"DELETE FROM audit_events e WHERE e.occurred_at < now() - make_interval(days => %s)"',
             '"DELETE FROM audit_events e WHERE e.occurred_at < now() - make_interval(days => %s / 2)"', KEEPING,
             "only the one older|configured to keep"),
    Mutation("retention-ignores-setting", "the period is PORTAL_AUDIT_RETENTION_DAYS", "portal/tasks/registry.py",
             "retention.remove_expired(conn, settings.audit_retention_days,", "retention.remove_expired(conn, 400,",
             KEEPING, "configured to keep"),
    Mutation("retention-not-audited", "each run is audited with its count", "portal/audit/retention.py",
             '               details={"removed": removed, "retention_days": retention_days})',
             '               details={"retention_days": retention_days})', KEEPING, "only the one older|second run"),
    Mutation("retention-ignores-legal-hold", "entries about a held project stay", "portal/tasks/registry.py",
             "keep=legal_hold.AUDIT_ENTRY_HELD),", "),", KEEPING, "legal hold stay"),
    Mutation("legal-hold-misses-tasks", "a held project's tasks' entries stay", "portal/projects/legal_hold.py",
             "    OR e.details ->> 'task_id' IN (SELECT t.id::text FROM project_tasks t WHERE t.project_id = held.id)\n", "",
             KEEPING, "legal hold stay"),
    Mutation("legal-hold-never-lifted", "a lifted hold keeps nothing", "portal/projects/legal_hold.py",
             '"UPDATE projects SET legal_hold_since = NULL, legal_hold_reason = NULL"',
             '"UPDATE projects SET legal_hold_reason = legal_hold_reason"', KEEPING, "hold is lifted"),
    Mutation("legal-hold-agency-admins", "only studio admins place legal holds", "portal/projects/legal_hold_router.py",
             'studio_admin = require_member("admin", studio_only=True)', 'studio_admin = require_member("admin")',
             KEEPING, "Bea cannot|Lena cannot"),
]
