"""Deliberate defects: operations. Each names the rule it breaks and the scenarios that must go red."""
from mutations.common import API, HEALTH, Mutation

MUTATIONS = [
    # -- readiness and bad requests
    Mutation("ready-without-database", "no database: unavailable", "portal/health/router.py",
             '        overall, code = "unavailable", 503', '        overall, code = "ok", 200', HEALTH, "cannot reach its database is unavailable"),
    Mutation("ready-without-email", "no email provider: degraded", "portal/email/delivery.py",
             '        return "not_configured"', '        return "up"', HEALTH, "no email provider configured"),
    Mutation("unreachable-not-noticed", "unreachable provider: degraded", "portal/email/delivery.py",
             '    if row and row["last_error_kind"] in ("network", "unavailable"):', "    if False:", HEALTH, "cannot be reached is degraded"),
    Mutation("readiness-leaks-url", "readiness shows no secrets", "portal/health/router.py",
             '        checks["database"] = {"status": "down"}', '        checks["database"] = {"status": "down", "url": settings.database_url}',
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
