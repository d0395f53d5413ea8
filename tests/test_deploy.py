"""The deployment layout (docs/deploy.md, deploy/): its production settings, health checks as a
load balancer asks them, the commands the guide names, and a backup restored on PostgreSQL,
which reads only with the encryption key that was kept apart from it."""

import http.client
import os
import re
import secrets
import shutil
import subprocess
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet

from holdspace import config
from holdspace.cli import main
from tests.conftest import holdspace, start_server

REPO = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = REPO / "deploy" / "env.example"
DEPLOY_GUIDE = REPO / "docs" / "deploy.md"
PLACEHOLDER = "REPLACE_WITH_"
# What every web worker and task worker needs in production (README, Configuration).
REQUIRED_IN_PRODUCTION = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "HOLDSPACE_ENCRYPTION_KEYS",
    "HOLDSPACE_BEHIND_TLS_PROXY",
    "CSRF_TRUSTED_ORIGINS",
}
POSTGRES = "postgres://postgres@127.0.0.1:5432"


def env_example() -> dict[str, str]:
    """deploy/env.example as Compose reads it: NAME=value lines, # comments, nothing else."""
    values: dict[str, str] = {}
    for number, raw in enumerate(ENV_EXAMPLE.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        assert equals and re.fullmatch(r"[A-Z][A-Z0-9_]*", name), f"line {number}: {raw!r}"
        assert name not in values, f"{name} is set twice"
        assert " #" not in value and not value.startswith(("'", '"')), f"line {number}: {raw!r}"
        values[name] = value
    return values


def filled_in(values: dict[str, str]) -> dict[str, str]:
    """env.example with its placeholders replaced, as an installer would."""
    password = secrets.token_hex(24)
    env = values | {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "HOLDSPACE_ENCRYPTION_KEYS": Fernet.generate_key().decode("ascii"),
        "POSTGRES_PASSWORD": password,
        "DATABASE_URL": values["DATABASE_URL"].replace(values["POSTGRES_PASSWORD"], password),
    }
    assert not [name for name, value in env.items() if PLACEHOLDER in value]
    return env


def test_env_example_sets_every_production_variable_with_placeholders_for_every_secret() -> None:
    values = env_example()
    assert values.keys() >= REQUIRED_IN_PRODUCTION
    placeholders = {name for name, value in values.items() if PLACEHOLDER in value}
    assert placeholders == {
        "SECRET_KEY",
        "HOLDSPACE_ENCRYPTION_KEYS",
        "POSTGRES_PASSWORD",
        "DATABASE_URL",
    }
    # One password, in both places: replacing it once fills in both.
    assert values["POSTGRES_PASSWORD"] in values["DATABASE_URL"]
    # The load balancer's health check and the web healthcheck ask with the site's host name.
    domain = values["HOLDSPACE_DOMAIN"]
    assert config.allowed_hosts(values) == [domain]
    assert config.csrf_trusted_origins(values) == [f"https://{domain}"]
    assert not config.flag(values, "HOLDSPACE_DEBUG")


def test_the_placeholder_key_in_env_example_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(config.ConfigurationError, match="not a Fernet key"):
        config.encryption_keys(env_example(), tmp_path)
    assert not list(tmp_path.iterdir())


def readings(env: dict[str, str]) -> tuple[object, ...]:
    return (
        config.retention_days(env),
        config.acknowledgement_targets(env),
        config.referral_follow_up_days(env),
        config.transport_security(env, config.allowed_hosts(env)),
    )


def test_every_number_and_flag_in_env_example_is_one_holdspace_reads() -> None:
    env = filled_in(env_example())
    tuned = {
        name: value
        for name, value in env.items()
        if name.startswith("HOLDSPACE_") and value.isascii() and value.isdigit()
    }
    assert len(tuned) >= 10
    for name, value in tuned.items():
        changed = "1" if value == "0" else "0" if value == "1" else str(int(value) + 1)
        assert readings(env | {name: changed}) != readings(env), f"{name} changes nothing"


def test_env_example_filled_in_loads_into_secure_transport(tmp_path: Path) -> None:
    env = filled_in(env_example())
    hosts = config.allowed_hosts(env)
    assert not config.is_local_only(hosts)
    transport = config.transport_security(env, hosts)
    assert transport.secure_cookies
    assert transport.ssl_redirect
    assert transport.hsts_seconds >= 365 * 24 * 60 * 60
    assert transport.proxy_ssl_header == ("HTTP_X_FORWARDED_PROTO", "https")
    # The domain owner's choices stay off until they make them.
    assert not transport.hsts_include_subdomains
    assert not transport.hsts_preload

    var = tmp_path / "var"
    assert config.secret_key(env, var) == env["SECRET_KEY"]
    assert config.encryption_keys(env, var) == [env["HOLDSPACE_ENCRYPTION_KEYS"]]
    # Keys from the environment: nothing secret is written into the container.
    assert not var.exists()

    database = config.database(env, var)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == (
        "db",
        "holdspace",
        "holdspace",
    )
    assert database["PASSWORD"] == env["POSTGRES_PASSWORD"]
    layers = config.channel_layers(env)
    assert layers["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert layers["default"]["CONFIG"]["hosts"] == [
        {"address": env["REDIS_URL"], "socket_timeout": 10}
    ]
    assert config.caches(env)["default"]["LOCATION"] == env["REDIS_URL"]


def test_env_example_filled_in_passes_djangos_deployment_check(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    env = server_env | filled_in(env_example())
    result = holdspace(
        "manage", "check", "--deploy", "--fail-level", "WARNING", env=env, check=False
    )
    # Only the two HSTS decisions the domain's owner takes are left to warn about.
    assert set(re.findall(r"\(security\.(W\d+)\)", result.stderr)) == {"W005", "W021"}
    assert "ERROR" not in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()
    assert not (tmp_path / "var" / "encryption.keys").exists()


def fetch(base_url: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], str]:
    """One GET with exactly these headers, redirects not followed: what a proxy sends."""
    address = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=15)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        answer = {name.lower(): value for name, value in response.getheaders()}
        return response.status, answer, response.read().decode()
    finally:
        connection.close()


