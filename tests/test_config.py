"""Configuration from the environment: defaults, parsing, and what production gets."""

import re
import secrets
import stat
import subprocess
from pathlib import Path

import pytest

from holdspace import config
from tests.conftest import holdspace


def test_database_defaults_to_sqlite_under_var(tmp_path: Path) -> None:
    database = config.database({}, tmp_path)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(tmp_path / "holdspace.sqlite3")


def test_database_url_for_postgres_gets_a_connect_timeout(tmp_path: Path) -> None:
    database = config.database(
        {"DATABASE_URL": "postgres://holder:pw@db.internal:6543/hs"}, tmp_path
    )
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.internal", 6543, "hs")
    assert database["USER"] == "holder"
    assert database["OPTIONS"]["connect_timeout"] == 5


def test_database_url_of_an_unknown_kind_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigurationError, match="DATABASE_URL"):
        config.database({"DATABASE_URL": "oracle-ish://nowhere"}, tmp_path)


def test_channel_layer_is_in_memory_without_redis_url() -> None:
    layers = config.channel_layers({})
    assert layers["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"


def test_channel_layer_uses_redis_when_redis_url_is_set() -> None:
    layers = config.channel_layers({"REDIS_URL": "redis://cache.internal:6379/2"})
    assert layers["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert layers["default"]["CONFIG"]["hosts"] == [
        {"address": "redis://cache.internal:6379/2", "socket_timeout": 10}
    ]


def test_redis_url_that_is_not_redis_is_a_clear_error() -> None:
    with pytest.raises(config.ConfigurationError, match="REDIS_URL"):
        config.channel_layers({"REDIS_URL": "http://cache.internal"})


def test_secret_key_from_environment_wins_and_writes_nothing(tmp_path: Path) -> None:
    assert (
        config.secret_key({"SECRET_KEY": "from-the-environment"}, tmp_path)
        == "from-the-environment"
    )
    assert not (tmp_path / "secret_key").exists()


def test_secret_key_is_generated_once_private_and_kept(tmp_path: Path) -> None:
    first = config.secret_key({}, tmp_path / "var")
    second = config.secret_key({}, tmp_path / "var")
    key_file = tmp_path / "var" / "secret_key"
    assert first == second
    assert len(first) >= 50
    assert key_file.read_text().strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_each_installation_generates_its_own_secret_key(tmp_path: Path) -> None:
    assert config.secret_key({}, tmp_path / "a") != config.secret_key({}, tmp_path / "b")


def test_allowed_hosts_default_to_this_machine_and_parse_a_list() -> None:
    assert config.allowed_hosts({}) == ["localhost", "127.0.0.1", "[::1]"]
    hosts = config.allowed_hosts({"ALLOWED_HOSTS": " holdspace.example.org, ,peer.example.org "})
    assert hosts == ["holdspace.example.org", "peer.example.org"]


def test_local_hosts_get_plain_http_settings() -> None:
    security = config.transport_security({}, ["localhost", "127.0.0.1"])
    assert not security.secure_cookies
    assert security.hsts_seconds == 0
    assert not security.ssl_redirect


def test_public_hosts_get_secure_cookies_https_and_hsts() -> None:
    security = config.transport_security({}, ["holdspace.example.org", "localhost"])
    assert security.secure_cookies
    assert security.ssl_redirect
    assert security.hsts_seconds >= 365 * 24 * 3600
    assert security.proxy_ssl_header is None


def test_tls_proxy_header_is_trusted_only_when_asked() -> None:
    security = config.transport_security(
        {"HOLDSPACE_BEHIND_TLS_PROXY": "yes"}, ["holdspace.example.org"]
    )
    assert security.proxy_ssl_header == ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("On", True), ("no", False), ("", False)]
)
def test_flags_read_common_words(raw: str, expected: bool) -> None:
    assert config.flag({"HOLDSPACE_DEBUG": raw}, "HOLDSPACE_DEBUG") is expected


def test_a_flag_that_is_not_a_yes_or_no_is_a_clear_error() -> None:
    with pytest.raises(config.ConfigurationError, match="HOLDSPACE_DEBUG"):
        config.flag({"HOLDSPACE_DEBUG": "maybe"}, "HOLDSPACE_DEBUG")


def _settings_seen_by_django(env: dict[str, str], *names: str) -> list[str]:
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(repr(s.{name}))" for name in names
    )
    return holdspace("manage", "shell", "--no-imports", "-c", code, env=env).stdout.splitlines()


def test_settings_are_read_from_the_environment(server_env: dict[str, str]) -> None:
    env = server_env | {
        "DATABASE_URL": "postgres://someone@db.internal:5432/community",
        "REDIS_URL": "redis://cache.internal:6379/1",
        "SECRET_KEY": "a-key-only-this-test-knows",
        "ALLOWED_HOSTS": "holdspace.example.org",
        "HOLDSPACE_DEBUG": "1",
    }
    seen = _settings_seen_by_django(
        env,
        "DATABASES['default']['HOST']",
        "CHANNEL_LAYERS['default']['BACKEND']",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DEBUG",
        "SESSION_COOKIE_SECURE",
    )
    assert seen == [
        "'db.internal'",
        "'channels_redis.core.RedisChannelLayer'",
        "'a-key-only-this-test-knows'",
        "['holdspace.example.org']",
        "True",
        "True",
    ]


def test_defaults_are_sqlite_in_var_in_memory_layer_and_no_debug(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    env = {
        k: v for k, v in server_env.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    env.pop("HOLDSPACE_DEBUG", None)
    seen = _settings_seen_by_django(
        env, "DATABASES['default']['NAME']", "CHANNEL_LAYERS['default']['BACKEND']", "DEBUG"
    )
    assert seen == [
        repr(str(tmp_path / "var" / "holdspace.sqlite3")),
        "'channels.layers.InMemoryChannelLayer'",
        "False",
    ]
    assert (tmp_path / "var" / "secret_key").exists()


def _deployment_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return holdspace("manage", "check", "--deploy", "--fail-level", "WARNING", env=env, check=False)


def test_production_defaults_leave_only_the_domain_owners_hsts_choices(
    server_env: dict[str, str],
) -> None:
    env = server_env | {
        "ALLOWED_HOSTS": "holdspace.example.org",
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    result = _deployment_check(env)
    warnings = set(re.findall(r"\(security\.(W\d+)\)", result.stderr))
    assert warnings == {"W005", "W021"}, result.stderr
    with_hsts_choices = env | {"HOLDSPACE_HSTS_SUBDOMAINS": "1", "HOLDSPACE_HSTS_PRELOAD": "1"}
    result = _deployment_check(with_hsts_choices)
    assert result.returncode == 0, result.stderr
