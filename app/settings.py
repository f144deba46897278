"""The only reader of the environment: one frozen Settings object."""

from __future__ import annotations

import os
import secrets
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

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
    secret_key: str = ""
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

    @property
    def is_production(self) -> bool:
        return self.env == PRODUCTION

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

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        var_dir = Path(env.get("DESKQL_VAR_DIR", "var"))
        mode = env.get("DESKQL_ENV", DEVELOPMENT)
        secret = env.get("DESKQL_SECRET_KEY", "")
        if not secret and mode == DEVELOPMENT:
            secret = _development_secret(var_dir)
        try:
            settings = cls(
                env=mode,
                database_url=env.get("DESKQL_DATABASE_URL", f"sqlite://{var_dir}/deskql.sqlite3"),
                public_url=env.get("DESKQL_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
                secret_key=secret,
                token_ttl_seconds=int(env.get("DESKQL_TOKEN_TTL_SECONDS", 12 * 3600)),
                timezone=env.get("DESKQL_TIMEZONE", "UTC"),
                phone_country_code=env.get("DESKQL_PHONE_COUNTRY_CODE", "86").lstrip("+"),
                log_level=env.get("DESKQL_LOG_LEVEL", "INFO").upper(),
                argon2_time_cost=int(env.get("DESKQL_ARGON2_TIME_COST", 3)),
                argon2_memory_kib=int(env.get("DESKQL_ARGON2_MEMORY_KIB", 65536)),
                var_dir=var_dir,
            )
        except ValueError as exc:
            raise ConfigError(f"a numeric DESKQL_* variable is not a number: {exc}") from None
        settings.validate()
        return settings


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
