"""Defects that cosmic-ray found the suite letting through (docs/mutation-triage.md), each now
caught by the scenario written for it. The mutant itself, as cosmic-ray made it, is the defect."""
from __future__ import annotations

from .common import Mutation

HANDOVER = "features/projects/handing_over_tasks.feature"
SIZE = "features/api/request_size_limit.feature"

MUTATIONS = [
    Mutation("gap-suspend-later-agency", "agency admins suspend only their own people, whichever agency came first",
             "portal/accounts/suspension.py",
             "person.tenant_id != admin.tenant_id):", "person.tenant_id < admin.tenant_id):",
             HANDOVER, "cannot suspend .* of another agency"),
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
