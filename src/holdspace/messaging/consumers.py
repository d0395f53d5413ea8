"""The WebSocket of one thread: catch up from a sequence number, post, hear, follow live."""

from __future__ import annotations

import json
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db.models import Count
from django.utils.translation import gettext as _

from holdspace.messaging import events
from holdspace.messaging.access import participation
from holdspace.messaging.actions import Held, PostRefused, do_hear_message, do_post_message
from holdspace.messaging.models import Message, Thread

logger = logging.getLogger(__name__)

BACKLOG_PAGE = 200
# Closed by the server: the person may not see this thread (4403) or it does not exist (4404).
CLOSE_FORBIDDEN = 4403


class ThreadConsumer(AsyncWebsocketConsumer):
    thread_id: int
    group: str

    async def connect(self) -> None:
        self.thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        if not await database_sync_to_async(_may_read)(self.scope["user"], self.thread_id):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = events.thread_group(self.thread_id)
        # Join the group before reading the backlog: a message committed in between arrives
        # both ways, and the client drops what it already has by its sequence number.
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            content = json.loads(text_data or "")
            kind = content.get("type") if isinstance(content, dict) else None
        except ValueError:
            content, kind = {}, None
        match kind:
            case "resume":
                await self._send_backlog(content.get("after"))
            case "post":
                await self._post(content)
            case "hear":
                await self._hear(content.get("message_id"))
            case _:
                await self._send(
                    {"type": "error", "reason": _("Holdspace did not understand that.")}
                )

    async def _send_backlog(self, after: object) -> None:
        start = after if isinstance(after, int) and after >= 0 else 0
        messages, upto = await database_sync_to_async(_backlog)(self.thread_id, start)
        more = len(messages) == BACKLOG_PAGE
        await self._send({"type": "backlog", "messages": messages, "upto": upto, "more": more})

    async def _post(self, content: dict[str, Any]) -> None:
        client_id = content.get("client_id") if isinstance(content.get("client_id"), str) else ""
        reply: dict[str, Any] = {"client_id": client_id}
        try:
            result = await database_sync_to_async(_post)(
                self.scope["user"],
                self.thread_id,
                content.get("body"),
                client_id,
                content.get("send_anyway") is True,
            )
        except PostRefused as refusal:
            reply |= {"type": "refused", "reason": str(refusal)}
        except Exception as error:
            logger.error("posting failed (%s)", type(error).__name__)
            reply |= {
                "type": "refused",
                "reason": _("Something went wrong and the message was not sent. Please try again."),
            }
        else:
            reply |= result
        await self._send(reply)

    async def _hear(self, message_id: object) -> None:
        if not isinstance(message_id, int):
            return
        try:
            await database_sync_to_async(_hear)(self.scope["user"], self.thread_id, message_id)
        except PostRefused as refusal:
            await self._send({"type": "refused", "reason": str(refusal)})

    async def thread_message(self, event: dict[str, Any]) -> None:
        await self._send({"type": "message", "message": event["message"]})

    async def thread_hears(self, event: dict[str, Any]) -> None:
        await self._send(
            {"type": "hears", "message_id": event["message_id"], "count": event["count"]}
        )

    async def thread_hidden(self, event: dict[str, Any]) -> None:
        await self._send({"type": "hidden", "message_id": event["message_id"]})

    async def thread_changed(self, event: dict[str, Any]) -> None:
        await self._send({"type": "changed"})

    async def thread_closed(self, event: dict[str, Any]) -> None:
        await self._send({"type": "closed", "reason": event["reason"]})

    async def _send(self, payload: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(payload))


def _may_read(user: Any, thread_id: int) -> bool:
    thread = Thread.objects.filter(pk=thread_id).first()
    return thread is not None and participation(user, thread) is not None


def _backlog(thread_id: int, after: int) -> tuple[list[dict[str, Any]], int]:
    thread = Thread.objects.get(pk=thread_id)
    page = list(
        Message.objects.filter(thread_id=thread_id, seq__gt=after, hidden=False)
        .select_related("author")
        .annotate(hears=Count("reactions"))
        .order_by("seq")[:BACKLOG_PAGE]
    )
    payloads = [events.message_payload(message, message.hears) for message in page]
    # With a full page the client asks again from its last message; otherwise it is up to date
    # with everything committed when the page was read, hidden messages included.
    upto = page[-1].seq if len(page) == BACKLOG_PAGE else max(thread.last_seq, after)
    return payloads, upto


def _post(
    user: Any, thread_id: int, body: object, client_id: str, send_anyway: bool
) -> dict[str, Any]:
    thread = Thread.objects.get(pk=thread_id)
    result = do_post_message(user, thread, body, client_id=client_id, send_anyway=send_anyway)
    if isinstance(result, Held):
        return {
            "type": "held",
            "flags": [flag.as_dict() for flag in result.flags],
            "can_send_anyway": result.can_send_anyway,
            "strengths": list(result.strengths),
        }
    return {
        "type": "ack",
        "message": events.message_payload(result.message),
        "duplicate": result.duplicate,
        "level": result.level.label if result.level is not None else None,
        "screening_failed": result.screening_failed,
        "resources": [resource.as_dict() for resource in result.resources],
    }


def _hear(user: Any, thread_id: int, message_id: int) -> None:
    message = Message.objects.filter(pk=message_id, thread_id=thread_id, hidden=False).first()
    if message is None:
        raise PostRefused(_("That message is not here any more."))
    do_hear_message(user, message)
