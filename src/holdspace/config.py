"""Configuration read from the environment, with defaults that are safe to run in production.

Each function takes the environment as a mapping so that tests can pass their own.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1", "testserver"})
DEFAULT_ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
ONE_YEAR_SECONDS = 365 * 24 * 60 * 60
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "off"})


class ConfigurationError(ValueError):
    """An environment variable holds a value Holdspace cannot use."""


def flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigurationError(f"{name}={value!r}: use one of 1/0, true/false, yes/no, on/off")


def var_dir(env: Mapping[str, str]) -> Path:
    """The folder for what a running Holdspace writes: the SQLite file, the generated key."""
    return Path(env.get("HOLDSPACE_VAR_DIR") or Path.cwd() / "var").resolve()


def database(env: Mapping[str, str], var: Path) -> dict[str, Any]:
    url = env.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(var / "holdspace.sqlite3"),
            # Wait for a busy writer instead of failing at once; several requests write.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # Tests get a file too: an in-memory database shares its cache between threads and
            # fails concurrent writers at once instead of making them wait.
            # One file a test process: two test runs at once must not share it.
            "TEST": {"NAME": str(var / f"test-{os.getpid()}.sqlite3")},
        }
    try:
        # No persistent connections: under ASGI each request runs in its own thread (Django docs).
        config = dict(dj_database_url.parse(url, conn_max_age=0))
    except ValueError as error:
        raise ConfigurationError(
            f"DATABASE_URL is not a database URL Django knows: {error}"
        ) from error
    if config["ENGINE"] == "django.db.backends.postgresql":
        # A database that does not answer must fail a health check quickly, not hang it.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return config


def channel_layers(env: Mapping[str, str]) -> dict[str, Any]:
    url = env.get("REDIS_URL", "").strip()
    if not url:
        return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigurationError(
            f"REDIS_URL={url!r} must start with redis://, rediss:// or unix://"
        )
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # A busy room sends faster than one socket drains for a moment: room for a burst
            # (the default, 100, drops messages under load; clients then catch up by sequence).
            # channels-redis blocks on Redis for 5 s at a time; redis-py's socket timeout is also
            # 5 s, so an idle socket's read timed out and the WebSocket closed. Wait longer.
            "CONFIG": {
                "hosts": [{"address": url, "socket_timeout": 10}],
                "capacity": 1500,
                "expiry": 60,
            },
        }
    }


def caches(env: Mapping[str, str]) -> dict[str, Any]:
    """The channel layer's Redis when there is one, so that rate limits hold across workers."""
    url = env.get("REDIS_URL", "").strip()
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


def secret_key(env: Mapping[str, str], var: Path) -> str:
    """SECRET_KEY from the environment, else one generated on first start and kept in `var/`."""
    if key := env.get("SECRET_KEY", "").strip():
        return key
    path = var / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    var.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: two workers starting at once must not each write a different key.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key


def encryption_keys(env: Mapping[str, str], var: Path) -> list[str]:
    """Fernet keys, the one that encrypts first: HOLDSPACE_ENCRYPTION_KEYS, else the key file.

    The key file (HOLDSPACE_KEY_FILE, by default var/encryption.keys) holds one key a line and
    is made on first start. Keep it, or the variable, out of database backups.
    """
    from cryptography.fernet import Fernet

    raw = env.get("HOLDSPACE_ENCRYPTION_KEYS", "").strip()
    if raw:
        keys = [key.strip() for key in raw.split(",") if key.strip()]
    else:
        path = Path(env.get("HOLDSPACE_KEY_FILE") or var / "encryption.keys")
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another worker made it first
            else:
                with os.fdopen(descriptor, "w", encoding="ascii") as file:
                    file.write(Fernet.generate_key().decode("ascii") + "\n")
        keys = [line.strip() for line in path.read_text("ascii").splitlines() if line.strip()]
    for number, key in enumerate(keys, 1):
        try:
            Fernet(key.encode("ascii"))
        except ValueError as error:
            raise ConfigurationError(f"encryption key {number} is not a Fernet key") from error
    if not keys:
        raise ConfigurationError("no encryption key: set HOLDSPACE_ENCRYPTION_KEYS or the key file")
    return keys


