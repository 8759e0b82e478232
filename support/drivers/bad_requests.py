"""Malformed and invalid requests, as a careless or hostile integration sends them."""
from __future__ import annotations

import json

from support.drivers import sharing
from support.drivers.projects import Cut
from support.drivers.sign_in import LINK_REQUESTS
from support.harness.http import Exchange, PortalClient

_JSON = {"Content-Type": "application/json"}


def _valid(world) -> dict:
    return {"email": f"integration.{world.suffix}@brightside.example"}


BAD_SIGN_IN_LINK_REQUESTS = {
    "a body that is not valid JSON": lambda w: {"content": b'{"email": "x@brightside.example",', "headers": _JSON},
    "no body at all": lambda w: {"headers": _JSON},
    "a list instead of an object": lambda w: {"content": json.dumps([_valid(w)]), "headers": _JSON},
    "a number as the email address": lambda w: {"json": {"email": 42}},
    "no email address": lambda w: {"json": {"next": "/projects"}},
    "something that is not an address": lambda w: {"json": {"email": "not an address"}},
    "an address holding a control character": lambda w: {"json": {"email": f"nul\u0000.{w.suffix}@brightside.example"}},
    "a field the portal does not know": lambda w: {"json": {**_valid(w), "color": "red"}},
    "a return path of 3000 characters": lambda w: {"json": {**_valid(w), "next": "/" + "a" * 2999}},
    "a body of 100 kilobytes": lambda w: {"json": {**_valid(w), "next": "/" + "a" * 100_000}},
    "a body sent as plain text": lambda w: {"content": json.dumps(_valid(w)),
                                            "headers": {"Content-Type": "text/plain"}},
}


def send_bad_link_request(world, client: PortalClient, problem: str) -> Exchange:
    try:
        build = BAD_SIGN_IN_LINK_REQUESTS[problem]
    except KeyError:
        raise AssertionError(f"no such bad request in the harness: {problem!r} "
                             f"(known: {', '.join(BAD_SIGN_IN_LINK_REQUESTS)})") from None
    return client.post(LINK_REQUESTS, **build(world))


# -- the size limit on request bodies ------------------------------------------------------------

# the statuses README's "Errors" table documents for each error code
DOCUMENTED_STATUS = {
    "malformed_json": 400, "missing_body": 400, "validation_failed": 422, "unsupported_media_type": 415,
    "payload_too_large": 413, "not_signed_in": 401, "not_found": 404, "method_not_allowed": 405,
    "version_mismatch": 412, "precondition_required": 428, "restore_period_over": 409,
    "project_not_deleted": 409, "email_unavailable": 503, "share_link_not_live": 409, "rate_limited": 429,
    "invalid_signature": 401, "invalid_webhook": 400, "not_resendable": 409, "webhooks_not_configured": 503,
    "service_busy": 503, "internal_error": 500,
}

SIZES = {"exactly the limit": 0, "one byte over the limit": 1}
PIECE = 4096


# the documented default of PORTAL_MAX_BODY_BYTES, which the suite's portal keeps (README, "Settings")
DEFAULT_SIZE_LIMIT = 64 * 1024


def size_limit(world) -> int:
    return DEFAULT_SIZE_LIMIT


def link_request_of_size(world, size: int) -> bytes:
    """A valid sign-in link request of exactly `size` bytes: JSON, padded with spaces."""
    body = json.dumps(_valid(world)).encode()
    if len(body) > size:
        raise AssertionError(f"a link request cannot be as small as {size} bytes")
    return body + b" " * (size - len(body))


def send_link_request_of_size(world, client: PortalClient, size: str, declared: bool) -> Exchange:
    """`size` is a key of SIZES; declared: with Content-Length, else in pieces without it."""
    body = link_request_of_size(world, size_limit(world) + SIZES[size])
    if declared:
        return client.post(LINK_REQUESTS, content=body, headers=_JSON)
    pieces = (body[i:i + PIECE] for i in range(0, len(body), PIECE))
    return client.post(LINK_REQUESTS, content=pieces, headers=_JSON)


def traces_left(world) -> dict[str, int]:
    """What a link request leaves behind when it is accepted: a rate-limit hit and a queued job."""
    counts = {}
    for table, column in (("rate_limit_hits", "hit_at"), ("jobs", "created_at"), ("audit_events", "occurred_at")):
        counts[table] = world.db.execute(
            f"SELECT count(*) AS n FROM {table} WHERE {column} >= %s", (world.started_at,)
        ).fetchone()["n"]
    return counts


# -- share links and ids in addresses ---------------------------------------------------------

# -- bad requests ---------------------------------------------------------------------------------

BAD_SHARE_LINK_REQUESTS = {
    "an expiry of 0 hours": lambda cut: (cut.id, {"expires_in_hours": 0}),
    "an expiry of 31 days": lambda cut: (cut.id, {"expires_in_hours": 31 * 24}),
    "an expiry that is not a number": lambda cut: (cut.id, {"expires_in_hours": "a week"}),
    'the permission "edit"': lambda cut: (cut.id, {"permission": "edit"}),
    "a password of 129 characters": lambda cut: (cut.id, {"password": "p" * 129}),
    "a password of 7 characters": lambda cut: (cut.id, {"password": "p" * 7}),
    "a field the portal does not know": lambda cut: (cut.id, {"permission": "view", "color": "red"}),
    "a cut id that is not a number": lambda cut: ("harbour-lights", {}),
    "a cut id beyond any real id": lambda cut: (str(2**63), {}),
    "a cut id of zero": lambda cut: ("0", {}),
}


def send_bad_share_link_request(world, client: PortalClient, problem: str, cut: Cut) -> Exchange:
    try:
        cut_id, body = BAD_SHARE_LINK_REQUESTS[problem](cut)
    except KeyError:
        raise AssertionError(f"no such bad share link request in the harness: {problem!r} "
                             f"(known: {', '.join(BAD_SHARE_LINK_REQUESTS)})") from None
    return client.post(sharing.share_links_of(cut_id), content=json.dumps(body), headers={"Content-Type": "application/json"})


MALFORMED_ID_REQUESTS = {
    "for the project": lambda client, id: client.get(f"/projects/{id}"),
    "for the cut": lambda client, id: client.get(f"/assets/{id}"),
    "to revoke the share link": lambda client, id: client.post(f"{sharing.share_links_of(1)}/{id}/revoke"),
    "to rotate the share link": lambda client, id: client.post(f"{sharing.share_links_of(1)}/{id}/rotate"),
    "to lift the suppression": lambda client, id: client.post(f"/admin/suppressions/{id}/lift"),
    # the value as it travels in the address, percent-encoded: "a%00b" holds a NUL character
    "for the emails to the address": lambda client, id: client.get(f"/admin/emails?recipient={id}"),
    "for the email": lambda client, id: client.get(f"/admin/emails/{id}"),
    "to send again the email": lambda client, id: client.post(f"/admin/emails/{id}/resend"),
}


def send_malformed_id_request(client: PortalClient, request: str, id: str) -> Exchange:
    if request not in MALFORMED_ID_REQUESTS:
        raise AssertionError(f"no such request in the harness: {request!r} (known: {', '.join(MALFORMED_ID_REQUESTS)})")
    return MALFORMED_ID_REQUESTS[request](client, id)
