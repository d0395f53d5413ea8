"""Chat load: many WebSocket sessions on two `holdspace serve` workers sharing PostgreSQL and
Redis, a steady rate of messages with screening and coaching on, and what every other
participant of each thread received, and when.

    .venv/bin/python benchmarks/chat_load.py --sessions 1000 --rate 200 --seconds 30

Traffic goes only to 127.0.0.1; every loop is bounded in count and time. Needs PostgreSQL
(trust auth on 127.0.0.1:5432) and Redis (127.0.0.1:6379); it makes and drops its own database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"
ROOM_SIZE = 20
MEMBER_LINES = [
    "had a rough day at work and just wanted to say it somewhere",
    "the evenings are the hardest, the flat gets so quiet",
    "thank you all for listening yesterday, it helped more than i can say",
    "my sister called and we talked for an hour, first time in months",
    "still feeling flat but i went for a short walk today",
]
SUPPORTER_LINES = [
    "That sounds like a lot to carry. How are you feeling right now?",
    "I'm really glad you told me. What has today been like for you?",
    "It makes sense that the evenings feel heavy. What helps you get through them?",
]


@dataclass
class Session:
    key: str  # session cookie
    user: int
    thread: int
    server: str
    coached: bool
    received: dict[int, float] = field(default_factory=dict)  # message id -> time
    duplicates: int = 0
    closed_early: bool = False
    socket: ClientConnection | None = None


@dataclass
class Sent:
    thread: int
    sender: int
    at: float
    acked: float | None = None
    message_id: int | None = None
    held: bool = False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SETUP = """
import json, os
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from datetime import timedelta
from holdspace.accounts.actions import do_create_user, do_sync_role_groups
from holdspace.accounts.consent import do_give_consent, load_first_versions, missing_consents
from holdspace.accounts.roles import Role
from holdspace.community.actions import do_join_room
from holdspace.community.models import Room
from holdspace.support.actions import do_accept_request, do_request_support
from holdspace.training.models import Certification

rooms, pairs = int(os.environ["LOAD_ROOMS"]), int(os.environ["LOAD_PAIRS"])
do_sync_role_groups(); load_first_versions()

def make(name, role):
    user = do_create_user(name, name, "load test passphrase", [role], "GB")
    do_give_consent(user, missing_consents(user))
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return user, session.session_key

out = []
for r in range(rooms):
    room = Room.objects.create(name=f"Load {r}", slug=f"load-{r}", description="d", guidelines="g")
    for m in range(%(room_size)d):
        user, key = make(f"m{r}-{m}", Role.MEMBER)
        do_join_room(user, room)
        out.append({"key": key, "user": user.pk, "thread": room.thread_id, "coached": False})
for p in range(pairs):
    member, member_key = make(f"pm{p}", Role.MEMBER)
    supporter, supporter_key = make(f"ps{p}", Role.SUPPORTER)
    now = timezone.now()
    Certification.objects.create(
        user=supporter, certified_at=now, expires_at=now + timedelta(days=30)
    )
    request, _ = do_request_support(member, "low_mood", "en", "it has been a heavy week")
    talk = do_accept_request(supporter, request)
    thread = talk.thread_id
    out.append({"key": member_key, "user": member.pk, "thread": thread, "coached": False})
    out.append({"key": supporter_key, "user": supporter.pk, "thread": thread, "coached": True})
print(json.dumps(out))
""" % {"room_size": ROOM_SIZE}  # noqa: UP031 - the script holds its own {} braces


def holdspace(env: dict[str, str], *args: str, timeout: float = 900) -> str:
    return subprocess.run(
        [sys.executable, "-m", "holdspace", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
    ).stdout


def process_figures(pid: int) -> tuple[float, float]:
    """CPU seconds used so far and resident memory (MB) of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = next(
        int(line.split()[1]) / 1024
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if line.startswith("VmRSS:")
    )
    return cpu, rss