def allowed_hosts(env: Mapping[str, str]) -> list[str]:
    raw = env.get("ALLOWED_HOSTS", "")
    hosts = [host.strip() for host in raw.split(",") if host.strip()]
    return hosts or list(DEFAULT_ALLOWED_HOSTS)


def is_local_only(hosts: list[str]) -> bool:
    return all(host in LOCAL_HOSTS for host in hosts)


@dataclass(frozen=True)
class TransportSecurity:
    secure_cookies: bool
    ssl_redirect: bool
    hsts_seconds: int
    proxy_ssl_header: tuple[str, str] | None
    # Both bind every subdomain of the site's domain to HTTPS for a year: the owner's choice.
    hsts_include_subdomains: bool = False
    hsts_preload: bool = False


def transport_security(env: Mapping[str, str], hosts: list[str]) -> TransportSecurity:
    """Secure cookies, HTTPS redirect and HSTS unless Holdspace only answers on this machine."""
    if is_local_only(hosts):
        return TransportSecurity(False, False, 0, None)
    behind_proxy = flag(env, "HOLDSPACE_BEHIND_TLS_PROXY")
    return TransportSecurity(
        secure_cookies=True,
        ssl_redirect=flag(env, "HOLDSPACE_SSL_REDIRECT", default=True),
        hsts_seconds=ONE_YEAR_SECONDS,
        proxy_ssl_header=("HTTP_X_FORWARDED_PROTO", "https") if behind_proxy else None,
        hsts_include_subdomains=flag(env, "HOLDSPACE_HSTS_SUBDOMAINS"),
        hsts_preload=flag(env, "HOLDSPACE_HSTS_PRELOAD"),
    )


def whole_number(
    env: Mapping[str, str], name: str, default: int, unit: str, most: int | None = None
) -> int:
    """A positive whole number from the environment, or the default when unset."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or (most and int(raw) > most):
        limit = f" from 1 to {most}" if most else " above zero"
        raise ConfigurationError(f"{name}={raw!r}: a whole number of {unit}{limit}")
    return int(raw)


DEFAULT_ACK_TARGETS = {"imminent": 120, "high": 600}


def acknowledgement_targets(env: Mapping[str, str]) -> dict[str, int]:
    """HOLDSPACE_ACK_IMMINENT_SECONDS and HOLDSPACE_ACK_HIGH_SECONDS: 2 and 10 minutes unset."""
    return {
        level: whole_number(env, f"HOLDSPACE_ACK_{level.upper()}_SECONDS", seconds, "seconds")
        for level, seconds in DEFAULT_ACK_TARGETS.items()
    }


DEFAULT_REFERRAL_FOLLOW_UP_DAYS = 7
# A check-in further off than a year helps nobody, and would overflow the date arithmetic.
MAX_REFERRAL_FOLLOW_UP_DAYS = 365


def referral_follow_up_days(env: Mapping[str, str]) -> int:
    """HOLDSPACE_REFERRAL_FOLLOW_UP_DAYS: days from a member accepting a referral to the
    check-in on how it went; 7 unset."""
    return whole_number(
        env,
        "HOLDSPACE_REFERRAL_FOLLOW_UP_DAYS",
        DEFAULT_REFERRAL_FOLLOW_UP_DAYS,
        "days",
        most=MAX_REFERRAL_FOLLOW_UP_DAYS,
    )


DEFAULT_RETENTION_DAYS = {
    "messages": 180,
    "escalations": 730,
    "reports": 365,
    "coach_events": 365,
    "access_log": 730,
}


def retention_days(env: Mapping[str, str]) -> dict[str, int]:
    """HOLDSPACE_RETAIN_<WHAT>_DAYS, e.g. HOLDSPACE_RETAIN_MESSAGES_DAYS=90."""
    days = {
        what: whole_number(env, f"HOLDSPACE_RETAIN_{what.upper()}_DAYS", default, "days")
        for what, default in DEFAULT_RETENTION_DAYS.items()
    }
    if days["escalations"] < days["messages"]:
        raise ConfigurationError("safety records must be kept at least as long as messages")
    return days


def csrf_trusted_origins(env: Mapping[str, str]) -> list[str]:
    raw = env.get("CSRF_TRUSTED_ORIGINS", "")
    return [origin.strip() for origin in raw.split(",") if origin.strip()]
