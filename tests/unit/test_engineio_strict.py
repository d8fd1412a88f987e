"""Engine.IO requests that the stock server answered with a 500 or a traceback (found by
scripts/fuzz.py): refused with 400 (bot/channels/socketio.py, StrictEngineIOServer)."""

from __future__ import annotations

import asyncio
import logging

import pytest
from engineio.async_socket import AsyncSocket

from bot.channels.socketio import StrictEngineIOServer


async def post(server: StrictEngineIOServer, sid: str, body: bytes) -> int:
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/socket.io/",
        "query_string": f"EIO=4&transport=polling&sid={sid}".encode(),
        "headers": [
            (b"content-type", b"text/plain;charset=UTF-8"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await server.handle_request(scope, receive, send)
    return next(m["status"] for m in sent if m["type"] == "http.response.start")


async def test_a_request_for_a_closed_session_is_a_400_not_a_500():
    server = StrictEngineIOServer(async_mode="asgi")
    socket = AsyncSocket(server, "closed-sid")
    socket.closed = True
    server.sockets["closed-sid"] = socket
    assert await post(server, "closed-sid", b"40") == 400
    assert "closed-sid" not in server.sockets


async def test_a_payload_with_a_bad_packet_type_is_refused_without_a_traceback(caplog):
    server = StrictEngineIOServer(async_mode="asgi")
    server.sockets["live-sid"] = AsyncSocket(server, "live-sid")
    with caplog.at_level(logging.INFO):
        status = await post(server, "live-sid", "µ".encode())
    assert status == 400
    assert not any(r.exc_info for r in caplog.records)
    assert any("malformed payload refused" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("packet", [b"0", b"2", b"6", "0É".encode()])
async def test_a_packet_a_client_may_not_send_is_refused_at_once(packet):
    # OPEN, PING and NOOP from the client: the POST used to hang until the client gave up.
    server = StrictEngineIOServer(async_mode="asgi")
    server.sockets["live-sid"] = AsyncSocket(server, "live-sid")
    status = await asyncio.wait_for(post(server, "live-sid", packet), timeout=5)
    assert status == 400
