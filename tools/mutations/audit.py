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
