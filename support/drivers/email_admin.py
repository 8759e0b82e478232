"""The email administration a studio admin uses: emails with their timelines, a recipient's
history, dead letters, the suppression list. Everything read is attached to the report."""
from __future__ import annotations

from urllib.parse import urlencode

from support.drivers.email_delivery import template_of
from support.evidence import attachments
from support.harness.expect import answered
from support.harness.http import Exchange, PortalClient

EMAILS = "/admin/emails"
SUPPRESSIONS = "/admin/suppressions"
DELIVERY = "/admin/email-delivery"


def open_email(client: PortalClient, public_id: str) -> Exchange:
    return client.get(f"{EMAILS}/{public_id}")


def read_email(world, admin, public_id: str) -> dict:
    """The email's status and timeline, as `admin` sees it (attached to the report)."""
    email = answered(world, open_email(admin.client, public_id), 200, meaning=f"{admin.name} to see the email").json()
    attachments.attach_timeline(world, email)
    return email


def list_emails(client: PortalClient, **filters) -> Exchange:
    query = urlencode({k: v for k, v in filters.items() if v is not None})
    return client.get(f"{EMAILS}?{query}" if query else EMAILS)


def emails_to(world, admin, address: str) -> list[dict]:
    answer = answered(world, list_emails(admin.client, recipient=address), 200,
                      meaning=f"{admin.name} to see the emails to {address}")
    emails = answer.json()["emails"]
    attachments.attach_json(world, f"Emails to {address}, as {admin.name} sees them", emails)
    return emails


def dead_letters(world, admin) -> list[dict]:
    emails = answered(world, list_emails(admin.client, status="dead"), 200,
                      meaning=f"{admin.name} to see the dead letters").json()["emails"]
    attachments.attach_json(world, "Dead letters", emails)
    return emails


def attempt_send_again(client: PortalClient, public_id: str) -> Exchange:
    return client.post(f"{EMAILS}/{public_id}/resend")


def list_suppressions(client: PortalClient) -> Exchange:
    return client.get(SUPPRESSIONS)


def suppression_list(world, admin) -> list[dict]:
    entries = answered(world, list_suppressions(admin.client), 200,
                       meaning=f"{admin.name} to see the suppression list").json()["suppressions"]
    attachments.attach_json(world, "Suppression list", entries)
    return entries


def suppression_of(world, admin, address: str) -> dict | None:
    found = [s for s in suppression_list(world, admin) if s["address"] == address.lower()]
    return found[0] if found else None


def attempt_lift(client: PortalClient, suppression_id: int) -> Exchange:
    return client.post(f"{SUPPRESSIONS}/{suppression_id}/lift")


def expect_nothing_there(world, exchange: Exchange, who: str) -> None:
    answered(world, exchange, 404, meaning=f"{who} to be told there is nothing there")
    code = exchange.json().get("error", {}).get("code")
    if code != "not_found":
        raise AssertionError(f"expected the not_found error, but {exchange.summary(world.secrets)}")


def newest_email(world, admin, actor, kind: str) -> dict:
    """The newest email of `kind` to `actor`, found and opened the way an admin does."""
    template = template_of(kind)
    emails = [e for e in emails_to(world, admin, actor.email) if e["template"] == template]
    if not emails:
        raise AssertionError(f"{admin.name} finds no {kind} to {actor.name}")
    return read_email(world, admin, emails[0]["id"])


def attempt_delivery_state(client: PortalClient) -> Exchange:
    return client.get(DELIVERY)


def delivery_state(world, admin) -> dict:
    """Whether the outbox is sending or held, and why, as `admin` sees it (attached to the report)."""
    state = answered(world, attempt_delivery_state(admin.client), 200,
                     meaning=f"{admin.name} to see the state of email delivery").json()
    attachments.attach_json(world, f"Email delivery, as {admin.name} sees it", state)
    return state


_TOLD = "SELECT action, details FROM audit_events WHERE action = 'email.delivery_held' ORDER BY id"


def times_admins_were_told(world) -> int:
    """How often the portal recorded that it held delivery (the audit log: read from the database)."""
    rows = world.db.execute(_TOLD).fetchall()
    attachments.attach_rows(world, "Delivery holds in the audit log", _TOLD, rows)
    return len(rows)
