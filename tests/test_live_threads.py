"""The thread WebSocket over the real channel layer: live delivery, acks, catch-up, alerts."""

import json
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from holdspace.accounts.models import User
from holdspace.accounts.roles import Role
from holdspace.routing import websocket_urlpatterns
from tests.people import person, room

pytestmark = pytest.mark.django_db(transaction=True)

CRISIS = "I have the pills in my hand and I'm going to take them all tonight"
TIMEOUT = 5


async def connect(user: User, path: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    communicator.scope["user"] = user
    connected, _ = await communicator.connect(timeout=TIMEOUT)
    assert connected, f"{user} could not connect to {path}"
    return communicator


async def receive(communicator: WebsocketCommunicator) -> dict[str, Any]:
    return json.loads(await communicator.receive_from(timeout=TIMEOUT))


async def until(communicator: WebsocketCommunicator, kind: str) -> dict[str, Any]:
    """The next event of a kind, skipping others (bounded by the receive timeout)."""
    for _ in range(50):
        event = await receive(communicator)
        if event["type"] == kind:
            return event
    raise AssertionError(f"no {kind} event")


async def post(communicator: WebsocketCommunicator, body: str, client_id: str) -> None:
    await communicator.send_to(
        text_data=json.dumps({"type": "post", "body": body, "client_id": client_id})
    )


@database_sync_to_async
def members_in_a_room(count: int, slug: str = "anxiety") -> tuple[list[User], int]:
    people = [person() for _ in range(count)]
    return people, room(slug, *people).thread_id


async def test_a_message_is_acknowledged_to_its_author_and_delivered_live_to_others() -> None:
    (robin, sam), thread_id = await members_in_a_room(2)
    path = f"/ws/threads/{thread_id}/"
    robin_socket, sam_socket = await connect(robin, path), await connect(sam, path)

    await post(robin_socket, "is anyone else awake?", "c-1")
    ack = await until(robin_socket, "ack")
    live = await until(sam_socket, "message")

    assert ack["client_id"] == "c-1" and ack["resources"] == [] and not ack["duplicate"]
    assert live["message"] == ack["message"]
    assert live["message"]["body"] == "is anyone else awake?" and live["message"]["seq"] == 1
    assert "risk" not in json.dumps(live)  # nobody else learns how a message was screened
    await robin_socket.disconnect()
    await sam_socket.disconnect()


async def test_a_crisis_message_brings_resources_to_its_author_and_an_alert_to_moderators() -> None:
    (robin,), thread_id = await members_in_a_room(1)
    moderator = await database_sync_to_async(person)(Role.MODERATOR)
    alerts = await connect(moderator, "/ws/alerts/")
    robin_socket = await connect(robin, f"/ws/threads/{thread_id}/")

    await post(robin_socket, CRISIS, "c-crisis")
    ack = await until(robin_socket, "ack")
    alert = await receive(alerts)

    assert ack["level"] == "imminent"
    assert ack["resources"][0]["kind"] == "emergency"
    assert alert["type"] == "alert" and alert["level"] == "imminent"
    assert CRISIS not in json.dumps(alert)  # the text stays on the moderators' page
    await alerts.disconnect()
    await robin_socket.disconnect()


async def test_a_reconnecting_client_gets_what_it_missed_without_gaps_or_duplicates() -> None:
    (robin, sam), thread_id = await members_in_a_room(2)
    path = f"/ws/threads/{thread_id}/"
    robin_socket = await connect(robin, path)
    sam_socket = await connect(sam, path)
    await post(robin_socket, "first", "c-1")
    seen = (await until(sam_socket, "message"))["message"]["seq"]
    await sam_socket.disconnect()

    for number in range(2, 5):
        await post(robin_socket, f"message {number}", f"c-{number}")
        await until(robin_socket, "ack")

    sam_socket = await connect(sam, path)
    await sam_socket.send_to(text_data=json.dumps({"type": "resume", "after": seen}))
    backlog = await until(sam_socket, "backlog")
    assert [m["body"] for m in backlog["messages"]] == ["message 2", "message 3", "message 4"]
    assert [m["seq"] for m in backlog["messages"]] == [2, 3, 4]
    assert backlog["upto"] == 4 and not backlog["more"]
    await robin_socket.disconnect()
    await sam_socket.disconnect()


async def test_a_resend_after_a_lost_ack_is_acknowledged_again_but_delivered_once() -> None:
    (robin, sam), thread_id = await members_in_a_room(2)
    path = f"/ws/threads/{thread_id}/"
    robin_socket, sam_socket = await connect(robin, path), await connect(sam, path)
    await post(robin_socket, "hello", "same-id")
    await until(robin_socket, "ack")
    await post(robin_socket, "hello", "same-id")
    again = await until(robin_socket, "ack")
    await post(robin_socket, "barrier", "c-2")
    await until(robin_socket, "ack")

    assert again["duplicate"] is True
    bodies = [(await until(sam_socket, "message"))["message"]["body"] for _ in range(2)]
    assert bodies == ["hello", "barrier"]
    await robin_socket.disconnect()
    await sam_socket.disconnect()


async def test_contact_details_are_held_and_never_reach_the_room() -> None:
    (robin, sam), thread_id = await members_in_a_room(2)
    path = f"/ws/threads/{thread_id}/"
    robin_socket, sam_socket = await connect(robin, path), await connect(sam, path)
    await post(robin_socket, "add me on snap: robin_22", "c-1")
    held = await until(robin_socket, "held")
    await post(robin_socket, "never mind, how is everyone?", "c-2")
    delivered = await until(sam_socket, "message")

    assert held["flags"][0]["code"] == "contact_exchange" and not held["can_send_anyway"]
    assert delivered["message"]["body"] == "never mind, how is everyone?"
    await robin_socket.disconnect()
    await sam_socket.disconnect()


async def test_bad_input_gets_a_clear_answer_and_the_socket_stays_open() -> None:
    (robin,), thread_id = await members_in_a_room(1)
    socket = await connect(robin, f"/ws/threads/{thread_id}/")
    await socket.send_to(text_data="{not json")
    assert (await receive(socket))["type"] == "error"
    await post(socket, "", "c-empty")
    refused = await until(socket, "refused")
    assert refused["client_id"] == "c-empty" and refused["reason"]
    await post(socket, "still here", "c-ok")
    assert (await until(socket, "ack"))["message"]["body"] == "still here"
    await socket.disconnect()


async def test_people_outside_a_thread_cannot_open_its_socket() -> None:
    (robin,), _ = await members_in_a_room(1)
    outsider = await database_sync_to_async(person)(Role.MEMBER)
    moderator_only = await database_sync_to_async(person)(Role.PROFESSIONAL)

    @database_sync_to_async
    def conversation_thread() -> int:
        from holdspace.support.actions import do_request_support

        request, _ = do_request_support(robin, "grief", "en", "I miss my dad")
        assert request is not None
        return request.thread_id

    private = await conversation_thread()
    for user, path in [
        (outsider, f"/ws/threads/{private}/"),
        (moderator_only, f"/ws/threads/{private}/"),
        (outsider, "/ws/threads/999999/"),
        (robin, "/ws/alerts/"),
    ]:
        communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
        communicator.scope["user"] = user
        connected, _ = await communicator.connect(timeout=TIMEOUT)
        assert not connected, f"{user} reached {path}"


async def test_ending_a_conversation_closes_it_for_both_sides_live() -> None:
    @database_sync_to_async
    def conversation() -> tuple[User, User, Any]:
        from holdspace.support.actions import do_accept_request, do_request_support

        member, supporter = person(), person(Role.SUPPORTER)
        request, _ = do_request_support(member, "grief", "en", "I miss my dad")
        return member, supporter, do_accept_request(supporter, request)

    member, supporter, talk = await conversation()
    path = f"/ws/threads/{talk.thread_id}/"
    member_socket, supporter_socket = await connect(member, path), await connect(supporter, path)

    from holdspace.support.actions import do_end_conversation

    await database_sync_to_async(do_end_conversation)(supporter, talk)
    for socket in (member_socket, supporter_socket):
        assert (await until(socket, "closed"))["reason"]
    await post(member_socket, "wait", "c-late")
    assert (await until(member_socket, "refused"))["reason"]
    await member_socket.disconnect()
    await supporter_socket.disconnect()


async def test_i_hear_you_is_counted_once_per_person_and_shown_to_everyone() -> None:
    (robin, sam, kim), thread_id = await members_in_a_room(3)
    path = f"/ws/threads/{thread_id}/"
    robin_socket, sam_socket = await connect(robin, path), await connect(sam, path)
    kim_socket = await connect(kim, path)
    await post(robin_socket, "today was a bit better", "c-1")
    message_id = (await until(robin_socket, "ack"))["message"]["id"]

    for socket in (sam_socket, sam_socket, kim_socket):
        await socket.send_to(text_data=json.dumps({"type": "hear", "message_id": message_id}))
    counts = [(await until(robin_socket, "hears"))["count"] for _ in range(3)]
    # Sam's second one changes nothing; the three may be handled in any order.
    assert max(counts) == 2 and set(counts) <= {1, 2}

    @database_sync_to_async
    def stored() -> int:
        from holdspace.messaging.models import Reaction

        return Reaction.objects.filter(message_id=message_id).count()

    assert await stored() == 2

    await robin_socket.send_to(text_data=json.dumps({"type": "hear", "message_id": message_id}))
    assert (await until(robin_socket, "refused"))["reason"]
    for socket in (robin_socket, sam_socket, kim_socket):
        await socket.disconnect()


async def test_a_waiting_member_hears_at_once_that_a_supporter_accepted() -> None:
    @database_sync_to_async
    def waiting() -> tuple[User, User, Any]:
        from holdspace.support.actions import do_request_support

        member, supporter = person(), person(Role.SUPPORTER)
        request, _ = do_request_support(member, "grief", "en", "I miss my dad")
        return member, supporter, request

    member, supporter, request = await waiting()
    member_socket = await connect(member, f"/ws/threads/{request.thread_id}/")

    from holdspace.support.actions import do_accept_request

    await database_sync_to_async(do_accept_request)(supporter, request)
    notice = await until(member_socket, "message")
    assert notice["message"]["kind"] == "notice" and "has joined" in notice["message"]["body"]
    assert (await until(member_socket, "changed"))["type"] == "changed"
    await member_socket.disconnect()
