"""WebSocket routes. Anything else is refused instead of failing with a server error."""

from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import URLPattern, path, re_path

from holdspace.messaging.consumers import ThreadConsumer
from holdspace.moderation.consumers import AlertConsumer


class UnknownRouteConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.close()


websocket_urlpatterns: list[URLPattern] = [
    path("ws/threads/<int:thread_id>/", ThreadConsumer.as_asgi()),
    path("ws/alerts/", AlertConsumer.as_asgi()),
    re_path(r"", UnknownRouteConsumer.as_asgi()),
]
