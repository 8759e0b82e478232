"""What every deliberate defect is made of, and where the features it names live."""
from __future__ import annotations

from dataclasses import dataclass

SIGN_IN = "features/auth/magic_link_sign_in.feature"
HEALTH = "features/operations/health_and_readiness.feature"
API = "features/api/bad_requests.feature"
EMAIL = "features/email"
DELIVERY = f"{EMAIL}/delivery.feature"
WEBHOOKS = f"{EMAIL}/webhooks.feature"
BOUNCES = f"{EMAIL}/bounces.feature"
SHARING = "features/sharing"
SHARE = f"{SHARING}/sharing_cuts_with_guests.feature"
REVOKE = f"{SHARING}/revoking_share_links.feature"
PASSWORD = f"{SHARING}/password_protected_links.feature"
MANAGE = f"{SHARING}/who_manages_share_links.feature"
EXPIRY = f"{SHARING}/link_expiry.feature"
PROJECTS = "features/projects/projects_and_cuts.feature"

STUDIO_ADMINS_ONLY = 'studio_admin = require_member("admin", studio_only=True)'
ANY_PRODUCER_TOO = 'studio_admin = require_member("admin", "producer")'


@dataclass(frozen=True)
class Mutation:
    """One deliberate defect: replace `old` (found exactly once in `file`) by `new`, then the
    scenarios of `feature` whose names match `scenario` (a regular expression) must fail."""
    id: str
    rule: str
    file: str
    old: str
    new: str
    feature: str
    scenario: str
