"""Deliberate defects: operations. Each names the rule it breaks and the scenarios that must go red."""
from mutations.common import API, HEALTH, Mutation

MUTATIONS = [
    # -- readiness and bad requests
    Mutation("ready-without-database", "a critical dependency down: unavailable", "portal/health/checks.py",
             '        return "unavailable", 503', '        return "degraded", 200', HEALTH, "cannot reach its database is unavailable"),
    Mutation("queue-not-critical", "the job queue is critical", "portal/app.py",
             'checks.Check("job_queue", True,', 'checks.Check("job_queue", False,', HEALTH, "lists job queue"),
    Mutation("email-critical", "email is not critical", "portal/app.py",
             'checks.Check("email_provider", False,', 'checks.Check("email_provider", True,', HEALTH,
             "lists email provider|no email provider configured"),
    Mutation("readiness-check-unlisted", "every registered dependency is reported", "portal/health/checks.py",
             "    checks = list(REGISTRY.values())\n",
             '    checks = [check for check in REGISTRY.values() if check.name != "job_queue"]\n',
             HEALTH, "lists job queue"),
    Mutation("readiness-shape-drifts", "one envelope in every state", "portal/health/router.py",
             '"checks": {r.name: {"status": r.status, "critical": r.critical, "checked_at": r.checked_at.isoformat()}',
             '"checks": {r.name: {"status": r.status, "checked_at": r.checked_at.isoformat()} if not r.up else {"status": r.status, "critical": r.critical, "checked_at": r.checked_at.isoformat()}',
             HEALTH, "cannot reach its database is unavailable"),
    Mutation("ready-without-email", "no email provider: degraded", "portal/email/delivery.py",
             '        return "not_configured"', '        return "up"', HEALTH, "no email provider configured"),
    Mutation("unreachable-not-noticed", "unreachable provider: degraded", "portal/email/delivery.py",
             '    if row and row["last_error_kind"] in ("network", "unavailable"):', "    if False:", HEALTH, "cannot be reached is degraded"),
    Mutation("readiness-leaks-url", "readiness shows no secrets", "portal/health/checks.py",
             "    return Result(check.name, check.critical, status, datetime.now(timezone.utc))",
             '    return Result(check.name, check.critical, status if status == UP else f"{status}: {settings.database_url}", datetime.now(timezone.utc))',
             HEALTH, "cannot reach its database is unavailable"),
    Mutation("liveness-needs-database", "liveness does not depend on the database", "portal/health/router.py",
             'def health() -> dict:\n    return {"status": "ok"}',
             'def health(request: Request) -> dict:\n    with request.app.state.pool.connection(timeout=1) as conn:\n        conn.execute("SELECT 1")\n    return {"status": "ok"}',
             HEALTH, "still alive"),
    Mutation("malformed-json-500", "malformed JSON gets a specific 4xx", "portal/web/errors.py",
             '        return error_response(400, "malformed_json", "The request body is not valid JSON.")',
             '        raise RuntimeError("boom")', API, "not valid JSON"),
    Mutation("unknown-fields-accepted", "unknown fields are refused", "portal/auth/router.py",
             '    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)',
             '    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)', API, "does not know"),
    Mutation("no-body-limit", "oversized bodies are refused", "portal/web/middleware.py",
             "        self.max_bytes = max_bytes", "        self.max_bytes = max_bytes * 1000", API, "100 kilobytes"),
    Mutation("no-request-id", "every answer carries a request id", "portal/web/middleware.py",
             '                headers.append((b"x-request-id", request_id.encode()))',
             "                pass", API, "traced by its request id"),
]

DRILL = "features/operations/backups_and_the_restore_drill.feature"

MUTATIONS += [
    Mutation("restore-ignores-drill-mark", "a restore goes only into a database marked for the drill", "portal/backups/service.py",
             "    if mark != DRILL_MARK:", "    if False:", DRILL, "own database|not marked for a drill"),
    Mutation("restore-into-full-database", "a restore goes only into an empty database", "portal/backups/service.py",
             "    if tables:\n", "    if False:\n", DRILL, "not empty"),
    Mutation("restore-schema-only", "the copy holds the backup's rows", "portal/backups/service.py",
             '_run([str(pg_restore), "--no-owner",', '_run([str(pg_restore), "--schema-only", "--no-owner",', DRILL,
             "The restore drill"),
    Mutation("backup-without-data", "the backup holds the data", "portal/backups/service.py",
             '_run([str(pg_dump), "--format=custom",', '_run([str(pg_dump), "--schema-only", "--format=custom",', DRILL,
             "The restore drill"),
]

MUTATIONS += [
    Mutation("backup-at-risk-late", "a backup over 30 hours old is at risk", "portal/backups/records.py",
             "AT_RISK_HOURS = 30 ", "AT_RISK_HOURS = 32 ", HEALTH, "31 hours"),
    Mutation("backup-warning-late", "a backup over 36 hours old is a warning", "portal/backups/records.py",
             "WARNING_HOURS = 36 ", "WARNING_HOURS = 38 ", HEALTH, "37 hours"),
    Mutation("backup-critical-early", "a backup is critical only after 60 hours", "portal/backups/records.py",
             "CRITICAL_HOURS = 60 ", "CRITICAL_HOURS = 58 ", HEALTH, "59 hours"),
    Mutation("worker-silence-ignored", "a worker silent for longer than the window degrades", "portal/jobs/queue.py",
             '    return "up" if row["alive"] else "not_reporting"', '    return "up"', HEALTH, "121 seconds"),
    Mutation("worker-window-short", "a worker that reported within the window is up", "portal/jobs/queue.py",
             '"SELECT max(beat_at) > now() - make_interval(secs => %s) AS alive FROM worker_heartbeats"',
             '"SELECT max(beat_at) > now() - make_interval(secs => %s / 2) AS alive FROM worker_heartbeats"',
             HEALTH, "119 seconds"),
    Mutation("recovery-point-ignores-backups", "a project's recovery point reads the newest verified backup",
             "portal/projects/recovery.py", "    newest = records.newest_verified(conn)", "    newest = None",
             DRILL, "recovery point"),
]

