"""WebSocket routes. Rooms, one-to-one chats and group sessions add theirs before the fallback."""

from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import URLPattern, re_path


class UnknownRouteConsumer(AsyncWebsocketConsumer):
    """Refuses a socket on a path nothing serves, instead of failing with a server error."""

    async def connect(self) -> None:
        await self.close()


websocket_urlpatterns: list[URLPattern] = [
    re_path(r"", UnknownRouteConsumer.as_asgi()),
]
