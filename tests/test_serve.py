"""`holdspace serve`: migrates, serves pages, health, static files, WebSocket; Ctrl-C stops it."""

import asyncio
import time
from pathlib import Path

import pytest
import websockets

from tests.conftest import Server, holdspace, start_server


@pytest.fixture
def server(server_env: dict[str, str], tmp_path: Path):  # type: ignore[no-untyped-def]
    server = start_server(server_env, tmp_path / "serve.log")
    yield server
    server.stop()


def test_serve_migrates_a_new_database_and_reports_healthy(
    server: Server, server_env: dict[str, str]
) -> None:
    assert server.get_json("/healthz") == (
        200,
        {"status": "ok", "database": "ok", "channel_layer": "ok"},
    )
    pending = holdspace("manage", "migrate", "--check", env=server_env, check=False)
    assert pending.returncode == 0, pending.stdout


def test_serve_serves_static_files_and_pages(server: Server) -> None:
    css_status, css = server.get("/static/holdspace/holdspace.css")
    htmx_status, _ = server.get("/static/django_htmx/htmx-2.min.js")
    home_status, home = server.get("/")
    assert (css_status, htmx_status, home_status) == (200, 200, 200)
    assert ".get-help" in css
    assert "Get help now" in home


def test_serve_speaks_websocket_and_refuses_foreign_origins_and_unknown_paths(
    server: Server,
) -> None:
    ws_url = server.url.replace("http://", "ws://") + "/ws/nowhere/"

    async def handshake(origin: str) -> int:
        try:
            async with websockets.connect(ws_url, origin=origin, open_timeout=10):
                return 101
        except websockets.exceptions.InvalidStatus as refused:
            return refused.response.status_code

    # A foreign page may not open a socket in a member's name.
    assert asyncio.run(handshake("https://elsewhere.example")) == 403
    # Our own page reaches the router, which refuses a path it does not serve, without a crash.
    assert asyncio.run(handshake(server.url)) == 403
    assert server.stop() == 0
    log = server.log.read_text()
    assert "Traceback" not in log
    assert log.count('"WebSocket /ws/nowhere/" 403') == 2


def test_ctrl_c_stops_the_server_cleanly(server: Server) -> None:
    assert server.stop() == 0
    log = server.log.read_text()
    assert "Shutting down" in log
    assert "Traceback" not in log


def test_serve_without_a_database_says_so_clearly(
    server_env: dict[str, str],
) -> None:
    env = server_env | {"DATABASE_URL": "postgres://postgres@127.0.0.1:9/test"}
    result = holdspace("serve", "--port", "9", env=env, check=False)
    assert result.returncode == 1
    assert "Cannot reach the database" in result.stderr
    assert "--no-migrate" in result.stderr


def test_serve_with_worker_runs_the_background_jobs_and_stops_them(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    server = start_server(server_env, log, "--with-worker")
    try:
        deadline = time.monotonic() + 30
        while "Starting worker" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)  # polling the log for a line, bounded by the deadline
        assert "Starting worker" in log.read_text()
    finally:
        assert server.stop() == 0  # Ctrl-C stops the worker too
