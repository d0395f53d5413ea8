"""Authorisation as a matrix: every page and WebSocket route, for every role and for nobody.

Each case names the status each role must get; anything a role is not listed for must not be
a 200. The world: a member (Robin) in a room and a one-to-one conversation with a supporter
(Sam), booked on a session a facilitator runs; a crisis message of Robin's escalated and
reported; and outsiders of every role.
"""

import json
from dataclasses import dataclass

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from holdspace.accounts.models import User
from holdspace.accounts.roles import Role
from holdspace.messaging.actions import Posted, do_post_message
from holdspace.moderation.actions import do_report_message
from holdspace.routing import websocket_urlpatterns
from holdspace.support.actions import do_accept_request, do_request_support
from tests.people import open_session, person, room

CRISIS = "I have the pills in my hand and I'm going to take them all tonight"
ROLES = [
    "anonymous",
    "robin",
    "other_member",
    "sam",
    "other_supporter",
    "facilitator",
    "moderator",
    "professional",
    "admin",
]


@dataclass
class World:
    people: dict[str, User]
    paths: dict[str, str]
    conversation_thread: int


def build_world() -> World:
    robin = person(name="Robin")
    sam = person(Role.SUPPORTER, name="Sam")
    facilitator = person(Role.FACILITATOR)
    people = {
        "robin": robin,
        "other_member": person(),
        "sam": sam,
        "other_supporter": person(Role.SUPPORTER),
        "facilitator": facilitator,
        "moderator": person(Role.MODERATOR),
        "professional": person(Role.PROFESSIONAL),
        "admin": person(Role.ADMIN),
    }
    room("anxiety", robin, people["other_member"])
    request, _ = do_request_support(robin, "low_mood", "en", "everything is heavy")
    assert request is not None
    talk = do_accept_request(sam, request)
    crisis = do_post_message(robin, talk.thread, CRISIS)
    assert isinstance(crisis, Posted) and crisis.escalation is not None
    do_report_message(sam, crisis.message, "worried")
    session = open_session(facilitator, robin)
    paths = {
        "request": f"/support/{request.pk}/",
        "history": f"/threads/{talk.thread_id}/history",
        "case": f"/moderation/cases/{crisis.escalation.pk}/",
        "session": f"/sessions/{session.pk}/",
        "calendar": f"/sessions/{session.pk}/calendar.ics",
    }
    return World(people, paths, talk.thread_id)


ALL_SIGNED_IN = {role: 200 for role in ROLES if role != "anonymous"}
SUPPORTERS = {"sam": 200, "other_supporter": 200, "facilitator": 200}
STAFF = {"moderator": 200, "professional": 200}

# path (or a key of World.paths) -> who gets 200; the anonymous get the login page.
MATRIX: dict[str, dict[str, int]] = {
    "/": {**ALL_SIGNED_IN, "anonymous": 200},
    "/help/": {**ALL_SIGNED_IN, "anonymous": 200},
    "/rooms/anxiety/": ALL_SIGNED_IN,
    "/support/": {"robin": 200, "other_member": 200, **SUPPORTERS},
    "request": {"robin": 200, "sam": 200},
    "history": {"robin": 200, "sam": 200},
    "/support/feedback/": SUPPORTERS,
    "/support/boundaries/": SUPPORTERS,
    "/sessions/": ALL_SIGNED_IN,
    "session": ALL_SIGNED_IN,
    "calendar": {"robin": 200},
    "/moderation/alerts/": STAFF,
    "case": STAFF,
    "/moderation/response-times/": STAFF,
    "/moderation/reports/": {"moderator": 200},
    "/moderation/appeals/": {"moderator": 200},
    "/moderation/mine/": ALL_SIGNED_IN,
    "/training/": ALL_SIGNED_IN,
    "/care/": SUPPORTERS,
    "/care/coordinators/": {"moderator": 200, "admin": 200},
    "/my-data/": ALL_SIGNED_IN,
    "/admin/": {"admin": 200},
}


@pytest.mark.django_db
@pytest.mark.parametrize("route", list(MATRIX))
def test_every_role_gets_what_it_may_see_and_nothing_else(route: str) -> None:
    world = build_world()
    path = world.paths.get(route, route)
    allowed = MATRIX[route]
    for role in ROLES:
        client = Client(HTTP_HOST="127.0.0.1")
        if role != "anonymous":
            client.force_login(world.people[role])
        status = client.get(path).status_code
        if role in allowed:
            assert status == allowed[role], (route, role, status)
        elif role == "anonymous":
            assert status == 302, (route, role, status)  # to the login page
        else:
            assert status in (302, 403, 404), (route, role, status)


