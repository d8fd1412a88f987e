"""Rate limits of the chat channels: per conversation and per address each minute, a cap on one
conversation's length (reset when it sits idle, like a Rasa session), and the person told
politely in French or English with the domain's texts. The channels are served by Sanic as
Rasa serves them, with a stand-in for Rasa's message handler."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import textwrap
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import socketio

from bot.channels.errors import ProxySettingError
from bot.channels.limits import (
    SLOW_DOWN,
    TOO_LONG,
    ChatLimiter,
    ChatLimits,
    client_address,
    notice,
)
from tests.support.waiting import wait_until, wait_until_async

ROOT = Path(__file__).resolve().parents[2]
# What the person reads (bot/domain/*.yml); written out so a lost or swapped text fails here.
SLOW_FR = (
    "Vous m'écrivez très vite : je n'arrive plus à suivre. Attendez une minute, puis renvoyez"
    " votre message."
)
SLOW_EN = (
    "You are writing faster than I can follow. Please wait a minute, then send your message again."
)
LONG_FR = (
    "Cette conversation est devenue très longue et je ne peux plus la poursuivre. Commencez une"
    " nouvelle conversation, ou demandez à parler à une personne."
)
LONG_EN = (
    "This conversation has become very long and I cannot go on with it. Please start a new"
    " conversation, or ask to talk to a person."
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_per_conversation_per_minute() -> None:
    clock = Clock()
    limiter = ChatLimiter(ChatLimits(per_conversation=3, per_address=100), clock)
    assert [limiter.check("a", "10.0.0.1") for _ in range(4)] == [None, None, None, SLOW_DOWN]
    assert limiter.check("b", "10.0.0.1") is None  # another conversation goes on
    clock.now += 61
    assert limiter.check("a", "10.0.0.1") is None


def test_per_address_per_minute_across_conversations() -> None:
    clock = Clock()
    limiter = ChatLimiter(ChatLimits(per_conversation=100, per_address=3), clock)
    assert [limiter.check(f"s{n}", "10.0.0.1") for n in range(4)] == [None] * 3 + [SLOW_DOWN]
    assert limiter.check("s9", "10.0.0.2") is None
    # No address (the Telegram bridge): the conversation's own limit only.
    assert all(limiter.check(f"t{n}", None) is None for n in range(10))


def test_a_conversation_is_capped_until_it_sits_idle() -> None:
    clock = Clock()
    limits = ChatLimits(
        per_conversation=100, per_address=1000, conversation_cap=5, idle_minutes=120
    )
    limiter = ChatLimiter(limits, clock)
    for _ in range(5):
        clock.now += 10
        assert limiter.check("a", "10.0.0.1") is None
    clock.now += 10
    assert limiter.check("a", "10.0.0.1") == TOO_LONG
    assert limiter.check("b", "10.0.0.1") is None
    clock.now += 119 * 60
    assert limiter.check("a", "10.0.0.1") == TOO_LONG  # trying again keeps it capped
    clock.now += 121 * 60
    assert limiter.check("a", "10.0.0.1") is None  # a new session


def test_the_texts_are_the_domains_in_the_persons_language() -> None:
    assert notice(SLOW_DOWN, {"language_code": "en"}) == [SLOW_EN]
    assert notice(SLOW_DOWN, {"language": "fr-CA"}) == [SLOW_FR]
    assert notice(SLOW_DOWN, {"locale": "en-US"}) == [SLOW_EN]
    # A language the assistant does not speak, or none: French, then English.
    assert notice(SLOW_DOWN, {"language": "es"}) == [SLOW_FR, SLOW_EN]
    assert notice(TOO_LONG, {}) == [LONG_FR, LONG_EN]


SERVER = textwrap.dedent(
    """
    import sys
    from sanic import Sanic
    from bot.channels.bridge import BridgeInput
    from bot.channels.rest import HardenedRestInput
    from bot.channels.socketio import HardenedSocketIOInput

    app = Sanic("limits_test")

    async def on_new_message(message):
        await message.output_channel.send_text_message(message.sender_id, "echo")

    for channel in (HardenedRestInput(), BridgeInput(), HardenedSocketIOInput(origins=["*"])):
        app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.name()}")
    app.run("127.0.0.1", int(sys.argv[1]), access_log=False)
    """
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def channels(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("limits") / "server.log"
    env = {
        **os.environ,
        "CHAT_MAX_PER_MINUTE_CONVERSATION": "2",
        "CHAT_MAX_PER_MINUTE_ADDRESS": "5",
        "BRIDGE_SHARED_SECRET": "a-bridge-secret-for-tests",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:

        def serving() -> bool:
            assert process.poll() is None, log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{url}/webhooks/rest/", timeout=2):  # noqa: S310
                    return True
            except OSError:
                return False

        wait_until(serving, 60, "the channels to serve")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def _say(url: str, sender: str, path: str = "rest", **metadata: str) -> requests.Response:
    headers = {"X-Coopilote-Bridge-Secret": "a-bridge-secret-for-tests"}
    body = {"sender": sender, "message": "Bonjour", "metadata": metadata}
    return requests.post(f"{url}/webhooks/{path}/webhook", json=body, headers=headers, timeout=30)


def test_rest_tells_the_person_to_slow_down(channels: str) -> None:
    assert [_say(channels, "rest-1", language="fr").status_code for _ in range(2)] == [200, 200]
    refused = _say(channels, "rest-1", language="fr")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "60"
    assert refused.json() == [{"recipient_id": "rest-1", "text": SLOW_FR}]
    english = _say(channels, "rest-1", language="en-CA").json()
    assert english[0]["text"] == SLOW_EN
    # The address's limit (5 a minute) then stops every conversation from it.
    assert _say(channels, "rest-2").status_code == 200
    assert _say(channels, "rest-3").status_code == 200
    assert _say(channels, "rest-4").status_code == 200
    blocked = _say(channels, "rest-5")
    assert blocked.status_code == 429
    assert [m["text"] for m in blocked.json()] == [SLOW_FR, SLOW_EN]


def test_the_bridge_is_limited_per_conversation_and_shows_the_text(channels: str) -> None:
    for _ in range(2):
        assert _say(channels, "tg-1", "bridge", channel="telegram").json()[0]["text"] == "echo"
    refused = _say(channels, "tg-1", "bridge", channel="telegram", language_code="en")
    assert refused.status_code == 200  # relayed to Telegram as a reply
    assert refused.json()[0]["text"] == SLOW_EN
    # Other Telegram users share the bridge's address but not its limit.
    assert _say(channels, "tg-2", "bridge", channel="telegram").json()[0]["text"] == "echo"


def test_socketio_tells_the_person_to_slow_down(channels: str) -> None:
    async def converse() -> list[str]:
        received: list[str] = []
        client = socketio.AsyncClient()
        confirmed = asyncio.Event()
        client.on("session_confirm", lambda *_: confirmed.set())
        client.on("bot_uttered", lambda data: received.append(data.get("text", "")))
        await client.connect(channels, socketio_path="/socket.io")
        await client.emit("session_request", {"session_id": "s" * 32})
        await asyncio.wait_for(confirmed.wait(), 10)
        for _ in range(3):
            await client.emit(
                "user_uttered", {"message": "Bonjour", "metadata": {"language": "fr"}}
            )
        await wait_until_async(lambda: len(received) >= 3, 10, "three replies")
        await client.disconnect()
        return received

    received = asyncio.run(converse())
    assert received == ["echo", "echo", SLOW_FR]


def test_socketio_refusals_have_a_code_and_the_person_s_language(channels: str) -> None:
    """Refused events do not count against the limits; the text's language is the event's
    metadata, else the connection's Accept-Language, else French."""

    async def refusals(headers: dict[str, str]) -> list[dict]:
        errors: asyncio.Queue = asyncio.Queue()
        client = socketio.AsyncClient()
        confirmed = asyncio.Event()
        client.on("error_message", errors.put_nowait)
        client.on("session_confirm", lambda *_: confirmed.set())
        await client.connect(channels, socketio_path="/socket.io", headers=headers)
        received = []
        try:
            await client.emit("user_uttered", {"message": "Bonjour"})  # before session_request
            received.append(await asyncio.wait_for(errors.get(), 10))
            await client.emit("session_request", {"session_id": "e" * 32})
            await asyncio.wait_for(confirmed.wait(), 10)
            await client.emit("user_uttered", "Bonjour")
            received.append(await asyncio.wait_for(errors.get(), 10))
            await client.emit("user_uttered", {"message": " ", "metadata": {"language": "fr"}})
            received.append(await asyncio.wait_for(errors.get(), 10))
        finally:
            await client.disconnect()
        return received

    english = asyncio.run(refusals({"Accept-Language": "en-CA,en;q=0.9"}))
    assert english == [
        {
            "error": "session_required",
            "message": "Send 'session_request' first to open the conversation.",
        },
        {
            "error": "event_not_an_object",
            "message": "The event data must be an object with 'message'.",
        },
        {"error": "message_empty", "message": "Le champ « message » est vide."},  # the metadata's
    ]
    french = asyncio.run(refusals({}))
    assert [refusal["message"] for refusal in french] == [
        "Envoyez d'abord « session_request » pour ouvrir la conversation.",
        "Les données de l'événement doivent être un objet avec « message ».",
        "Le champ « message » est vide.",
    ]


