"""What goes out over the channel layer, and only after the transaction that made it commits."""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from holdspace.messaging.models import Message

logger = logging.getLogger(__name__)

ALERTS_GROUP = "alerts"


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def message_payload(message: Message, hears: int | None = None) -> dict[str, Any]:
    author = message.author
    return {
        "id": message.pk,
        "seq": message.seq,
        "kind": message.kind,
        "author": author.display_name if author is not None else None,
        "author_id": author.pk if author is not None else None,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
        "hears": message.reactions.count() if hears is None else hears,
    }


def send_to_group(group: str, event: dict[str, Any]) -> None:
    """Best effort: what is stored reaches clients when they catch up, even if this fails."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception as error:
        # The kind only: a connection error may carry a URL with a password.
        logger.warning("broadcast to %s failed (%s)", group.split(".")[0], type(error).__name__)


def broadcast_message(message: Message) -> None:
    send_to_group(
        thread_group(message.thread_id),
        {"type": "thread.message", "message": message_payload(message, hears=0)},
    )


def broadcast_hears(message: Message, count: int) -> None:
    send_to_group(
        thread_group(message.thread_id),
        {"type": "thread.hears", "message_id": message.pk, "count": count},
    )


def broadcast_hidden(thread_id: int, message_id: int) -> None:
    send_to_group(thread_group(thread_id), {"type": "thread.hidden", "message_id": message_id})


def broadcast_closed(thread_id: int, reason: str) -> None:
    send_to_group(thread_group(thread_id), {"type": "thread.closed", "reason": reason})


def broadcast_changed(thread_id: int) -> None:
    """Who is in the thread or what it allows changed: pages refresh their state around it."""
    send_to_group(thread_group(thread_id), {"type": "thread.changed"})


def person_group(user_id: int) -> str:
    return f"alerts.person.{user_id}"


def broadcast_alert(escalation_id: int, level: str, to: list[int]) -> None:
    """Every queue page refreshes; the people it is routed to are alerted by name.

    Ids and the level only: the message is read on the case page, not off the socket.
    """
    event = {"type": "alert.escalation", "escalation": escalation_id, "level": level}
    send_to_group(ALERTS_GROUP, event | {"for_you": False})
    for user_id in to:
        send_to_group(person_group(user_id), event | {"for_you": True})


def broadcast_queue_changed() -> None:
    send_to_group(ALERTS_GROUP, {"type": "alert.changed"})
