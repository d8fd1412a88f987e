"""Malformed socket.io packets are dropped with one log line, never a traceback: bad JSON, JSON
nested too deeply, events that are not a list starting with a name, unknown packet types."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.channels.socketio import StrictAsyncServer
from tests.support.waiting import settle_tasks

PACKETS = [
    "42[",  # EVENT with broken JSON
    "42" + "[" * 5_000 + "]" * 5_000,  # nested past the parser's recursion limit
    "42{}",  # an event that is not a list
    "42[]",  # an event without a name
    "42[1, 2]",  # a name that is not a string
    '42["user_uttered"',
    "49",  # unknown packet type
    "4x",
    "44{}",  # CONNECT_ERROR sent by a client
    '451-["user_uttered",{"_placeholder":true,"num":0}]',  # binary event, attachment never sent
]


@pytest.mark.parametrize("packet", PACKETS, ids=lambda packet: packet[:24])
def test_a_malformed_packet_is_dropped_quietly(packet: str, caplog: pytest.LogCaptureFixture):
    server = StrictAsyncServer(async_mode="asgi", logger=False)
    caplog.set_level(logging.DEBUG)

    async def receive() -> None:
        # A connected client (Engine.IO has its environ), then the packet.
        server.environ["eio-sid"] = {}
        await server._handle_eio_message("eio-sid", "40")
        await server._handle_eio_message("eio-sid", packet)
        await settle_tasks()  # the background tasks it may have started are over

    asyncio.run(receive())
    assert "Traceback" not in caplog.text
    assert all(record.exc_info is None for record in caplog.records)
    if packet.startswith("451-"):
        return  # a binary event waits for its attachment: nothing is wrong yet
    assert "socketio: malformed packet dropped" in caplog.text
