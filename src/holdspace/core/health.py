"""Checks behind /healthz: can this worker reach its database and its channel layer?"""

import asyncio
import logging
from collections.abc import Awaitable

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 5.0


async def database_is_up() -> bool:
    return await _passes("database", sync_to_async(_select_one)())


async def channel_layer_is_up() -> bool:
    return await _passes("channel layer", _channel_round_trip())


def _select_one() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


async def _channel_round_trip() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer is configured")
    # The layer's own kind of channel: the process's receive loop reads it even while sockets
    # are open; a channel of another prefix would wait behind them and time out.
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "healthz.ping"})
    message = await layer.receive(channel)
    if message.get("type") != "healthz.ping":
        raise RuntimeError("the channel layer returned another message")


async def _passes(part: str, check: Awaitable[None]) -> bool:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            await check
    except Exception as error:
        # Only the kind of error: a connection string in the message may hold a password.
        logger.warning("health check: %s unavailable (%s)", part, type(error).__name__)
        return False
    return True
