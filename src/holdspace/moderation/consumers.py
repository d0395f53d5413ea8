"""Live alerts for moderators and professionals: an escalation was just created."""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from holdspace.messaging.events import ALERTS_GROUP
from holdspace.moderation.access import receives_alerts


class AlertConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        if not await database_sync_to_async(receives_alerts)(self.scope["user"]):
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(ALERTS_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(ALERTS_GROUP, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Alerts only go one way."""

    async def alert_escalation(self, event: dict[str, Any]) -> None:
        payload = {"type": "alert", "escalation": event["escalation"], "level": event["level"]}
        await self.send(text_data=json.dumps(payload))
