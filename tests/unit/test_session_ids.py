"""Conversation ids are the server's: the socket.io channel issues signed ids that expire with
the conversation retention period and refuses any other (a chosen id, a forged or expired one),
and the REST channel cannot reach the socket.io or Telegram conversations."""

from __future__ import annotations

import asyncio

import pytest
import requests
import socketio

from bot.channels.session_ids import SessionIds
from tests.unit.test_chat_limits import channels  # noqa: F401 - the channels served by Sanic


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_issued_ids_are_valid_until_they_expire() -> None:
    clock = Clock()
    ids = SessionIds(b"secret", 30 * 86400, clock)
    issued = ids.issue()
    assert issued.startswith("web-") and ids.valid(issued)
    assert issued != ids.issue()
    clock.now += 30 * 86400 - 1
    assert ids.valid(issued)
    clock.now += 2
    assert not ids.valid(issued)


def test_chosen_forged_or_foreign_ids_are_refused() -> None:
    clock = Clock()
    ids = SessionIds(b"secret", 86400, clock)
    issued = ids.issue()
    prefix, random, expiry, signature = issued.split("-")
    later = f"{int(expiry, 16) + 10**6:x}"
    for value in (
        "0123456789abcdef0123456789abcdef",  # what the widget used to choose
        "default",
        f"{prefix}-{random}-{later}-{signature}",  # a longer life, same signature
        f"{prefix}-{'0' * 24}-{expiry}-{signature}",  # someone else's random part
        SessionIds(b"another secret", 86400, clock).issue(),
        issued.upper(),
        "tg-12345",
        None,
        42,
    ):
        assert not ids.valid(value), value


def _session(url: str, requested: object) -> str:
    async def ask() -> str:
        client = socketio.AsyncClient(reconnection=False)
        confirmed: asyncio.Future = asyncio.get_running_loop().create_future()

        def on_confirm(sid: str) -> None:
            if not confirmed.done():
                confirmed.set_result(sid)

        client.on("session_confirm", on_confirm)
        await client.connect(url, socketio_path="/socket.io")
        try:
            await client.emit("session_request", {"session_id": requested})
            return await asyncio.wait_for(confirmed, 10)
        finally:
            await client.disconnect()

    return asyncio.run(ask())


def test_socketio_issues_the_id_and_keeps_only_its_own(channels: str) -> None:  # noqa: F811
    chosen = "0123456789abcdef0123456789abcdef"
    issued = _session(channels, chosen)
    assert issued != chosen and issued.startswith("web-")
    assert _session(channels, issued) == issued  # the same conversation after a reconnection
    assert _session(channels, None).startswith("web-")
    assert _session(channels, "tg-12345") != "tg-12345"


@pytest.mark.parametrize(
    ("path", "sender", "status"),
    [
        ("rest", "web-0123456789abcdef01234567-7fffffff-0123456789abcdef0123456789abcdef", 400),
        ("rest", "tg-12345", 400),
        ("bridge", "e2e-someone", 400),
        ("bridge", "tg-12345", 200),
        ("rest", "someone-else", 200),
    ],
)
def test_each_channel_keeps_to_its_own_ids(
    channels: str,  # noqa: F811
    path: str,
    sender: str,
    status: int,
) -> None:
    reply = requests.post(
        f"{channels}/webhooks/{path}/webhook",
        json={"sender": sender, "message": "Bonjour", "metadata": {"channel": "telegram"}},
        headers={"X-Coopilote-Bridge-Secret": "a-bridge-secret-for-tests"},
        timeout=30,
    )
    assert reply.status_code == status, reply.text
