"""Deliberate defects: what the portal does with each answer Resend documents, and calls that
break Resend's contract (the fake refuses them as Resend would and fails the step)."""
from mutations.common import ANY_PRODUCER_TOO, DELIVERY, EMAIL, STUDIO_ADMINS_ONLY, Mutation

ERRORS = f"{EMAIL}/provider_errors.feature"
SENDER = "portal/email/resend.py"
HOLDS = "portal/email/holds.py"

MUTATIONS = [
    # -- passing troubles: retried on the schedule
    Mutation("provider-in-progress-dead", "a 409 concurrent request is retried", SENDER,
             "    if status == 409 and name in IN_PROGRESS_ERRORS:", "    if False:",
             ERRORS, "the same email still being handled"),
    Mutation("provider-proxy-page-dead", "a proxy's non-JSON 5xx is retried", SENDER,
             "    if status >= 500:\n", "    if status >= 500 and body:\n",
             ERRORS, "a page from a proxy"),
    # -- refused emails: dead-lettered at once
    Mutation("provider-security-error-retried", "a 451 security error is not retried", SENDER,
             "    if status >= 500:\n", "    if status >= 451:\n",
             ERRORS, "as a security risk"),
    # -- the quota: the whole outbox held, no retries spent
    Mutation("provider-quota-as-rate-limit", "a quota stop holds the outbox, not the retry schedule", SENDER,
             "    if status == 429 and name in QUOTA_ERRORS:", "    if False:",
             ERRORS, "quota"),
    Mutation("provider-hold-ignored", "nothing is sent while the outbox is held", "portal/email/delivery.py",
             '                f" AND NOT {holds.HELD}"', '                ""',
             ERRORS, "(not a moment before|no other email is sent)"),
    Mutation("provider-hold-spends-attempts", "a held email spends none of its attempts", "portal/email/delivery.py",
             '"UPDATE emails SET last_attempt_at = now(), last_error = %s, last_error_kind = %s, next_attempt_at = %s"',
             '"UPDATE emails SET attempts = attempts + 1, last_attempt_at = now(), last_error = %s,'
             ' last_error_kind = %s, next_attempt_at = %s"',
             ERRORS, "spends none of them"),
    Mutation("provider-quota-hold-too-short", "a quota hold lasts an hour", HOLDS,
             'HOLD_MINUTES = {"quota": 60, "refused": 15}', 'HOLD_MINUTES = {"quota": 30, "refused": 15}',
             ERRORS, "quota is used up: an hour later"),
    Mutation("provider-refused-hold-too-long", "a refused setting is looked at again after 15 minutes", HOLDS,
             'HOLD_MINUTES = {"quota": 60, "refused": 15}', 'HOLD_MINUTES = {"quota": 60, "refused": 30}',
             ERRORS, "looked at again after 15 minutes"),
    Mutation("provider-hold-never-ends", "delivery resumes once Resend accepts again", "portal/email/delivery.py",
             "        holds.release(conn)  # Resend takes email again: a hold in force ends", "        pass",
             ERRORS, "(quota has reset|settings are put right)"),
    Mutation("provider-told-every-time", "studio admins are told once per hold", HOLDS,
             '    if row["refusals"] == 1:  # told once, when the hold opens', "    if True:",
             ERRORS, "told once"),
    Mutation("provider-readiness-blind", "readiness shows a held outbox", "portal/email/delivery.py",
             '        if held is not None:\n            return "quota_exceeded" if held["kind"] == "quota" else "refused"\n',
             "",
             ERRORS, "readiness check shows"),
    # -- refused settings: held, not dead-lettered
    Mutation("provider-refused-dead", "a refused setting holds the outbox instead of killing each email", SENDER,
             "    if status in (401, 403) or name in CONFIGURATION_ERRORS:", "    if False:",
             ERRORS, "Resend refuses"),
    Mutation("provider-from-address-dead", "a refused sender address holds the outbox", SENDER,
             'CONFIGURATION_ERRORS = frozenset({"invalid_from_address"})', "CONFIGURATION_ERRORS = frozenset()",
             ERRORS, "the sender address"),
    Mutation("provider-delivery-state-public", "only studio admins see the state of email delivery",
             "portal/email/admin_router.py", STUDIO_ADMINS_ONLY, ANY_PRODUCER_TOO,
             ERRORS, "cannot see the state of email delivery"),
    # -- calls that break Resend's contract: the fake answers as Resend does and fails the step
    Mutation("provider-tag-with-dots", "the portal's tags are what Resend accepts", SENDER,
             '"tags": [{"name": "template", "value": email["template"]}],',
             '"tags": [{"name": "template", "value": email["template"].replace("_", ".")}],',
             DELIVERY, "goes out on the next attempt"),
    Mutation("provider-idempotency-key-too-long", "the idempotency key is 1-256 characters", SENDER,
             "    return f\"email-{email['public_id']}\" + (", "    return f\"email-{email['public_id']}\" * 8 + (",
             DELIVERY, "answer was lost"),
]
