"""Two `holdspace serve` processes sharing one database and Redis deliver each other's messages."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from tests.conftest import Server, holdspace, start_server

REDIS_URL = "redis://127.0.0.1:6379/0"
TIMEOUT = 10

SIGN_IN = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from holdspace.accounts.models import User
from holdspace.community.actions import do_join_room
from holdspace.community.models import Room
room = Room.objects.get(slug="anxiety")
keys = []
for name in ("demo-member", "demo-supporter"):
    user = User.objects.get(username=name)
    do_join_room(user, room)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
print(room.thread_id, *keys)
"""


@pytest.fixture
def two_servers(server_env: dict[str, str], tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    env = {**server_env, "REDIS_URL": REDIS_URL}
    first = start_server(env, tmp_path / "first.log")
    try:
        holdspace("demo", env=env)
        second = start_server(env, tmp_path / "second.log", "--no-migrate")
        try:
            yield first, second
        finally:
            second.stop()
    finally:
        first.stop()


def socket_to(server: Server, thread_id: int, session_key: str) -> ClientConnection:
    return connect(
        server.url.replace("http://", "ws://") + f"/ws/threads/{thread_id}/",
        additional_headers={"Cookie": f"sessionid={session_key}", "Origin": server.url},
        open_timeout=TIMEOUT,
    )


def next_of(socket: ClientConnection, kind: str, body: str | None = None) -> dict[str, Any]:
    """The next event of a kind (with this message body), skipping others; bounded."""
    for _ in range(20):
        event = json.loads(socket.recv(timeout=TIMEOUT))
        if event["type"] == kind and (body is None or event["message"]["body"] == body):
            return event
    raise AssertionError(f"no {kind} event")


def test_two_workers_deliver_each_others_messages_through_redis(
    two_servers: tuple[Server, Server], server_env: dict[str, str]
) -> None:
    first, second = two_servers
    output = holdspace("manage", "shell", "-c", SIGN_IN, env=server_env).stdout.split()
    thread_id, member_key, supporter_key = int(output[-3]), output[-2], output[-1]

    with (
        socket_to(first, thread_id, member_key) as member,
        socket_to(second, thread_id, supporter_key) as supporter,
    ):
        member.send(json.dumps({"type": "post", "body": "anyone around?", "client_id": "a-1"}))
        ack = next_of(member, "ack")
        delivered = next_of(supporter, "message")
        assert delivered["message"] == ack["message"]

        supporter.send(
            json.dumps({"type": "post", "body": "I'm here. How are you doing?", "client_id": "b-1"})
        )
        assert next_of(supporter, "ack")["message"]["body"] == "I'm here. How are you doing?"
        reply = next_of(member, "message", body="I'm here. How are you doing?")
        assert reply["message"]["author"] == "Sam (supporter)"


def test_an_idle_socket_stays_open_past_redis_blocking_read_and_health_stays_ok(
    two_servers: tuple[Server, Server], server_env: dict[str, str]
) -> None:
    first, _ = two_servers
    output = holdspace("manage", "shell", "-c", SIGN_IN, env=server_env).stdout.split()
    thread_id, member_key = int(output[-3]), output[-2]
    with socket_to(first, thread_id, member_key) as idle:
        # channels-redis blocks 5 s on Redis; nothing arrives here for longer than that.
        with pytest.raises(TimeoutError):
            idle.recv(timeout=12)
        assert first.get_json("/healthz")[0] == 200
        idle.send(json.dumps({"type": "post", "body": "still here", "client_id": "late"}))
        assert next_of(idle, "ack")["message"]["body"] == "still here"
