"""Deleting a cut reaches Mux: its asset is deleted by a job (retried with back-off, then left
failed for an operator: the queue's dead letter), never inside the request that deleted the cut.

A cut deleted with its project is not deleted in Mux: a studio admin may restore the project
within 30 days (portal/projects/service.py), and its cuts must still play then.
"""
from __future__ import annotations

from psycopg import Connection

from portal.config import Settings
from portal.projects.removal import Removal

from . import mux
from .lifecycle import DELETE_JOB, enqueue_deletion


def on_removal(conn: Connection, removal: Removal) -> dict:
    """The removal step (registered in portal/app.py): a deletion job per cut that has a Mux asset."""
    if removal.restorable or not removal.asset_ids:
        return {}
    rows = conn.execute(
        "SELECT id, mux_asset_id, data_residency FROM assets WHERE id = ANY(%s) AND mux_asset_id IS NOT NULL ORDER BY id",
        (removal.asset_ids,)).fetchall()
    jobs = [enqueue_deletion(conn, r["id"], r["mux_asset_id"], r["data_residency"]) for r in rows]
    return {"mux_deletion_job_ids": jobs} if jobs else {}


def delete_job(settings: Settings):
    """The job handler: raises (so the queue retries) while Mux cannot be reached or refuses."""
    def handle(conn: Connection, payload: dict) -> None:
        mux.client(settings, payload["residency"]).delete_asset(payload["mux_asset_id"])
    return handle


__all__ = ["DELETE_JOB", "delete_job", "on_removal"]