def test_served_with_the_production_settings_healthz_answers_the_balancers_check(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    production = filled_in(env_example())
    domain = production["HOLDSPACE_DOMAIN"]
    redis_url = production["REDIS_URL"].replace("//redis:", "//127.0.0.1:")
    env = server_env | production | {"DATABASE_URL": server_env["DATABASE_URL"]}
    server = start_server(env | {"REDIS_URL": redis_url}, tmp_path / "serve.log")
    try:
        # Caddy's check and the compose healthcheck: plain HTTP, the public host name.
        status, _, body = fetch(server.url, "/healthz", {"Host": domain})
        assert (status, body) == (
            200,
            '{"status": "ok", "database": "ok", "channel_layer": "ok"}',
        )
        # Asked by the worker's own name, Holdspace refuses the host: hence health_headers.
        assert fetch(server.url, "/healthz", {"Host": "web1:8000"})[0] == 400
        # Anything else over plain HTTP goes to HTTPS ...
        status, headers, _ = fetch(server.url, "/help/", {"Host": domain})
        assert (status, headers["location"]) == (301, f"https://{domain}/help/")
        # ... and through the TLS proxy it is served, with HSTS.
        status, headers, page = fetch(
            server.url, "/help/", {"Host": domain, "X-Forwarded-Proto": "https"}
        )
        assert status == 200
        assert "emergency number" in page
        assert headers["strict-transport-security"] == "max-age=31536000"
    finally:
        server.stop()


def test_serve_no_migrate_on_a_missing_postgres_database_answers_503_naming_it(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    missing = f"holdspace_missing_{uuid.uuid4().hex[:12]}"
    env = server_env | {"DATABASE_URL": f"{POSTGRES}/{missing}"}
    server = start_server(env, tmp_path / "serve.log", "--no-migrate")
    try:
        status, body = server.get_json("/healthz")
    finally:
        server.stop()
    assert status == 503
    assert body == {"status": "unavailable", "database": "unavailable", "channel_layer": "ok"}
    # The log names the part that failed, never the connection string.
    assert missing not in server.log.read_text()


@pytest.fixture
def postgres_database() -> Iterator[Callable[[str], str]]:
    """Makes empty PostgreSQL databases of their own; drops them afterwards."""
    names: list[str] = []

    def make(purpose: str) -> str:
        name = f"holdspace_{purpose}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        return f"{POSTGRES}/{name}"

    yield make
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def major_version(program: str) -> int:
    assert shutil.which(program), f"{program} is not installed: apt-get install postgresql-client"
    output = subprocess.run([program, "--version"], capture_output=True, text=True, check=True)
    found = re.search(r"\) (\d+)", output.stdout)
    assert found, output.stdout
    return int(found.group(1))


POST = """
from holdspace.accounts.models import User
from holdspace.community.actions import do_join_room
from holdspace.community.models import Room
from holdspace.messaging.actions import Posted, do_post_message
room = Room.objects.get(slug="anxiety")
member = User.objects.get(username="demo-member")
do_join_room(member, room)
posted = do_post_message(member, room.thread, {text!r}, client_id="backup-round-trip")
assert isinstance(posted, Posted), posted
print("posted", posted.message.pk)
"""

READ = """
from holdspace.core.crypto import UnreadableText
from holdspace.messaging.models import Message
try:
    print("read:", Message.objects.get(pk={pk}).body)
except UnreadableText:
    print("unreadable: UnreadableText")
"""


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout.strip().splitlines()[-1]


def test_a_backup_restores_on_postgres_and_reads_only_with_its_key(
    postgres_database: Callable[[str], str], tmp_path: Path
) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres") as admin:
        server_major = admin.info.server_version // 10000
    for program in ("pg_dump", "pg_restore"):
        assert major_version(program) >= server_major, f"{program} is older than the server"

    base = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "DJANGO_SETTINGS_MODULE",
            "ALLOWED_HOSTS",
            "HOLDSPACE_ENCRYPTION_KEYS",
            "HOLDSPACE_KEY_FILE",
        }
    }
    live = postgres_database("live")
    var = tmp_path / "var"
    env = base | {"DATABASE_URL": live, "HOLDSPACE_VAR_DIR": str(var)}
    holdspace("manage", "migrate", "--no-input", env=env)
    holdspace("demo", env=env)
    text = f"what I only told this room {uuid.uuid4().hex[:8]}"
    posted = holdspace("manage", "shell", "--no-imports", "-c", POST.format(text=text), env=env)
    pk = int(last_line(posted).split()[-1])

    dump = tmp_path / "holdspace.dump"
    subprocess.run(["pg_dump", "-Fc", "--dbname", live, "--file", str(dump)], check=True)
    restored = postgres_database("restored")
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
        check=True,
    )
    with psycopg.connect(restored) as copy:
        row = copy.execute("SELECT body FROM messaging_message WHERE id = %s", [pk]).fetchone()
    assert row is not None
    # The database, and so its backup, holds only ciphertext.
    assert row[0].startswith("gAAAAA")
    assert text not in row[0]

    read = READ.format(pk=pk)
    on_restored = {"DATABASE_URL": restored}
    # Restored next to its key file: it reads.
    same_key_file = holdspace("manage", "shell", "--no-imports", "-c", read, env=env | on_restored)
    assert last_line(same_key_file) == f"read: {text}"
    # On a new machine, with the key from the secrets manager: it reads.
    key = (var / "encryption.keys").read_text(encoding="ascii").strip()
    new_machine = base | on_restored | {"HOLDSPACE_VAR_DIR": str(tmp_path / "new-machine")}
    from_secrets = holdspace(
        "manage",
        "shell",
        "--no-imports",
        "-c",
        read,
        env=new_machine | {"HOLDSPACE_ENCRYPTION_KEYS": key},
    )
    assert last_line(from_secrets) == f"read: {text}"
    # With any other key, such as a new key file made because the old one was not backed up,
    # the text cannot be read: the key must be backed up, and apart from the database.
    other = tmp_path / "other-key"
    other.mkdir()
    (other / "encryption.keys").write_text(Fernet.generate_key().decode("ascii") + "\n")
    wrong_key = holdspace(
        "manage",
        "shell",
        "--no-imports",
        "-c",
        read,
        env=base | on_restored | {"HOLDSPACE_VAR_DIR": str(other)},
    )
    assert last_line(wrong_key) == "unreadable: UnreadableText"
    assert text not in wrong_key.stdout + wrong_key.stderr


