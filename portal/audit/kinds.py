"""The catalogue of audit kinds: every kind of entry the portal writes to the audit log, what it
means, and whether it names a person (an account that acted or was acted on, or a masked address).

The audit log refuses a kind that is not here (`portal.audit.log.record` raises), and
tests/portal/audit/test_kinds.py walks the portal's code and the audit feature's outline so the
catalogue, the code and the specification list the same kinds. A new kind is one line below.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AuditKind:
    name: str
    description: str
    names_person: bool


class UnknownAuditKind(ValueError):
    """Code tried to write an audit kind the catalogue does not list."""


KINDS: dict[str, AuditKind] = {kind.name: kind for kind in (
    # signing in
    AuditKind("sign_in.link_requested", "Someone asked for a sign-in link (issued, ignored or rate limited)", True),
    AuditKind("sign_in", "Someone followed a sign-in link (signed in, or refused and why)", True),
    # people
    AuditKind("person.suspended", "An admin suspended a person", True),
    AuditKind("person.reinstated", "An admin reinstated a suspended person", True),
    AuditKind("invitation.sent", "An admin invited an address (sent, refused for a suppressed address, or rate limited)", True),
    AuditKind("invitation.withdrawn", "An invitation was withdrawn: by its inviter, or because the inviter left", True),
    AuditKind("invitation.accepted", "Someone accepted an invitation and got an account (or was refused and why)", True),
    # projects, milestones and tasks
    AuditKind("project.created", "A project was started", True),
    AuditKind("project.updated", "A project was renamed or its settings changed", True),
    AuditKind("project.deleted", "A project was deleted, with what went with it", True),
    AuditKind("project.restored", "A deleted project was restored", True),
    AuditKind("asset.deleted", "A cut was deleted and its share links revoked", True),
    AuditKind("milestone.created", "A milestone was added to a project", True),
    AuditKind("milestone.updated", "A milestone was changed", True),
    AuditKind("milestone.reordered", "A project's milestones were put in a new order", True),
    AuditKind("milestone.deleted", "A milestone and its open tasks were deleted", True),
    AuditKind("task.created", "A task was added", True),
    AuditKind("task.updated", "A task was changed", True),
    AuditKind("task.completed", "A task was marked done", True),
    AuditKind("task.reopened", "A done task was opened again", True),
    AuditKind("task.deleted", "A task was deleted", True),
    AuditKind("task.handed_over", "A leaving person's task went to a colleague", True),
    AuditKind("task.unassigned", "A leaving person's task was left without an assignee", True),
    # share links
    AuditKind("share_link.created", "A share link to a cut was made", True),
    AuditKind("share_link.revoked", "A share link was revoked (by hand, by rotation, or with its cut)", True),
    AuditKind("share_link.rotated", "A share link was replaced by a new one", True),
    # email
    AuditKind("email.sent_again", "An admin sent an email again", True),
    AuditKind("email.suppression_lifted", "An admin lifted a suppression so an address gets email again", True),
    AuditKind("email.delivery_held", "The portal held email delivery: the provider refused or rationed it", False),
    AuditKind("email.delivery_resumed", "The provider accepts email again and delivery resumed", False),
    # operations
    AuditKind("scheduled_task.run", "An admin ran a scheduled task on demand", True),
    AuditKind("audit.retention_applied", "Audit entries past the retention period were removed (how many)", False),
    AuditKind("project.legal_hold_placed", "A studio admin put a project under legal hold", True),
    AuditKind("project.legal_hold_lifted", "A studio admin lifted a project's legal hold", True),
)}


def get(name: str) -> AuditKind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownAuditKind(
            f"audit kind {name!r} is not in the catalogue (portal/audit/kinds.py): add it there with its "
            "description, and to the audit feature's outline"
        ) from None
