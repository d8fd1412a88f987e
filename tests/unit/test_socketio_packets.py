"""Malformed socket.io packets are dropped with one log line, never a traceback, and the connection
goes on: bad JSON, JSON nested too deeply, events that are not a list starting with a name,
unknown packet types.

The packets are socket.io packets as Engine.IO hands them to python-socketio, its MESSAGE type
already removed: ``42[...]`` on the wire is ``2[...]`` here. (Written with the wire's ``4``, every
packet would be a CONNECT_ERROR, refused whatever followed it.)
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.channels.socketio import StrictAsyncServer
from tests.support.waiting import settle_tasks

CONNECT = "0"
WELL_FORMED = '2["user_uttered",{"message":"Bonjour"}]'
PACKETS = [
    "2[",  # EVENT with broken JSON
    "2" + "[" * 5_000 + "]" * 5_000,  # nested past the parser's recursion limit
    "2{}",  # an event that is not a list
    '2"user_uttered"',  # a string, not a list
    "2[]",  # an event without a name
    "2[1, 2]",  # a name that is not a string
    "2[null]",
    # A name that cannot be looked up (unhashable): python-socketio would fail in a background
    # task, where the error is a traceback.
    '2[["user_uttered"], {"message": "Bonjour"}]',
    '2[{"message": "Bonjour"}]',
    '2["user_uttered"',
    "9",  # unknown packet type
    "x",
    "4{}",  # CONNECT_ERROR sent by a client
]
# A binary event with one attachment, which replaces the placeholder numbered ``num``.
BINARY_EVENT = '51-["user_uttered",{{"_placeholder":true,"num":{num}}}]'


@dataclass
class Received:
    """What a connected client's packets led to."""

    events: list[Any] = field(default_factory=list)  # what the user_uttered handler was given
    failures: list[BaseException] = field(default_factory=list)  # background tasks that failed


def send_packets(*packets: str | bytes) -> Received:
    """Connects a client to a new server, then hands it ``packets`` one by one."""
    server = StrictAsyncServer(async_mode="asgi", logger=False)
    received = Received()

    @server.on("user_uttered")
    async def user_uttered(sid: str, data: Any = None) -> None:
        received.events.append(data)

    async def to_client(eio_sid: str, data: Any) -> None:
        pass  # no Engine.IO socket here: what the server sends back is not under test

    server.eio.send = to_client

    async def receive() -> None:
        loop = asyncio.get_running_loop()
        started: list[asyncio.Task] = []

        def recorded(loop: asyncio.AbstractEventLoop, coroutine: Any) -> asyncio.Task:
            task = asyncio.Task(coroutine, loop=loop)
            started.append(task)
            return task

        loop.set_task_factory(recorded)
        server.environ["eio-sid"] = {}  # Engine.IO has the client's environ
        await server._handle_eio_message("eio-sid", CONNECT)
        assert server.manager.is_connected(server.manager.sid_from_eio_sid("eio-sid", "/"), "/")
        for packet in packets:
            await server._handle_eio_message("eio-sid", packet)
            await settle_tasks()  # the background tasks it may have started are over
        received.failures.extend(
            error for task in started if not task.cancelled() and (error := task.exception())
        )

    asyncio.run(receive())
    return received


def assert_quiet(caplog: pytest.LogCaptureFixture, received: Received) -> None:
    assert received.failures == []
    assert "Traceback" not in caplog.text
    assert all(record.exc_info is None for record in caplog.records)


@pytest.mark.parametrize("packet", PACKETS, ids=lambda packet: packet[:24])
def test_a_malformed_packet_is_dropped_quietly(packet: str, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    received = send_packets(packet, WELL_FORMED)
    assert_quiet(caplog, received)
    assert caplog.text.count("socketio: malformed packet dropped") == 1
    # Nothing of the malformed packet reached the handler, and the connection goes on.
    assert received.events == [{"message": "Bonjour"}]


def test_a_binary_event_waits_for_its_attachment(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    received = send_packets(BINARY_EVENT.format(num=0))
    assert_quiet(caplog, received)
    assert "malformed packet dropped" not in caplog.text  # nothing is wrong yet
    assert received.events == []


def test_a_binary_event_pointing_past_its_attachments_is_forgotten(
    caplog: pytest.LogCaptureFixture,
):
    """Kept waiting, it would take every later packet of the client for an attachment."""
    caplog.set_level(logging.DEBUG)
    received = send_packets(BINARY_EVENT.format(num=5), b"attachment", WELL_FORMED)
    assert_quiet(caplog, received)
    assert caplog.text.count("socketio: malformed packet dropped") == 1
    assert received.events == [{"message": "Bonjour"}]
