"""A cut's life, as Mux reports it: uploading -> processing -> ready | failed, and
uploading -> upload failed. Reports arrive late, twice and out of order; a status never goes
backwards (`may_move`), and `ready` is final but for deletion.

EVENTS is the registry of the Mux event types the portal handles: what each one moves a cut to
(None: acknowledged and recorded, no change). The webhook feature's outline walks it, and a unit
test checks that the two cover each other. Any other type is acknowledged and recorded as ignored.
"""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass

from psycopg import Connection

from portal.email import outbox
from portal.jobs import queue

log = logging.getLogger(__name__)

UPLOADING, PROCESSING, READY, FAILED, UPLOAD_FAILED = "uploading", "processing", "ready", "failed", "upload_failed"
# how far along each status is: a report may move a cut only to a status further along
RANK = {UPLOADING: 0, PROCESSING: 1, UPLOAD_FAILED: 1, READY: 2, FAILED: 2}

CUT_FAILED_EMAIL = "cut_failed"
DELETE_JOB = "mux.delete-asset"


def may_move(current: str, new: str) -> bool:
    return RANK[new] > RANK[current]


@dataclass(frozen=True)
class Handling:
    moves_to: str | None
    meaning: str


EVENTS: dict[str, Handling] = {
    "video.upload.created": Handling(None, "the upload exists (the portal created it)"),
    "video.upload.asset_created": Handling(PROCESSING, "the file arrived and Mux made an asset of it"),
    "video.upload.cancelled": Handling(UPLOAD_FAILED, "the upload was cancelled"),
    "video.upload.errored": Handling(UPLOAD_FAILED, "the upload failed"),
    "video.asset.created": Handling(PROCESSING, "Mux is processing the asset"),
    "video.asset.ready": Handling(READY, "the asset can be played"),
    "video.asset.errored": Handling(FAILED, "Mux could not process the file"),
    "video.asset.updated": Handling(None, "the asset's settings changed"),
    "video.asset.warning": Handling(None, "Mux has a warning about the asset"),
    "video.asset.deleted": Handling(None, "the asset was deleted in Mux"),
}

# outcomes recorded with each report
APPLIED, STALE, NOTED, IGNORED, UNKNOWN_CUT, DUPLICATE = "applied", "stale", "noted", "ignored", "unknown_cut", "duplicate"
UNPLAYABLE = "unplayable"  # `ready` without a signed playback id: the portal cannot play it, the cut stays as it was


class InvalidReport(Exception):
    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


@dataclass(frozen=True)
class Report:
    id: str
    type: str
    object_id: str | None
    data: dict


def parse(body: bytes) -> Report:
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise InvalidReport("The body is not JSON.") from None
    if not isinstance(document, dict):
        raise InvalidReport("The body is not a JSON object.")
    problems = {name: "Required, as text." for name in ("id", "type")
                if not isinstance(document.get(name), str) or not document.get(name)}
    if not isinstance(document.get("data"), dict):
        problems["data"] = "Required, as an object."
    if problems:
        raise InvalidReport("This is not a Mux event.", problems)
    obj = document.get("object") if isinstance(document.get("object"), dict) else {}
    return Report(id=document["id"], type=document["type"],
                  object_id=str(obj["id"]) if obj.get("id") is not None else None, data=document["data"])


def _uuid(value) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        return None


def _refs(report: Report) -> tuple[str | None, str | None, str | None]:
    """(passthrough, upload id, asset id) as the report gives them."""
    data = report.data
    if report.type.startswith("video.upload."):
        settings = data.get("new_asset_settings") if isinstance(data.get("new_asset_settings"), dict) else {}
        return _uuid(settings.get("passthrough")), data.get("id"), data.get("asset_id")
    return _uuid(data.get("passthrough")), data.get("upload_id"), data.get("id")


def _find_cut(conn: Connection, residency: str, report: Report) -> dict | None:
    passthrough, upload_id, asset_id = _refs(report)
    for column, value in (("public_id", passthrough), ("mux_upload_id", upload_id), ("mux_asset_id", asset_id)):
        if isinstance(value, str) and value:
            row = conn.execute(
                "SELECT a.id, a.status, a.title, a.version, a.mux_asset_id, a.created_by, a.deleted_at, a.deleted_with"
                f" FROM assets a WHERE a.{column} = %s AND a.data_residency = %s FOR UPDATE",
                (value, residency)).fetchone()
            if row is not None:
                return row
    return None


