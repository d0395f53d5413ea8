"""Live alerts for moderators and professionals: an escalation was just created."""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from holdspace.messaging.events import ALERTS_GROUP, person_group
from holdspace.moderation.queue import may_work_cases


class AlertConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        if not await database_sync_to_async(may_work_cases)(self.scope["user"]):
            await self.close(code=4403)
            return
        self.groups_joined = [ALERTS_GROUP, person_group(self.scope["user"].pk)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Alerts only go one way."""

    async def alert_escalation(self, event: dict[str, Any]) -> None:
        payload = {
            "type": "alert",
            "escalation": event["escalation"],
            "level": event["level"],
            "for_you": event["for_you"],
        }
        await self.send(text_data=json.dumps(payload))

    async def alert_changed(self, event: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps({"type": "changed"}))