SERVICES = {"migrate", "web1", "web2", "worker"}
SHELL_OPERATORS = {"|", "||", "&&", ";", ">", ">>", "<", "\\"}


def holdspace_commands(markdown: str) -> list[list[str]]:
    """`holdspace ...` commands in code blocks and code spans, run directly or in a service."""
    commands: list[list[str]] = []
    in_block = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            in_block = not in_block
            continue
        for text in [line] if in_block else re.findall(r"`([^`]+)`", line):
            words = text.split()
            for at, word in enumerate(words):
                if word != "holdspace" or (at and words[at - 1] not in SERVICES):
                    continue
                command: list[str] = []
                for part in words[at + 1 :]:
                    if part in SHELL_OPERATORS or part.startswith("#"):
                        break
                    command.append(part)
                if command:
                    commands.append(command)
    return commands


def test_every_holdspace_command_in_the_deploy_guide_exists_with_its_options() -> None:
    from django.core.management import get_commands

    commands = holdspace_commands(DEPLOY_GUIDE.read_text(encoding="utf-8"))
    named = {command[0] for command in commands}
    assert {"serve", "worker", "manage", "new-key", "rotate-keys"} <= named
    runner = CliRunner()
    for subcommand, *arguments in commands:
        if subcommand == "manage":
            assert arguments[0] in get_commands(), f"no Django command {arguments[0]}"
            continue
        helped = runner.invoke(main, [subcommand, "--help"])
        assert helped.exit_code == 0, f"holdspace {subcommand}: {helped.output}"
        for option in (word.split("=")[0] for word in arguments if word.startswith("--")):
            assert option in helped.output, f"holdspace {subcommand} has no {option}"