def record(conn: Connection, residency: str, report: Report) -> str:
    """Keep the report once by its id and apply it; the outcome (DUPLICATE for a redelivery)."""
    row = conn.execute(
        "INSERT INTO mux_events (event_id, event_type, environment, object_id, outcome)"
        " VALUES (%s, %s, %s, %s, 'pending') ON CONFLICT (event_id) DO NOTHING RETURNING id",
        (report.id, report.type, residency, report.object_id)).fetchone()
    if row is None:
        return DUPLICATE
    handling = EVENTS.get(report.type)
    cut = _find_cut(conn, residency, report) if handling is not None else None
    if handling is None:
        outcome = IGNORED
    elif cut is None:
        outcome = UNKNOWN_CUT
    elif handling.moves_to is None:
        outcome = NOTED
    else:
        outcome = _move(conn, cut, handling.moves_to, report)
    conn.execute("UPDATE mux_events SET outcome = %s, asset_id = %s WHERE id = %s",
                 (outcome, cut["id"] if cut else None, row["id"]))
    return outcome


def _move(conn: Connection, cut: dict, status: str, report: Report) -> str:
    if not may_move(cut["status"], status):
        return STALE
    data = report.data
    _, _, asset_id = _refs(report)
    changes: dict = {"status": status}
    if isinstance(asset_id, str) and asset_id and cut["mux_asset_id"] is None:
        changes["mux_asset_id"] = asset_id
    if status == READY:
        signed = [p.get("id") for p in data.get("playback_ids") or [] if isinstance(p, dict) and p.get("policy") == "signed"]
        if not signed or not isinstance(signed[0], str):
            log.warning("Mux reported asset %s ready without a signed playback id; not playable", asset_id)
            return UNPLAYABLE
        changes.update(playback_id=signed[0], aspect_ratio=data.get("aspect_ratio"),
                       duration_seconds=data.get("duration") if isinstance(data.get("duration"), (int, float)) else None)
    elif status == FAILED:
        errors = data.get("errors") if isinstance(data.get("errors"), dict) else {}
        changes["failure"] = "; ".join(str(m) for m in errors.get("messages") or []) or "Mux could not process the file"
    elif status == UPLOAD_FAILED:
        error = data.get("error") if isinstance(data.get("error"), dict) else {}
        changes["failure"] = str(error.get("message") or "") or (
            "The upload was cancelled" if report.type == "video.upload.cancelled" else "The upload failed")
    assignments = ", ".join(f"{name} = %s" for name in changes)
    conn.execute(f"UPDATE assets SET {assignments}, status_at = now() WHERE id = %s", (*changes.values(), cut["id"]))
    if status == FAILED:
        _tell_uploader(conn, cut, changes["failure"])
    if "mux_asset_id" in changes and cut["deleted_at"] is not None and cut["deleted_with"] is None:
        # the cut was deleted while it was uploading: its asset goes as soon as the portal learns of it
        enqueue_deletion(conn, cut["id"], changes["mux_asset_id"], _residency(conn, cut["id"]))
    return APPLIED


def _residency(conn: Connection, asset_id: int) -> str:
    return conn.execute("SELECT data_residency FROM assets WHERE id = %s", (asset_id,)).fetchone()["data_residency"]


def _tell_uploader(conn: Connection, cut: dict, failure: str) -> None:
    if cut["created_by"] is None:
        return
    person = conn.execute("SELECT email, name FROM users WHERE id = %s", (cut["created_by"],)).fetchone()
    if person is None:
        return
    outbox.enqueue(conn, CUT_FAILED_EMAIL, person["email"], {
        "name": person["name"], "title": cut["title"], "version": cut["version"], "failure": failure})


def enqueue_deletion(conn: Connection, asset_id: int, mux_asset_id: str, residency: str) -> int:
    return queue.enqueue(conn, DELETE_JOB, {"asset_id": asset_id, "mux_asset_id": mux_asset_id, "residency": residency})


def sweep_abandoned_uploads(conn: Connection) -> int:
    """Uploads past their timeout that never became an asset are given up: `upload failed`."""
    rows = conn.execute(
        "UPDATE assets SET status = %s, failure = 'The upload did not complete in time', status_at = now()"
        " WHERE status = %s AND upload_expires_at < now() RETURNING id", (UPLOAD_FAILED, UPLOADING)).fetchall()
    return len(rows)
