"""The only reader of the environment: one frozen Settings object."""

from __future__ import annotations

import os
import re
import secrets
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# CSP source expressions: 'self', 'none', schemes and hosts, space separated.
_ZENDESK_URL = re.compile(r"https?://[A-Za-z0-9.\-]+(:\d{1,5})?")
_SUBDOMAIN = re.compile(r"[a-z0-9][a-z0-9\-]{0,62}")
_CSP_SOURCES = re.compile(r"[A-Za-z0-9'*:/._\-]+( [A-Za-z0-9'*:/._\-]+)*")

DEVELOPMENT = "development"
PRODUCTION = "production"
MIN_SECRET_KEY_LENGTH = 32


class ConfigError(Exception):
    """The configuration cannot be used; the message says which variable and why."""


@dataclass(frozen=True)
class Settings:
    env: str = DEVELOPMENT
    database_url: str = "sqlite://var/deskql.sqlite3"
    public_url: str = "http://127.0.0.1:8000"
    secret_key: str = field(default="", repr=False)
    token_ttl_seconds: int = 12 * 3600
    timezone: str = "UTC"
    phone_country_code: str = "86"
    log_level: str = "INFO"
    # argon2id cost; production keeps the library's defaults (RFC 9106 "low memory" profile).
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    login_max_failures: int = 5  # from one client, per login name
    login_name_max_failures: int = 50  # from all clients together, per login name
    login_base_lockout_seconds: int = 30
    login_max_lockout_seconds: int = 15 * 60
    var_dir: Path = field(default=Path("var"))
    max_body_bytes: int = 1024 * 1024
    # Who may frame the H5 pages and media (CSP frame-ancestors): web widgets embedding them.
    frame_ancestors: str = "'self'"
    # Background workers (webhook delivery, and the Zendesk sync) inside `deskql serve`; off
    # when they run apart (`deskql worker`) or in tests that drive them by hand.
    run_workers: bool = True
    # Sent as data.companyId in every webhook payload: who the events are from.
    company_id: str = "deskql"
    # Development and tests: webhooks may call loopback and private addresses.
    webhook_allow_private: bool = False
    # The Zendesk account the sync writes to (https://<subdomain>.zendesk.com, or any URL such
    # as `deskql zendesk-fake`'s); the sync is off until URL, e-mail and API token are all set.
    zendesk_url: str = ""
    zendesk_email: str = ""
    zendesk_api_token: str = field(default="", repr=False)
    # Verifies Zendesk's calls to POST /zendesk/webhook (its signing secret).
    zendesk_webhook_secret: str = field(default="", repr=False)

    @property
    def is_production(self) -> bool:
        return self.env == PRODUCTION

    @property
    def hsts(self) -> bool:
        """Strict-Transport-Security: in production behind an https public URL."""
        return self.is_production and self.public_url.startswith("https://")

    def validate(self) -> None:
        if self.env not in (DEVELOPMENT, PRODUCTION):
            raise ConfigError(f"DESKQL_ENV must be 'development' or 'production', not {self.env!r}")
        if self.is_production and len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(
                f"DESKQL_SECRET_KEY must be set to at least {MIN_SECRET_KEY_LENGTH} characters "
                "in production"
            )
        if self.token_ttl_seconds < 60:
            raise ConfigError("DESKQL_TOKEN_TTL_SECONDS must be at least 60")
        if not self.public_url.startswith(("http://", "https://")):
            raise ConfigError("DESKQL_PUBLIC_URL must start with http:// or https://")
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"DESKQL_TIMEZONE {self.timezone!r} is not a known time zone "
                "(use an IANA name such as Asia/Shanghai)"
            ) from None
        if not (self.phone_country_code.isdigit() and 1 <= len(self.phone_country_code) <= 3):
            raise ConfigError("DESKQL_PHONE_COUNTRY_CODE must be 1-3 digits, e.g. 86")
        if self.max_body_bytes < 1024:
            raise ConfigError("DESKQL_MAX_BODY_BYTES must be at least 1024")
        if not self.company_id or len(self.company_id) > 64:
            raise ConfigError("DESKQL_COMPANY_ID must be 1-64 characters")
        if self.zendesk_url and not _ZENDESK_URL.fullmatch(self.zendesk_url):
            raise ConfigError(
                "DESKQL_ZENDESK_URL must be an http(s) URL such as https://acme.zendesk.com "
                "(DESKQL_ZENDESK_SUBDOMAIN=acme says the same)"
            )
        if not _CSP_SOURCES.fullmatch(self.frame_ancestors):
            raise ConfigError(
                "DESKQL_FRAME_ANCESTORS is a space-separated list of CSP sources, e.g. "
                "\"'self' https://widget.example.com\" ('none' forbids framing)"
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        # Resolved once, to an absolute path: a command run from another folder uses the same
        # files (the project's var/ unless DESKQL_VAR_DIR says otherwise).
        var_dir = Path(env.get("DESKQL_VAR_DIR") or PROJECT_ROOT / "var").resolve()
        mode = env.get("DESKQL_ENV", DEVELOPMENT)
        secret = env.get("DESKQL_SECRET_KEY", "")
        if not secret and mode == DEVELOPMENT:
            secret = _development_secret(var_dir)
        try:
            settings = cls(
                env=mode,
                database_url=_absolute_sqlite(
                    env.get("DESKQL_DATABASE_URL", f"sqlite://{var_dir}/deskql.sqlite3")
                ),
                public_url=env.get("DESKQL_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
                secret_key=secret,
                token_ttl_seconds=int(env.get("DESKQL_TOKEN_TTL_SECONDS", 12 * 3600)),
                timezone=env.get("DESKQL_TIMEZONE", "UTC"),
                phone_country_code=env.get("DESKQL_PHONE_COUNTRY_CODE", "86").lstrip("+"),
                log_level=env.get("DESKQL_LOG_LEVEL", "INFO").upper(),
                argon2_time_cost=int(env.get("DESKQL_ARGON2_TIME_COST", 3)),
                argon2_memory_kib=int(env.get("DESKQL_ARGON2_MEMORY_KIB", 65536)),
                var_dir=var_dir,
                max_body_bytes=int(env.get("DESKQL_MAX_BODY_BYTES", 1024 * 1024)),
                frame_ancestors=env.get("DESKQL_FRAME_ANCESTORS", "'self'").strip(),
                run_workers=_flag(env, "DESKQL_RUN_WORKERS", True),
                company_id=env.get("DESKQL_COMPANY_ID", "deskql").strip(),
                webhook_allow_private=_flag(env, "DESKQL_WEBHOOK_ALLOW_PRIVATE", False),
                zendesk_url=_zendesk_url(env),
                zendesk_email=env.get("DESKQL_ZENDESK_EMAIL", "").strip(),
                zendesk_api_token=env.get("DESKQL_ZENDESK_API_TOKEN", "").strip(),
                zendesk_webhook_secret=env.get("DESKQL_ZENDESK_WEBHOOK_SECRET", "").strip(),
            )
        except ValueError as exc:
            raise ConfigError(f"a numeric DESKQL_* variable is not a number: {exc}") from None
        settings.validate()
        return settings


def _zendesk_url(env: Mapping[str, str]) -> str:
    url = env.get("DESKQL_ZENDESK_URL", "").strip().rstrip("/")
    subdomain = env.get("DESKQL_ZENDESK_SUBDOMAIN", "").strip().lower()
    if url or not subdomain:
        return url
    if not _SUBDOMAIN.fullmatch(subdomain):
        raise ConfigError(
            f"DESKQL_ZENDESK_SUBDOMAIN {subdomain!r} is not a subdomain (e.g. acme for "
            "acme.zendesk.com)"
        )
    return f"https://{subdomain}.zendesk.com"


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def _absolute_sqlite(url: str) -> str:
    """A SQLite URL with its file as an absolute path (relative paths are resolved against
    the current folder once, here, so every later step agrees)."""
    if not url.startswith("sqlite://"):
        return url
    path, query = (url.removeprefix("sqlite://").split("?", 1) + [""])[:2]
    if path and path != ":memory:":
        path = str(Path(path).resolve())
    return f"sqlite://{path}" + (f"?{query}" if query else "")


def _development_secret(var_dir: Path) -> str:
    """A per-checkout key kept in var/, so every local process signs with the same key."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
