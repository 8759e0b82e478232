"""The cuts driver: uploads through the portal to the Mux fake, the signed reports Mux sends back,
and the check of the signed Mux addresses guests are sent to."""
from __future__ import annotations

import json
import math
import time
from urllib.parse import parse_qs, urlsplit

import jwt

from support.drivers import projects
from support.fakes import mux as mux_fake
from support.fakes.mux import Upload
from support.harness.expect import answered
from support.harness.http import Exchange, PortalClient

# how the features name Mux's reports
REPORTS = {
    "the upload was created": "video.upload.created",
    "the file arrived": "video.upload.asset_created",
    "the upload was cancelled": "video.upload.cancelled",
    "the upload failed": "video.upload.errored",
    "it is processing the cut": "video.asset.created",
    "the cut is ready": "video.asset.ready",
    "it could not process the cut": "video.asset.errored",
    "the cut's settings changed": "video.asset.updated",
    "it has a warning about the cut": "video.asset.warning",
    "the cut was deleted": "video.asset.deleted",
}
# how the features name a cut's statuses
STATUSES = {"uploading": "uploading", "processing": "processing", "ready": "ready", "failed": "failed",
            "upload failed": "upload_failed"}
# what can go wrong at Mux when the portal asks for an upload
MUX_TROUBLE = {
    "cannot be reached": lambda fake: fake.unreachable(1),
    "answers 500 Internal Error": lambda fake: fake.fail_next(1, 500),
    "answers 503 Service Unavailable": lambda fake: fake.fail_next(1, 503),
    "answers 401 Unauthorized": lambda fake: fake.fail_next(1, 401, message="Unauthorized request"),
}
# what a signature can be wrong in
BAD_SIGNATURES = ("forged", "missing", "malformed (no time)", "malformed (the time in words)", "malformed (two times)",
                  "stale", "from the future", "for another body")


def mux(world) -> mux_fake.MuxFake:
    if world.run.mux is None:
        raise AssertionError("this scenario needs the Mux fake (tag it @mux)")
    return world.run.mux


# -- uploads -----------------------------------------------------------------------------------------

def start_upload(world, client: PortalClient, project_id: int, title: str, version: int, **changes) -> Exchange:
    exchange = projects.attempt_add_cut(client, project_id, title, version, **changes)
    world.last_answer = exchange
    if exchange.status == 201:
        body = exchange.json()
        cut = projects.Cut(id=body["id"], project_id=project_id, title=title, version=version, playback_id=None,
                           organisation="", public_id=cut_row(world, body["id"])["public_id"],
                           data_residency=body["data_residency"])
        world.projects.cuts[title] = cut
        world.projects.cut = cut
        world.cuts.uploads[title] = mux(world).upload_for(cut.public_id)
    return exchange


def the_upload(world, title: str | None = None) -> Upload:
    cut = projects.the_cut(world, title)
    if cut.title not in world.cuts.uploads:
        raise AssertionError(f"the cut {cut.title!r} was not uploaded through the portal in this scenario")
    return world.cuts.uploads[cut.title]


def basic_auth(residency: str) -> str:
    import base64

    env = mux_fake.ENVIRONMENTS[residency]
    return "Basic " + base64.b64encode(f"{env.token_id}:{env.token_secret}".encode()).decode()


def carried_over_unfinished(world, cut_id: int) -> None:
    """The cut as the move to Mux (migration 0011) left a cut that was still being prepared: status
    `processing`, with the playback id it had from before kept."""
    moved = world.db.execute("UPDATE assets SET status = 'processing' WHERE id = %s AND playback_id IS NOT NULL"
                             " RETURNING id", (cut_id,)).fetchone()
    assert moved, f"cut {cut_id} has no playback id to keep"


def cut_row(world, cut_id: int) -> dict:
    row = world.db.execute(
        "SELECT id, public_id::text AS public_id, status, playback_id, duration_seconds, aspect_ratio, failure,"
        " data_residency, mux_upload_id, mux_asset_id, deleted_at FROM assets WHERE id = %s", (cut_id,)).fetchone()
    if row is None:
        raise AssertionError(f"the portal has no record of cut {cut_id}")
    return row


def cuts_in(world, project_id: int) -> int:
    return world.db.execute("SELECT count(*) AS n FROM assets WHERE project_id = %s", (project_id,)).fetchone()["n"]


# -- deletion through the job queue ----------------------------------------------------------------

DELETE_JOB = "mux.delete-asset"


def work_through_jobs(world) -> None:
    """Let the background worker run whatever is due, and wait until it has (bounded)."""
    from support.drivers.email_delivery import work_through_outbox

    work_through_outbox(world)


def deletion_job(world, cut_id: int) -> dict:
    rows = world.db.execute(
        "SELECT id, status, attempts, last_error FROM jobs WHERE kind = %s AND (payload->>'asset_id')::bigint = %s",
        (DELETE_JOB, cut_id)).fetchall()
    if len(rows) != 1:
        raise AssertionError(f"expected one deletion job for cut {cut_id}, found {len(rows)}")
    return rows[0]


def bring_deletion_due(world, cut_id: int) -> None:
    """The deletion's next try is due now (its back-off has passed, as far as the portal can tell)."""
    world.db.execute("UPDATE jobs SET run_at = now() WHERE kind = %s AND (payload->>'asset_id')::bigint = %s"
                     " AND status = 'queued'", (DELETE_JOB, cut_id))


# -- Mux's reports -----------------------------------------------------------------------------------

def webhook_client(world) -> PortalClient:
    if "Mux" not in world.cuts.clients:
        world.cuts.clients["Mux"] = world.client("Mux")
    return world.cuts.clients["Mux"]


