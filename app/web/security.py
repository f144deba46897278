"""The Content-Security-Policy of our HTML pages. (nosniff and Referrer-Policy go on every
response: app/requestid.py.)"""

from __future__ import annotations

# No inline script anywhere: pages load /static scripts only.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; object-src 'none'; "
    "form-action 'none'"
)
ADMIN_CSP = PAGE_CSP + "; frame-ancestors 'none'"
# The survey page posts its plain HTML form back to itself.
SURVEY_CSP = PAGE_CSP.replace("form-action 'none'", "form-action 'self'")