MUTATIONS += [
    Mutation("readiness-uncached", "a burst of probes checks each dependency once", "portal/health/checks.py",
             "            if self._results is None or clock.monotonic() - self._at >= self.seconds:",
             "            if True:", HEALTH, "50 probes"),
]

JOBS = "features/operations/jobs.feature"

MUTATIONS += [
    Mutation("job-retry-schedule-drifts", "a failing job waits 30 s, 1, 2, 4 min", "portal/jobs/queue.py",
             "DEFAULT_RETRY_DELAYS: tuple[int, ...] = (30, 60, 120, 240)",
             "DEFAULT_RETRY_DELAYS: tuple[int, ...] = (30, 60, 120, 300)", JOBS, "retried on its schedule|Attempt 4"),
    Mutation("job-retry-first-wait-drifts", "the first retry waits 30 s", "portal/jobs/queue.py",
             "        return self.retry_delays[attempt - 1] if attempt < self.max_attempts else None",
             "        return self.retry_delays[attempt - 1] + (attempt == 1) if attempt < self.max_attempts else None",
             JOBS, "Attempt 1 "),
    Mutation("unknown-job-kind-loops", "a job of an unknown kind is dead-lettered", "portal/jobs/queue.py",
             "                    final = delay is None\n",
             '                    final = delay is None and job["kind"] in kinds\n', JOBS, "unknown kind"),
    Mutation("job-kind-unregistered", "every kind the portal queues has a handler", "portal/app.py",
             '             queue.JobKind(video_deletion.DELETE_JOB, video_deletion.delete_job(settings), "delete a video at Mux")]',
             "             ]", JOBS, "knows every kind"),
    Mutation("job-never-dead-lettered", "a job failing 5 times is dead-lettered", "portal/jobs/queue.py",
             '(attempts, f"{type(exc).__name__}: {exc}"[:500], "failed" if final else "queued",',
             '(attempts, f"{type(exc).__name__}: {exc}"[:500], "queued",', JOBS, "then dead-lettered"),
]

METRICS = "features/operations/metrics.feature"

MUTATIONS += [
    Mutation("metrics-open-to-all", "only the trusted network or the token reads the metrics", "portal/metrics.py",
             '    client = scope.get("client")\n', '    return True\n    client = scope.get("client")\n', METRICS, "finds no metrics"),
    Mutation("metrics-token-prefix-accepted", "the whole metrics token, compared exactly", "portal/metrics.py",
             "hmac.compare_digest(presented.strip(), token.encode())", "token.encode().startswith(presented.strip())",
             METRICS, "cut short"),
    Mutation("metrics-token-any-scheme", "the metrics token as a Bearer token only", "portal/metrics.py",
             'return scheme.lower() == b"bearer" and hmac', "return hmac", METRICS, "another scheme"),
    Mutation("metrics-refusal-differs", "a refusal is the plain 404 of an unknown address", "portal/web/metrics.py",
             "        raise HTTPException(404)", "        raise HTTPException(403)", METRICS, "finds no metrics"),
    Mutation("metrics-counted-in-budget", "the metrics are outside the API's budget", "portal/web/budget.py",
             ', "/metrics"})', "})", METRICS, "reads the metrics"),
    Mutation("metrics-raw-path", "requests are counted by route template, never by path", "portal/web/middleware.py",
             'metrics.observe_request(scope.get("method", ""), getattr(route, "path", None),',
             'metrics.observe_request(scope.get("method", ""), scope.get("path"),', METRICS, "route's template"),
    Mutation("metrics-jobs-uncounted", "job attempts are counted by kind and outcome", "portal/jobs/queue.py",
             "            metrics.job_outcome(kind.name, outcome)", "            pass", METRICS, "counted at every attempt"),
    Mutation("metrics-done-miscounted", "a job that succeeds is counted as done", "portal/jobs/queue.py",
             '                    outcome = "done"\n', '                    outcome = "retried"\n', METRICS, "counted as done"),
    Mutation("metrics-dead-letters-wrong", "dead letters are the jobs no longer tried", "portal/metrics.py",
             "FROM jobs WHERE status = 'failed'", "FROM jobs WHERE status = 'done'", METRICS, "counted at every attempt"),
    Mutation("metrics-emails-partial", "emails by status, every status", "portal/metrics.py",
             "FROM emails GROUP BY status", "FROM emails WHERE status <> 'sent' GROUP BY status", METRICS,
             "Emails are counted"),
]

ERROR_LOG = "features/operations/error_log.feature"

MUTATIONS += [
    Mutation("error-log-not-json", "an error is one JSON line in the log", "portal/web/middleware.py",
             "    return json.dumps(entry)\n", "    return str(entry)\n", ERROR_LOG, "one JSON line"),
    Mutation("error-log-5xx-silent", "every 5xx answer is logged", "portal/web/middleware.py",
             '            if state["started"] and state["status"] >= 500 and not state.get("logged"):',
             "            if False:", ERROR_LOG, "one JSON line"),
    Mutation("error-log-without-request-id", "the error line carries the request id", "portal/web/middleware.py",
             '"request_id": request_id,\n', '"request_id": "-",\n', ERROR_LOG, "one JSON line"),
]
