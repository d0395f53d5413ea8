"""/healthz: up, and each dependency down in turn, over real connections."""

from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.test import AsyncClient

from tests.conftest import start_server


@pytest.mark.django_db(transaction=True)
async def test_healthz_is_ok_without_a_login(async_client: AsyncClient) -> None:
    response = await async_client.get("/healthz")
    # The check ran in asgiref's worker thread; close its connection so the test DB can go.
    await sync_to_async(connections.close_all)()
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "channel_layer": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_names_the_database_when_it_is_unreachable(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    # Nothing listens on port 9: the database is unreachable from the first request on.
    env = server_env | {"DATABASE_URL": "postgres://postgres@127.0.0.1:9/test"}
    server = start_server(env, tmp_path / "serve.log", "--no-migrate")
    try:
        status, body = server.get_json("/healthz")
        help_status, help_page = server.get("/help/")
    finally:
        server.stop()
    assert status == 503
    assert body == {"status": "unavailable", "database": "unavailable", "channel_layer": "ok"}
    # The crisis page does not need the database.
    assert help_status == 200
    assert "call your local emergency number" in help_page.lower()


def test_healthz_names_the_channel_layer_when_redis_is_unreachable(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    env = server_env | {"REDIS_URL": "redis://127.0.0.1:9/0"}
    server = start_server(env, tmp_path / "serve.log")
    try:
        status, body = server.get_json("/healthz")
    finally:
        server.stop()
    assert status == 503
    assert body == {"status": "unavailable", "database": "ok", "channel_layer": "unavailable"}
    assert "127.0.0.1:9" not in server.log.read_text()
