"""create_app(): routes, static mounts and the lifespan (database up and down)."""

from __future__ import annotations

import contextlib
import logging

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route, WebSocketRoute
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise

from app.accounts.auth import Auth
from app.api.schema import build_schema
from app.api.view import GraphQLView
from app.db import tortoise_config
from app.requestid import RequestIdMiddleware, configure_logging
from app.settings import Settings

log = logging.getLogger("deskql.server")


async def healthz(request: Request) -> JSONResponse:
    """200 when the database answers a query, 503 otherwise (for load balancers)."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        log.exception("health check: database unreachable")
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    settings.validate()
    configure_logging(settings.log_level)
    auth = Auth(settings)
    graphql = GraphQLView(build_schema(production=settings.is_production), settings=settings,
                          auth=auth)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        config = tortoise_config(settings.database_url, timezone=settings.timezone)
        async with RegisterTortoise(app, config=config):
            log.info("deskql started env=%s database=%s", settings.env,
                     settings.database_url.split("://", 1)[0])
            yield

    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
    ]
    if not settings.is_production:
        routes.append(Route("/", lambda request: RedirectResponse("/graphql")))
    app = Starlette(
        routes=routes, lifespan=lifespan, middleware=[Middleware(RequestIdMiddleware)]
    )
    app.state.settings = settings
    app.state.auth = auth
    return app