@pytest.mark.parametrize(
    ("allowed", "peer", "forwarded", "client"),
    [
        ("", "10.0.0.1", "203.0.113.9", "10.0.0.1"),  # no proxy configured: the header is ignored
        ("10.0.0.1", "203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not from the proxy
        ("10.0.0.1", "10.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("10.0.0.0/8", "10.0.0.1", "203.0.113.9, 10.1.2.3", "203.0.113.9"),  # a chain
        ("10.0.0.1", "10.0.0.1", None, "10.0.0.1"),
    ],
)
def test_the_client_address_behind_a_proxy(
    monkeypatch: pytest.MonkeyPatch, allowed: str, peer: str, forwarded: str | None, client: str
) -> None:
    monkeypatch.setenv("CHAT_FORWARDED_ALLOW_IPS", allowed)
    assert client_address(peer, forwarded) == client


def test_only_addresses_are_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAT_FORWARDED_ALLOW_IPS", "*")
    with pytest.raises(ProxySettingError, match="CHAT_FORWARDED_ALLOW_IPS") as refused:
        client_address("10.0.0.1", "203.0.113.9")
    assert refused.value.code == "invalid_forwarded_allow_ips"


def test_a_wrong_proxy_setting_stops_the_channels_when_they_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rather than a 500 for every message once Rasa is up."""
    from bot.channels.rest import HardenedRestInput
    from bot.channels.socketio import HardenedSocketIOInput

    async def on_new_message(message: object) -> None:
        return None

    monkeypatch.setenv("CHAT_FORWARDED_ALLOW_IPS", "10.0.0.1, proxy.example")
    for channel in (HardenedRestInput(), HardenedSocketIOInput(origins=["*"])):
        with pytest.raises(ProxySettingError, match="proxy.example"):
            channel.blueprint(on_new_message)
