"""Fixtures that run Holdspace as a person would: `holdspace serve` in its own process."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Browser, sync_playwright

STARTUP_LIMIT_SECONDS = 60
CHROMIUM = Path("/usr/bin/chromium")
POSTGRES_URL = os.environ.get("DATABASE_URL", "")


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    log: Path

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def get_json(self, path: str) -> tuple[int, dict[str, object]]:
        status, body = self.get(path)
        return status, json.loads(body)

    def stop(self) -> int:
        """Ctrl-C, as a person at the terminal would; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def holdspace(
    *arguments: str, env: dict[str, str], check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "holdspace", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


def start_server(env: dict[str, str], log: Path, *extra: str) -> Server:
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "holdspace", "serve", "--port", str(port), *extra],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"holdspace serve exited early:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)  # polling for the port to open, bounded by the deadline
    server.stop()
    raise AssertionError(f"holdspace serve did not listen in time:\n{log.read_text()}")


@pytest.fixture
def scratch_database_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own for a server process: a PostgreSQL one when CI runs on PostgreSQL."""
    if not POSTGRES_URL.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'holdspace.sqlite3'}"
        return
    name = f"holdspace_e2e_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server_env(tmp_path: Path, scratch_database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["HOLDSPACE_VAR_DIR"] = str(tmp_path / "var")
    env["DATABASE_URL"] = scratch_database_url
    return env


@pytest.fixture
def demo_server(server_env: dict[str, str], tmp_path: Path) -> Iterator[Server]:
    """`holdspace serve` on a fresh database, migrated by serve itself, with the demo loaded."""
    server = start_server(server_env, tmp_path / "serve.log")
    try:
        holdspace("demo", env=server_env)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Browser tests need Debian's Chromium: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """Rate-limit counters live in the cache; each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()
    yield
