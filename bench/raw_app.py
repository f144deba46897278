"""The baseline: a raw Starlette app answering fixed bytes, served by the same uvicorn setup.

BENCH_BODY_FILE names a file whose bytes every GET/POST on any path returns, with the content
type in BENCH_CONTENT_TYPE (default application/json).
"""

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

BODY = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()
CONTENT_TYPE = os.environ.get("BENCH_CONTENT_TYPE", "application/json")


async def fixed(request):
    await request.body()
    return Response(BODY, media_type=CONTENT_TYPE)


app = Starlette(routes=[Route("/{path:path}", fixed, methods=["GET", "POST"])])
