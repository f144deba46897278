"""create_app(): routes, static mounts and the lifespan (database up and down)."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Scope
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise

from app import gctuning
from app.accounts.auth import Auth
from app.accounts.revocation import RevocationWatch
from app.api.public_cache import PublicReadCache
from app.api.schema import build_schema
from app.api.view import GraphQLView
from app.api.websockets import OpenSockets
from app.background import Background
from app.db import tortoise_config
from app.knowledge.counters import ContentVersion, ViewCounter
from app.requestid import configure_logging
from app.settings import Settings
from app.web.cms import MAX_UPLOAD_REQUEST_BYTES, Media, Uploads
from app.web.edge import Edge
from app.web.h5 import H5Pages
from app.web.security import ADMIN_CSP
from app.web.surveys import SurveyPages
from app.web.zendesk import ZendeskWebhook

STATIC_DIR = Path(__file__).resolve().parent.parent / "cms_static"

log = logging.getLogger("deskql.server")


async def healthz(request: Request) -> JSONResponse:
    """200 when the database answers a query, 503 otherwise (for load balancers)."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        log.exception("health check: database unreachable")
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


class Assets(StaticFiles):
    """Scripts, styles, images and fonts. HTML is served only by routes that give it its
    headers (CSP, framing): /static/admin/index.html is 404, the admin page is /admin."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path.lower().endswith((".html", ".htm")):
            return PlainTextResponse("Not found", status_code=404)
        return await super().get_response(path, scope)


async def _admin_page(request: Request) -> FileResponse:
    return FileResponse(
        STATIC_DIR / "admin" / "index.html",
        headers={"Content-Security-Policy": ADMIN_CSP, "Cache-Control": "no-cache"},
    )


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    settings.validate()
    configure_logging(settings.log_level)
    auth = Auth(settings)
    version = ContentVersion()
    views = ViewCounter()
    sockets = OpenSockets()
    revocations = RevocationWatch()
    revocations.listen(sockets.recheck)
    revocations.listen(auth.principals.on_revocation)
    background = Background(settings)
    graphql = GraphQLView(
        build_schema(production=settings.is_production),
        settings=settings,
        auth=auth,
        content_version=version,
        sockets=sockets,
        hub=background.hub,
    )
    h5 = H5Pages(
        static_dir=STATIC_DIR,
        version=version,
        views=views,
        frame_ancestors=settings.frame_ancestors,
    )
    uploads = Uploads(settings=settings, auth=auth)
    public_cache = PublicReadCache(graphql, version)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        config = tortoise_config(settings.database_url)
        async with RegisterTortoise(app, config=config):
            views.start()
            await revocations.start()
            await background.start()
            gctuning.tune()  # the start-up heap is built: out of the collector's way
            log.info(
                "deskql started env=%s database=%s",
                settings.env,
                settings.database_url.split("://", 1)[0],
            )
            try:
                yield
            finally:
                await background.stop()
                await revocations.stop()
                await views.stop()

    routes = [
        Route("/graphql", public_cache, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/h5/questions/{question_id}", h5),
        Route(
            "/h5/surveys/{token}",
            SurveyPages(
                static_dir=STATIC_DIR,
                secret_key=settings.secret_key,
                frame_ancestors=settings.frame_ancestors,
            ).page,
            methods=["GET", "POST"],
        ),
        Route("/cms/uploads", uploads.upload, methods=["POST"]),
        Route("/media/{name}", Media(frame_ancestors=settings.frame_ancestors).serve),
        Route("/admin", _admin_page),
        Route("/zendesk/webhook", ZendeskWebhook(settings).receive, methods=["POST"]),
        Mount("/static", Assets(directory=STATIC_DIR), name="static"),
    ]
    if not settings.is_production:
        routes.append(Route("/", lambda request: RedirectResponse("/graphql")))
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(
                Edge,
                max_body_bytes=settings.max_body_bytes,
                body_limits={"/cms/uploads": MAX_UPLOAD_REQUEST_BYTES},
                hsts=settings.hsts,
            )
        ],
    )
    app.state.settings = settings
    app.state.auth = auth
    app.state.content_version = version
    app.state.views = views
    app.state.public_cache = public_cache
    app.state.h5 = h5
    app.state.sockets = sockets
    app.state.revocations = revocations
    app.state.background = background
    app.state.graphql = graphql
    return app
