"""The Content-Security-Policy of our HTML pages and media. (nosniff, Referrer-Policy and HSTS
go on every response: app/web/edge.py.)"""

from __future__ import annotations

# No inline script anywhere: pages load /static scripts only.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; object-src 'none'; "
    "form-action 'none'"
)
# The admin page is never framed.
ADMIN_CSP = PAGE_CSP + "; frame-ancestors 'none'"
# GraphiQL (development only): its editor sets inline styles and loads fonts as data: URLs;
# still no inline or foreign script.
GRAPHIQL_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
    "object-src 'none'; form-action 'none'; frame-ancestors 'none'"
)


def h5_csp(frame_ancestors: str) -> str:
    """The customer-facing pages (answers, surveys) may be framed only by the sites listed in
    DESKQL_FRAME_ANCESTORS (web widgets that embed them; ``'self'`` unless configured)."""
    return f"{PAGE_CSP}; frame-ancestors {frame_ancestors}"


def survey_csp(frame_ancestors: str) -> str:
    """The survey page posts its plain HTML form back to itself."""
    return h5_csp(frame_ancestors).replace("form-action 'none'", "form-action 'self'")


def media_csp(frame_ancestors: str) -> str:
    return f"default-src 'none'; sandbox; frame-ancestors {frame_ancestors}"
