"""Deliberate defects: bad input. Each names the rule it breaks and the scenarios that must go red."""
from mutations.common import API, Mutation

MUTATIONS = [
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