@pytest.mark.django_db
def test_posting_routes_refuse_outsiders() -> None:
    world = build_world()
    outsider = Client(HTTP_HOST="127.0.0.1")
    outsider.force_login(world.people["other_member"])
    request_path = world.paths["request"]
    for path in ("end", "invite", "hand-over", "block", "rate", "accept"):
        assert outsider.post(f"{request_path}{path}").status_code in (403, 404), path
    assert (
        outsider.post(f"/threads/{world.conversation_thread}/coach", {"body": "x"}).status_code
        == 403
    )
    supporter = Client(HTTP_HOST="127.0.0.1")
    supporter.force_login(world.people["other_supporter"])
    assert supporter.post(world.paths["case"] + "claim").status_code == 403
    assert supporter.post("/moderation/claim-next").status_code == 403


@pytest.mark.django_db(transaction=True)
async def test_websocket_routes_for_every_role() -> None:
    world = await database_sync_to_async(build_world)()
    thread_path = f"/ws/threads/{world.conversation_thread}/"
    expected = {
        thread_path: {"robin", "sam"},
        "/ws/alerts/": {"moderator", "professional"},
        "/ws/nothing-here/": set(),
    }
    for path, allowed in expected.items():
        for role in ROLES:
            communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
            communicator.scope["user"] = (
                AnonymousUser() if role == "anonymous" else world.people[role]
            )
            connected, _ = await communicator.connect(timeout=5)
            assert connected == (role in allowed), (path, role)
            if connected:
                await communicator.send_to(text_data=json.dumps({"type": "resume", "after": 0}))
                await communicator.disconnect()


PUBLIC = {"home", "get_help", "healthz", "signup", "login", "logout"}


def every_route(world: World) -> list[tuple[str, str]]:
    """Every named page route, with real ids from the world filled in."""
    from django.urls import URLPattern, URLResolver, get_resolver

    ids = {
        "pk": world.paths["request"].split("/")[2],
        "thread_id": str(world.conversation_thread),
        "message_id": "1",
        "member_id": str(world.people["robin"].pk),
        "slug": "anxiety",
    }

    def walk(patterns: list[object], prefix: str) -> list[tuple[str, str]]:
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if "admin" in str(pattern.pattern):
                    continue
                found += walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                path = prefix + str(pattern.pattern)
                for name, value in ids.items():
                    for converter in ("int", "slug"):
                        path = path.replace(f"<{converter}:{name}>", value)
                found.append((pattern.name, "/" + path))
        return found

    return walk(get_resolver().url_patterns, "")


@pytest.mark.django_db
def test_nobody_signed_out_reaches_any_route_but_the_public_ones() -> None:
    world = build_world()
    routes = every_route(world)
    assert len(routes) > 60
    for name, path in routes:
        if name in PUBLIC:
            continue
        for method in ("get", "post"):
            response = getattr(Client(HTTP_HOST="127.0.0.1"), method)(path)
            assert response.status_code == 302, (name, path, method, response.status_code)
            assert response["Location"].startswith("/accounts/login/"), (name, path)


STAFF_ONLY = {
    "claim_next",
    "claim",
    "add_note",
    "close_case",
    "act_on_report",
    "decide_appeal",
    "take_break",
    "check_in",
    "mute_participant",
    "start_round",
    "end_session",
    "propose_referral",
    "schedule_session",
}


@pytest.mark.django_db
def test_a_member_is_refused_every_staff_supporter_and_facilitator_action() -> None:
    from holdspace.moderation.models import EscalationEvent

    world = build_world()
    member = Client(HTTP_HOST="127.0.0.1")
    member.force_login(world.people["other_member"])
    before = EscalationEvent.objects.count()
    tried = 0
    for name, path in every_route(world):
        if name not in STAFF_ONLY:
            continue
        tried += 1
        status = member.post(
            path, {"round": "check_in", "outcome": "no_risk", "body": "x"}
        ).status_code
        assert status in (403, 404), (name, path, status)
    assert tried == len(STAFF_ONLY)
    assert EscalationEvent.objects.count() == before  # nothing was claimed or noted