async def listen(session: Session, sent: dict[str, Sent], by_id: dict[int, str]) -> None:
    assert session.socket is not None  # noqa: S101 - opened above
    try:
        await _receive_all(session, sent, by_id)
    except ConnectionClosed:
        session.closed_early = True


async def _receive_all(session: Session, sent: dict[str, Sent], by_id: dict[int, str]) -> None:
    assert session.socket is not None  # noqa: S101 - opened above
    async for raw in session.socket:
        event = json.loads(raw)
        now = time.perf_counter()
        kind = event.get("type")
        if kind == "message":
            message_id = event["message"]["id"]
            if message_id in session.received:
                session.duplicates += 1
            else:
                session.received[message_id] = now
        elif kind in ("ack", "held", "refused"):
            record = sent.get(event.get("client_id", ""))
            if record is None:
                continue
            record.acked = now
            if kind == "ack":
                record.message_id = event["message"]["id"]
                by_id[record.message_id] = event["client_id"]
            else:
                record.held = True


async def run(sessions: list[Session], rate: int, seconds: int, connect_limit: int) -> dict:
    sent: dict[str, Sent] = {}
    by_id: dict[int, str] = {}
    gate = asyncio.Semaphore(connect_limit)

    async def open_one(session: Session) -> None:
        async with gate:
            session.socket = await connect(
                f"ws://{session.server}/ws/threads/{session.thread}/",
                additional_headers={
                    "Cookie": f"sessionid={session.key}",
                    "Origin": f"http://{session.server}",
                },
                open_timeout=60,
                max_queue=None,
            )

    started = time.perf_counter()
    await asyncio.gather(*(open_one(s) for s in sessions))
    connect_seconds = time.perf_counter() - started
    listeners = [asyncio.create_task(listen(s, sent, by_id)) for s in sessions]

    total = rate * seconds
    begin = time.perf_counter()
    for number in range(total):
        # Open-loop: the schedule does not wait for answers, as real people don't.
        delay = begin + number / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        session = sessions[number % len(sessions)]
        lines = SUPPORTER_LINES if session.coached else MEMBER_LINES
        client_id = uuid.uuid4().hex
        sent[client_id] = Sent(session.thread, session.user, time.perf_counter())
        assert session.socket is not None  # noqa: S101 - opened above
        try:
            await session.socket.send(
                json.dumps(
                    {"type": "post", "body": lines[number % len(lines)], "client_id": client_id}
                )
            )
        except ConnectionClosed:
            session.closed_early = True
    send_seconds = time.perf_counter() - begin
    # Drain: wait (bounded) until every acknowledged message reached everyone, or 30 s pass.
    members: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        members[session.thread].append(session)
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        missing = sum(
            1
            for record in sent.values()
            if record.message_id is not None
            for other in members[record.thread]
            if other.user != record.sender and record.message_id not in other.received
        )
        if missing == 0 and all(r.acked is not None for r in sent.values()):
            break
        await asyncio.sleep(0.5)
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(s.socket.close() for s in sessions if s.socket), return_exceptions=True)

    latencies = []
    lost = 0
    for record in sent.values():
        if record.message_id is None:
            continue
        for other in members[record.thread]:
            if other.user == record.sender:
                continue
            got = other.received.get(record.message_id)
            if got is None:
                lost += 1
            else:
                latencies.append((got - record.at) * 1000)
    acks = [(r.acked - r.at) * 1000 for r in sent.values() if r.acked is not None and not r.held]
    return {
        "connect_seconds": connect_seconds,
        "send_seconds": send_seconds,
        "sent": total,
        "acknowledged": sum(r.message_id is not None for r in sent.values()),
        "held_or_refused": sum(r.held for r in sent.values()),
        "unanswered": sum(r.acked is None for r in sent.values()),
        "deliveries": len(latencies),
        "lost": lost,
        "duplicates": sum(s.duplicates for s in sessions),
        "closed_early": sum(s.closed_early for s in sessions),
        "latency_ms": percentiles(latencies),
        "ack_ms": percentiles(acks),
    }


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(values)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=200, help="messages a second, in all")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    pairs = arguments.sessions // 10  # a fifth of the sessions are in one-to-one chats
    rooms = max(1, (arguments.sessions - 2 * pairs) // ROOM_SIZE)

    name = f"holdspace_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES}/test", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    servers: list[subprocess.Popen[bytes]] = []
    try:
        with tempfile.TemporaryDirectory() as var:
            env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
            env |= {"DATABASE_URL": f"{POSTGRES}/{name}", "REDIS_URL": REDIS}
            env["HOLDSPACE_VAR_DIR"] = var
            holdspace(env, "manage", "migrate", "--no-input")
            setup_env = env | {"LOAD_ROOMS": str(rooms), "LOAD_PAIRS": str(pairs)}
            made = json.loads(holdspace(setup_env, "manage", "shell", "-c", SETUP).splitlines()[-1])
            ports = [free_port() for _ in range(arguments.workers)]
            for port in ports:
                servers.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "holdspace",
                            "serve",
                            "--no-migrate",
                            "--port",
                            str(port),
                        ],
                        env=env,
                        stdout=(Path(var) / f"serve-{port}.log").open("w"),
                        stderr=subprocess.STDOUT,
                    )
                )
            for port in ports:
                wait_for_port(port)
            sessions = [
                Session(
                    m["key"],
                    m["user"],
                    m["thread"],
                    f"127.0.0.1:{ports[i % len(ports)]}",
                    m["coached"],
                )
                for i, m in enumerate(made)
            ]
            before = [process_figures(server.pid) for server in servers]
            wall = time.perf_counter()
            result = asyncio.run(run(sessions, arguments.rate, arguments.seconds, connect_limit=50))
            wall = time.perf_counter() - wall
            after = [process_figures(server.pid) for server in servers]
            for port in ports:
                tail = (Path(var) / f"serve-{port}.log").read_text().splitlines()[-5:]
                print(f"worker on {port}, last log lines:", *tail, sep="\n  ")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        with psycopg.connect(f"{POSTGRES}/test", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    report(arguments, len(sessions), rooms, pairs, result, before, after, wall)


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)  # the server is starting; bounded by the deadline
    raise SystemExit(f"holdspace serve did not listen on {port}")


