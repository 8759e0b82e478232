"""The ASGI application: routers, middleware, error handlers, and the resources it owns."""
from __future__ import annotations

import functools
import logging
import threading
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from psycopg_pool import ConnectionPool

from portal import __doc__ as portal_summary
from portal import clock
from portal.accounts import leaving, sessions
from portal.accounts.router import router as accounts_router
from portal.audit.router import router as audit_router
from portal.auth import links
from portal.backups import records as backup_records
from portal.auth.router import router as auth_router
from portal.config import Settings
from portal.db import open_pool
from portal.email import delivery
from portal.email.admin_router import router as email_admin_router
from portal.email.resend import ResendSender
from portal.email.webhook_router import router as webhooks_router
from portal.health import checks
from portal.health.router import router as health_router
from portal.jobs import queue
from portal.jobs.worker import Worker
from portal.web.budget import ApiBudgetMiddleware
from portal.web.metrics import router as metrics_router
from portal.web.deps import Database, api_caller
from portal.people import api_keys, invitations
from portal.people.api_keys_router import router as api_keys_router
from portal.people.router import router as people_router
from portal.projects import handover, removal
from portal.projects.legal_hold_router import router as legal_hold_router
from portal.projects.router import router as projects_router
from portal.projects.work_router import router as work_router
from portal.sharing import links as share_links
from portal.sharing.guest_router import router as share_guest_router
from portal.sharing.router import router as share_links_router
from portal.tasks import service as scheduled_tasks
from portal.tasks.router import router as tasks_router
from portal.web import openapi
from portal.web.errors import documented, install_error_handlers
from portal.web.middleware import BodySizeLimitMiddleware, HeadAsGetMiddleware, RequestContextMiddleware
from portal.web.openapi import router as openapi_router
from portal.web.protocol import PortalHttpProtocol
from portal.web.router import router as pages_router
from portal.video import deletion as video_deletion
from portal.video import mux as video_mux
from portal.video import playback as video_playback
from portal.video.webhook_router import router as mux_webhooks_router

log = logging.getLogger(__name__)


def _wire_domains() -> None:
    """Domains react to each other's events through registries, wired here, so that no two domain
    packages import each other (tests/portal/test_imports.py checks it)."""
    removal.on_removal("share-links.revoke", share_links.revoke_removed)
    leaving.on_departure("accounts.end_sessions", sessions.end_all_of)
    leaving.on_departure("auth.retire_sign_in_links", links.retire_links_of)
    leaving.on_departure("people.withdraw_invitations_sent", invitations.withdraw_sent_by)
    leaving.on_departure("people.revoke_api_keys", api_keys.revoke_keys_of)
    leaving.on_departure("projects.hand_over_tasks", handover.hand_over)
    removal.on_removal("video.delete-mux-asset", video_deletion.on_removal)
    # readiness: every dependency and whether the portal can serve without it (portal/health/checks.py)
    checks.register(checks.Check("database", True, checks.database, "PostgreSQL answers"))
    checks.register(checks.Check("job_queue", True, queue.readiness, "the job queue's table answers"))
    checks.register(checks.Check("email_provider", False, delivery.readiness, "Resend accepts email"))
    checks.register(checks.Check("worker", False, queue.worker_readiness, "a background worker reported lately"))
    checks.register(checks.Check("backup_age", False, backup_records.readiness,
                                 "the newest verified backup is recent (30 h at risk, 36 h warning, 60 h critical)"))
    checks.register(checks.Check("video_service", False, video_mux.readiness,
                                 "Mux: the access token, webhook secret and URL signing key are configured"))


_wire_domains()

VERSION = "0.1.0"


def job_kinds(settings: Settings) -> dict[str, queue.JobKind]:
    """The one registry of job kinds: every kind anyone enqueues, with its handler and retry schedule."""
    kinds = [queue.JobKind(links.ISSUE_JOB, links.issue_link_job(settings), "issue a sign-in link"),
             queue.JobKind(video_deletion.DELETE_JOB, video_deletion.delete_job(settings), "delete a video at Mux")]
    return {kind.name: kind for kind in kinds}


def email_sender(settings: Settings) -> ResendSender | None:
    if not settings.email_configured:
        return None
    return ResendSender(settings.resend_api_url, settings.resend_api_key, settings.email_from,
                        settings.email_timeout_seconds)


def build_worker(settings: Settings, pool: ConnectionPool) -> Worker:
    """The one way to build the background worker: for the app, for `python -m portal worker`, and
    for the acceptance suite's restarts. Scheduled tasks run only where the settings say so."""
    passes = {"jobs": functools.partial(queue.run_due, handlers=job_kinds(settings))}
    sender = email_sender(settings)
    if sender is not None:
        passes["emails"] = functools.partial(delivery.deliver_due, sender=sender)
    if settings.scheduled_tasks_enabled:
        passes["scheduled tasks"] = functools.partial(scheduled_tasks.run_due, settings=settings)
    return Worker(pool, settings.database_url, passes, poll_seconds=settings.worker_poll_seconds)


