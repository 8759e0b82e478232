"""Deliberate defects: cuts through Mux (issue 13): uploads, Mux's signed reports, the lifecycle,
deletion at Mux, data residency, and signed Mux playback for guests."""
from mutations.common import HEALTH, SHARE, Mutation

CUTS = "features/cuts"
UPLOAD = f"{CUTS}/uploading_cuts.feature"
REPORTS = f"{CUTS}/mux_reports.feature"
DELETE = f"{CUTS}/deleting_cuts.feature"
RESIDENCY = f"{CUTS}/data_residency.feature"
PLAY = f"{CUTS}/sharing_what_mux_plays.feature"
ROUTER = "portal/projects/router.py"
MUX = "portal/video/mux.py"
LIFE = "portal/video/lifecycle.py"
SIG = "portal/video/signatures.py"
PLAYBACK = "portal/video/playback.py"
GUEST = "portal/sharing/guest.py"

MUTATIONS = [
    # -- rule 1: the upload handshake
    Mutation("cuts-any-content-type", "only documented video types are uploaded", "portal/video/uploads.py",
             "    if content_type.strip().lower() not in VIDEO_TYPES:", "    if False:", UPLOAD, "file is refused"),
    Mutation("cuts-size-limit-exclusive", "a file of exactly the limit is accepted", "portal/video/uploads.py",
             "    if size_bytes > max_bytes:", "    if size_bytes >= max_bytes:", UPLOAD, "50 GiB is accepted"),
    Mutation("cuts-size-unchecked", "a file over the limit is refused", "portal/video/uploads.py",
             "    if size_bytes > max_bytes:", "    if size_bytes > max_bytes * 2:", UPLOAD, "1 byte is refused"),
    Mutation("cuts-public-playback", "uploads ask Mux for signed playback only", MUX,
             '"playback_policies": ["signed"],', '"playback_policies": ["public"],', UPLOAD, "Theo uploads \"Harbour"),
    Mutation("cuts-no-passthrough", "the upload carries the cut's public id as passthrough", ROUTER,
             "passthrough=public_id,", "passthrough=body.title,", UPLOAD, "Theo uploads \"Harbour"),
    Mutation("cuts-5xx-as-refusal", "Mux's 5xx is 'not answering' (503)", MUX,
             "        if response.status_code >= 500:", "        if response.status_code >= 600:", UPLOAD, "answers 50"),
    Mutation("cuts-token-in-refusal", "Mux's refusal is logged without the token", MUX,
             "            raise MuxRefused(response.status_code, _messages(response))",
             "            raise MuxRefused(response.status_code, _messages(response) + self.environment.token_secret)",
             UPLOAD, "Mux refuses the upload"),
    # -- rule 5: only Mux says what a cut plays
    Mutation("cuts-client-fields-ignored", "a client cannot supply a playback id or storage key", ROUTER,
             '    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)\n    title: Name\n    version',
             '    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)\n    title: Name\n    version',
             UPLOAD, "cannot supply"),
    Mutation("cuts-share-before-ready", "only a ready cut can be shared", "portal/sharing/router.py",
             '        if _owned_asset(conn, user, asset_id).status != "ready":',
             '        if _owned_asset(conn, user, asset_id) is None:', PLAY, "cannot be shared yet"),
    # -- rule 2: webhooks
    Mutation("mux-signature-unchecked", "only a report Mux signed is believed", SIG,
             "        if any(hmac.compare_digest(expected, candidate) for candidate in signatures):",
             "        if True:", REPORTS, "(forged|for another body) signature"),
    Mutation("mux-stale-accepted", "a signature more than 5 minutes old is refused", SIG,
             "    if abs(now - timestamp) > TOLERANCE_SECONDS:", "    if now - timestamp > 100 * TOLERANCE_SECONDS:",
             REPORTS, "stale signature"),
    Mutation("mux-future-accepted", "a signature from more than 5 minutes ahead is refused", SIG,
             "    if abs(now - timestamp) > TOLERANCE_SECONDS:", "    if now - timestamp > TOLERANCE_SECONDS:",
             REPORTS, "from the future"),
    Mutation("mux-rotation-first-v1-only", "any of several v1 signatures may match", SIG,
             "for candidate in signatures)", "for candidate in signatures[:1])", REPORTS, "During a change"),
    Mutation("mux-retired-secret-trusted", "only the current secret is trusted", "portal/video/webhook_router.py",
             "    by_secret = {e.webhook_secret: e.residency for e in environments if e.webhook_secret}",
             "    by_secret = {e.webhook_secret: e.residency for e in environments if e.webhook_secret}\n"
             "    by_secret['spec-webhook-secret-retired-not-a-secret'] = 'anywhere'", REPORTS, "only a retired secret"),
    Mutation("mux-redelivery-twice", "a redelivery has no second effect", LIFE,
             "    if row is None:\n        return DUPLICATE", "    if row is None:\n        return IGNORED",
             REPORTS, "sends twice"),
    Mutation("mux-malformed-accepted", "a signed body that is not a Mux event is 400", "portal/video/webhook_router.py",
             '        raise ApiError(400, "invalid_report", exc.message, exc.fields) from None',
             '        return MuxReportReceived(status="accepted", outcome="ignored")', REPORTS, "not a Mux event"),
    Mutation("mux-unknown-type-failed", "a type the portal does not handle is acknowledged", LIFE,
             "    if handling is None:\n        outcome = IGNORED",
             "    if handling is None:\n        raise InvalidReport('unknown type')", REPORTS, "does not handle"),
    Mutation("mux-unknown-cut-failed", "a report about an unknown cut is acknowledged", LIFE,
             "    elif cut is None:\n        outcome = UNKNOWN_CUT",
             "    elif cut is None:\n        raise LookupError('no such cut')", REPORTS, "does not know"),
    # -- rule 3: the lifecycle
    Mutation("cuts-goes-backwards", "a cut's status never goes backwards", LIFE,
             "    return RANK[new] > RANK[current]", "    return RANK[new] != RANK[current]", REPORTS, "changes nothing"),
    Mutation("cuts-ready-not-final", "ready is final", LIFE,
             "RANK = {UPLOADING: 0, PROCESSING: 1, UPLOAD_FAILED: 1, READY: 2, FAILED: 2}",
             "RANK = {UPLOADING: 0, PROCESSING: 1, UPLOAD_FAILED: 1, READY: 2, FAILED: 3}", REPORTS,
             "After the cut is ready, a late report that it could not process"),
    Mutation("cuts-ready-ignored", "video.asset.ready makes the cut ready", LIFE,
             '"video.asset.ready": Handling(READY,', '"video.asset.ready": Handling(None,', REPORTS, "the cut is ready"),
    Mutation("cuts-cancel-ignored", "a cancelled upload is upload failed", LIFE,
             '"video.upload.cancelled": Handling(UPLOAD_FAILED,', '"video.upload.cancelled": Handling(None,',
             REPORTS, "the upload was cancelled: the cut is upload failed"),
    Mutation("cuts-public-playback-taken", "only a signed playback id makes a cut playable", LIFE,
             'if isinstance(p, dict) and p.get("policy") == "signed"]', 'if isinstance(p, dict)]', REPORTS,
             "only a public playback id"),
    Mutation("cuts-duration-dropped", "a ready cut has Mux's duration", LIFE,
             'duration_seconds=data.get("duration") if', 'duration_seconds=None if', REPORTS, "finishes processing"),
    Mutation("cuts-failure-unannounced", "the uploader is told once when Mux cannot process the cut", LIFE,
             '        _tell_uploader(conn, cut, changes["failure"])', "        pass", REPORTS, "Theo is told once"),
    Mutation("cuts-mux-errors-dropped", "a failed cut keeps Mux's error messages", LIFE,
             '"; ".join(str(m) for m in errors.get("messages") or [])', '""', REPORTS, "Theo is told once"),
    Mutation("cuts-sweep-early", "an upload within its timeout is left alone", LIFE,
             " WHERE status = %s AND upload_expires_at < now() RETURNING id",
             " WHERE status = %s AND upload_expires_at < now() + interval '1 hour' RETURNING id", REPORTS,
             "still within its time"),
    Mutation("cuts-sweep-never", "an abandoned upload is given up", LIFE,
             " WHERE status = %s AND upload_expires_at < now() RETURNING id",
             " WHERE status = %s AND upload_expires_at < now() - interval '1 day' RETURNING id", REPORTS,
             "never completes"),
    # -- rule 8: deletion reaches Mux
    Mutation("cuts-delete-stays-at-mux", "deleting a cut deletes its Mux asset", "portal/app.py",
             '    removal.on_removal("video.delete-mux-asset", video_deletion.on_removal)\n', "", DELETE,
             "Theo deletes the cut: Mux"),
    Mutation("cuts-delete-while-uploading-kept", "a cut deleted while uploading has its asset deleted later", LIFE,
             '        enqueue_deletion(conn, cut["id"], changes["mux_asset_id"], _residency(conn, cut["id"]))', "        pass",
             DELETE, "still uploading"),
    Mutation("cuts-delete-with-project", "a cut deleted with its project stays at Mux", "portal/video/deletion.py",
             "    if removal.restorable or not removal.asset_ids:", "    if not removal.asset_ids:", DELETE,
             "Deleting a project"),
    Mutation("cuts-delete-failure-swallowed", "a failed deletion at Mux is tried again", "portal/video/deletion.py",
             '        mux.client(settings, payload["residency"]).delete_asset(payload["mux_asset_id"])',
             '        try:\n            mux.client(settings, payload["residency"]).delete_asset(payload["mux_asset_id"])\n'
             '        except Exception:\n            pass', DELETE, "Mux fails"),
    Mutation("cuts-delete-in-request", "the deletion at Mux runs in the background", "portal/video/deletion.py",
             '    jobs = [enqueue_deletion(conn, r["id"], r["mux_asset_id"], r["data_residency"]) for r in rows]',
             '    jobs = [enqueue_deletion(conn, r["id"], r["mux_asset_id"], r["data_residency"]) for r in rows]\n'
             '    from portal.config import Settings; from support.fakes.mux import portal_settings\n'
             '    settings = Settings(database_url="x", **portal_settings())\n'
             '    [delete_job(settings)(conn, {"residency": r["data_residency"], "mux_asset_id": r["mux_asset_id"]}) for r in rows]',
             DELETE, "waits for the background worker"),
    # -- rule 7: data residency
    Mutation("residency-ignored-on-upload", "an Australian project's uploads go to Mux in Australia", ROUTER,
             "        upload = mux.client(cfg, project.data_residency).create_upload(",
             '        upload = mux.client(cfg, "anywhere").create_upload(', RESIDENCY, "uploaded to Mux in Australia"),
    Mutation("residency-change-allowed", "the mark cannot change once the project has cuts", "portal/projects/service.py",
             "        raise ResidencyLocked()", "        pass", RESIDENCY, "cannot change"),
    Mutation("residency-wrong-signing-key", "an Australian cut is signed with the Australian key", GUEST,
             "    environment = mux.environments(settings)[link.asset.data_residency]",
             '    environment = mux.environments(settings)["anywhere"]', RESIDENCY, "signed with the Australian"),
    Mutation("residency-any-environment-reports", "each environment reports only on its own cuts", LIFE,
             'f" FROM assets a WHERE a.{column} = %s AND a.data_residency = %s FOR UPDATE",',
             'f" FROM assets a WHERE a.{column} = %s AND %s IS NOT NULL FOR UPDATE",', RESIDENCY,
             "signed by the usual environment"),
    # -- rule 6: signed playback
    Mutation("playback-long-token", "a guest's token expires within the media TTL", GUEST,
             "int(link.now_epoch) + settings.media_url_ttl_seconds)", "int(link.now_epoch) + 7 * 24 * 3600)",
             PLAY, "streams it from Mux"),
    Mutation("playback-thumbnail-video-audience", "a thumbnail token has audience t", PLAYBACK,
             'f"?token={token(environment, playback_id, THUMBNAIL, expires)}")',
             'f"?token={token(environment, playback_id, VIDEO, expires)}")', SHARE, "thumbnail"),
    Mutation("playback-wrong-kid", "the token names the signing key's id", PLAYBACK,
             'headers={"kid": environment.signing_key_id})', 'headers={"kid": "studio"})', PLAY, "streams it from Mux"),
    Mutation("playback-download-not-mp4", "downloads are Mux's static MP4", GUEST,
             "    return _signed(link, settings, playback.download_url)", "    return _signed(link, settings, playback.stream_url)",
             SHARE, "download the cut"),
    Mutation("playback-other-cut", "a token opens only its own cut", PLAYBACK,
             'return jwt.encode({"sub": playback_id,', 'return jwt.encode({"sub": "*",', PLAY, "does not open another"),
    # -- readiness: Mux is not critical
    Mutation("readiness-mux-ignored", "without Mux the portal is degraded", MUX,
             '    return "up" if ready else "not_configured"', '    return "up"', HEALTH, "no video service"),
    Mutation("readiness-mux-critical", "without Mux the portal is not unavailable", "portal/app.py",
             'checks.register(checks.Check("video_service", False,', 'checks.register(checks.Check("video_service", True,',
             HEALTH, "no video service|video service as not critical"),
]