def report(arguments, sessions, rooms, pairs, result, before, after, wall) -> None:  # type: ignore[no-untyped-def]
    print(
        f"sessions {sessions} ({rooms} rooms of {ROOM_SIZE}, {pairs} one-to-one chats), "
        f"{arguments.workers} workers, {arguments.rate} msg/s for {arguments.seconds} s"
    )
    connected, sending = result["connect_seconds"], result["send_seconds"]
    print(f"connected all in {connected:.1f} s; sending took {sending:.1f} s")
    print(
        f"sent {result['sent']}, acknowledged {result['acknowledged']}, held or refused "
        f"{result['held_or_refused']}, unanswered {result['unanswered']}"
    )
    print(
        f"deliveries {result['deliveries']}, lost {result['lost']}, duplicates "
        f"{result['duplicates']}, connections closed by a server {result['closed_early']}"
    )
    throughput = result["deliveries"] / max(wall, 1e-9)
    print(f"delivered {throughput:.0f} messages/s to participants over the run")
    for label in ("latency_ms", "ack_ms"):
        figures = result[label]
        print(f"{label}: " + ", ".join(f"{k} {v:.0f}" for k, v in figures.items()))
    for number, ((cpu0, _), (cpu1, rss)) in enumerate(zip(before, after, strict=True), 1):
        print(f"worker {number}: CPU {100 * (cpu1 - cpu0) / wall:.0f}% of a core, RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