# what every route of the JSON API may also answer, besides its own answers
API_ANSWERS = documented(
    {401: "invalid_api_key: an Authorization header without a live API key (missing, malformed, unknown, "
          "revoked, or its maker suspended): one answer for all",
     429: "rate_limited: this API key, session or network has made PORTAL_API_RATE_LIMIT requests this minute"},
    headers={429: {"Retry-After": {"description": "Seconds until the minute is over", "schema": {"type": "integer"}},
                   "RateLimit-Policy": {"description": '"default";q=<limit>;w=60', "schema": {"type": "string"}},
                   "RateLimit": {"description": '"default";r=<remaining>;t=<seconds to reset>', "schema": {"type": "string"}}}})


def server_options(settings: Settings) -> dict:
    """How uvicorn serves the portal, for `python -m portal` and for the acceptance suite alike."""
    return {
        "proxy_headers": True,
        "forwarded_allow_ips": ",".join(settings.trusted_proxies),
        "server_header": False,  # no "server: uvicorn": nothing to tell a prober what to look up
        "access_log": False,     # the portal logs its own access lines, without query strings
        "log_config": None,
        # idle connections stay open longer than a load balancer's idle timeout (60 s on common
        # ones), so the balancer, never the portal, closes them: a portal that closes first races a
        # request the balancer is sending on that connection (a 502). uvicorn's default is 5 s.
        "timeout_keep_alive": 75,
        # uvicorn's C HTTP parser (httptools, with the portal's answer to unreadable requests:
        # portal/web/protocol.py) and libuv's event loop (uvloop), named rather than "auto" so that a
        # missing package fails at start-up instead of quietly serving on the pure-Python ones (h11
        # and asyncio's own loop): less CPU per request on the event loop's thread
        "http": PortalHttpProtocol,
        "loop": "uvloop",
    }


def warm_up(app: FastAPI, settings: Settings) -> None:
    """What the first requests would otherwise do, done at start-up (in a thread, so that the portal
    serves meanwhile): the OpenAPI document and its served forms (about 0.3 s), and Mux's URL
    signing keys (loading an RSA key checks it: about 30 ms each, where signing takes 1 ms)."""
    try:
        openapi.prepare(app)
        video_playback.load_signing_keys(video_mux.environments(settings).values())
    except Exception:  # noqa: BLE001 - the first request that needs it does it again, and says why
        log.exception("warming up at start-up failed")


def create_app(settings: Settings, *, warm_up_at_start: bool = True) -> FastAPI:
    """The portal. `warm_up_at_start=False` leaves what `warm_up` does to the first requests that need
    it: for a further instance in the same process (the acceptance suite starts a dozen, each with
    other settings for one scenario), whose 0.3 s of CPU building a document nobody may ask of it
    would be taken from the process's other threads."""
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pool = open_pool(settings.database_url, settings.db_pool_min, settings.db_pool_max)
        app.state.pool = pool
        app.state.database = Database(pool)
        worker = None
        if settings.worker_enabled:
            if not settings.email_configured:
                log.warning("RESEND_API_KEY is not set: emails stay queued until it is")
            worker = build_worker(settings, pool)
            worker.start()
        app.state.worker = worker
        if warm_up_at_start:
            threading.Thread(target=warm_up, args=(app, settings), name="portal-warm-up", daemon=True).start()
        try:
            yield
        finally:
            if app.state.worker is not None:  # the one running now, should it have been replaced
                app.state.worker.stop()
            pool.close()

    app = FastAPI(
        title="Northlight Studio client portal",
        description=portal_summary,
        version=VERSION,
        lifespan=lifespan,
        # no /docs or /redoc: they load their scripts from a CDN that the portal's own CSP blocks
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by portal.web.openapi: the administration only for studio admins
        # no trailing-slash redirects: Starlette builds them from the Host header, which anyone sets
        redirect_slashes=False,
    )
    app.state.settings = settings
    app.state.clock = clock.SYSTEM  # this process's time, read in one place (portal/clock.py)
    app.state.readiness = checks.Cache(settings.readiness_cache_seconds)
    install_error_handlers(app)
    # every route of the JSON API documents the bearer scheme and the budget's answers; the budget
    # itself is counted for every request by ApiBudgetMiddleware (portal/web/budget.py)
    API = [Depends(api_caller)]
    counted = {"dependencies": API, "responses": API_ANSWERS}
    app.include_router(health_router)
    app.include_router(auth_router)
    app.include_router(accounts_router, **counted)
    app.include_router(people_router, **counted)
    app.include_router(api_keys_router, **counted)
    app.include_router(webhooks_router)
    app.include_router(mux_webhooks_router)
    app.include_router(email_admin_router, **counted)
    app.include_router(projects_router, **counted)
    app.include_router(work_router, **counted)
    app.include_router(share_links_router, **counted)
    app.include_router(share_guest_router)
    app.include_router(tasks_router, **counted)
    app.include_router(audit_router, **counted)
    app.include_router(legal_hold_router, **counted)
    app.include_router(pages_router)
    app.include_router(openapi_router)
    app.include_router(metrics_router)  # hidden from the document: for the monitoring system only
    openapi.install(app)  # after every router: the exact document (portal/web/openapi.py)
    # added last is outermost: the request context wraps everything, including 413s and 429s
    app.add_middleware(ApiBudgetMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(RequestContextMiddleware)
    return app