def post_report(world, body: bytes, signature: str | None) -> Exchange:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["mux-signature"] = signature
    exchange = webhook_client(world).post("/webhooks/mux", content=body, headers=headers)
    world.last_answer = exchange
    return exchange


def send_report(world, event_type: str, upload: Upload, *, secrets: list[str] | None = None,
                timestamp: int | None = None, **details) -> Exchange:
    """Mux sends the report, signed with the environment's webhook secret (or `secrets`)."""
    body = mux_fake.event(event_type, upload, **details)
    return send_body(world, body, secrets or [upload.environment.webhook_secret], timestamp)


def send_body(world, body: dict, secrets: list[str], timestamp: int | None = None) -> Exchange:
    raw = json.dumps(body).encode()
    world.cuts.sent.append(body)
    return post_report(world, raw, mux_fake.signature(secrets, raw, timestamp))


def send_with_unknown_signature_part(world, upload: Upload, part: str) -> Exchange:
    """A report Mux signed, its `mux-signature` carrying a part the portal does not know as well
    (Mux may add one, as a key id during a rotation)."""
    body = mux_fake.event("video.asset.ready", upload)
    raw = json.dumps(body).encode()
    world.cuts.sent.append(body)
    return post_report(world, raw, f"{part}," + mux_fake.signature([upload.environment.webhook_secret], raw))


def send_with_bad_signature(world, upload: Upload, what: str) -> Exchange:
    body = mux_fake.event("video.asset.ready", upload)
    raw = json.dumps(body).encode()
    secret = upload.environment.webhook_secret
    header = {
        "forged": mux_fake.signature(["a secret Mux never had"], raw),
        "missing": None,
        "malformed (no time)": "v1=" + mux_fake.signature([secret], raw).split("v1=")[1],
        "malformed (the time in words)": "t=now,v1=" + mux_fake.signature([secret], raw).split("v1=")[1],
        "malformed (two times)": f"t={int(time.time())}," + mux_fake.signature([secret], raw),
        "stale": mux_fake.signature([secret], raw, int(time.time()) - 301),
        # rounded up: int() rounded down, so a request that reached the portal in the same second's
        # last few milliseconds arrived only 300 s early, inside the tolerance (a flaky pass)
        "from the future": mux_fake.signature([secret], raw, math.ceil(time.time()) + 301),
        "for another body": mux_fake.signature([secret], raw.replace(b"16:9", b"4:3")),
    }[what]
    return post_report(world, raw, header)


def stranger_upload() -> Upload:
    """An upload (and asset) Mux has, that the portal never asked for."""
    import uuid

    env = mux_fake.ENVIRONMENTS[mux_fake.ANYWHERE]
    return Upload(id=mux_fake.new_id(), url="https://storage.googleapis.com/x", environment=env,
                  body={"new_asset_settings": {"playback_policies": ["signed"], "passthrough": str(uuid.uuid4())}},
                  authorization="")


def recorded_reports(world, event_id: str) -> list[dict]:
    return world.db.execute("SELECT event_type, outcome, asset_id, object_id FROM mux_events WHERE event_id = %s",
                            (event_id,)).fetchall()


# -- signed Mux addresses ----------------------------------------------------------------------------

ADDRESSES = {  # what a guest asked for: (host, path after the playback id, the token's audience)
    "video": ("stream.mux.com", ".m3u8", "v"),
    "download": ("stream.mux.com", "/highest.mp4", "v"),
    "thumbnail": ("image.mux.com", "/thumbnail.jpg", "t"),
}


def expect_mux_address(world, exchange: Exchange, cut: projects.Cut, kind: str, meaning: str) -> dict:
    """Sent on (303) to Mux, for this cut's playback id, with a token signed by the cut's Mux
    environment's URL signing key, for the right audience, that expires within the portal's TTL."""
    answered(world, exchange, 303, meaning=meaning)
    location = exchange.header("location") or ""
    parts = urlsplit(location)
    host, suffix, audience = ADDRESSES[kind]
    if (parts.scheme, parts.netloc, parts.path) != ("https", host, f"/{cut.playback_id}{suffix}"):
        raise AssertionError(f"expected https://{host}/{cut.playback_id}{suffix}, got {location.split('?')[0]!r}")
    tokens = parse_qs(parts.query).get("token", [])
    if len(tokens) != 1:
        raise AssertionError(f"expected one signed token on the address, got {len(tokens)}")
    try:
        claims = jwt.decode(tokens[0], mux_fake.public_key(cut.data_residency), algorithms=["RS256"],
                            audience=audience, options={"require": ["exp", "sub", "aud"]})
    except jwt.PyJWTError as problem:
        raise AssertionError(f"the token does not verify with the {cut.data_residency} environment's signing key "
                             f"for audience {audience!r}: {problem}") from None
    header = jwt.get_unverified_header(tokens[0])
    expected_kid = mux_fake.ENVIRONMENTS[cut.data_residency].signing_key_id
    if header.get("kid") != expected_kid:
        raise AssertionError(f"the token names signing key {header.get('kid')!r}, not {expected_kid!r}")
    if claims["sub"] != cut.playback_id:
        raise AssertionError(f"the token is for playback id {claims['sub']!r}, not this cut's {cut.playback_id!r}")
    now = world.db.execute("SELECT extract(epoch FROM now())::float8 AS t").fetchone()["t"]
    ttl = world.run.portal.settings.media_url_ttl_seconds
    if not 0 < claims["exp"] - now <= ttl + 1:
        raise AssertionError(f"the token should expire within {ttl} s, but expires in {claims['exp'] - now:.0f} s")
    return claims
