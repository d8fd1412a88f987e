"""The bridge channel: a shared secret in a header, the Telegram channel recorded with messages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from bot.channels.bridge import SECRET_HEADER, BridgeInput
from bot.channels.texts import catalogue

SECRET = "s3cret-for-tests"  # noqa: S105 - a test value
GOOD_BODY = {
    "sender": "tg-42",
    "message": "Bonjour",
    "metadata": {"channel": "telegram", "language_code": "fr", "phone": "5145550199"},
}


@dataclass
class FakeRequest:
    body: bytes
    headers: dict = field(default_factory=dict)


def webhook_handler(channel: BridgeInput, received: list):
    async def on_new_message(message):
        received.append(message)
        await message.output_channel.send_text_message(message.sender_id, "Bonjour!")

    blueprint = channel.blueprint(on_new_message)
    for route in blueprint._future_routes:
        if route.uri == "/webhook":
            return route.handler
    raise AssertionError("no /webhook route")


async def call(channel: BridgeInput, body, headers: dict | None = None):
    received: list = []
    handler = webhook_handler(channel, received)
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    reply = await handler(FakeRequest(raw, headers or {}))
    return reply.status, json.loads(reply.body), received


def test_the_channel_is_named_bridge():
    assert BridgeInput.name() == "bridge"


async def test_the_right_secret_is_accepted_and_telegram_recorded():
    status, replies, received = await call(BridgeInput(SECRET), GOOD_BODY, {SECRET_HEADER: SECRET})
    assert status == 200
    assert replies == [{"recipient_id": "tg-42", "text": "Bonjour!"}]
    (message,) = received
    assert message.input_channel == "telegram"
    assert message.sender_id == "tg-42"
    assert message.metadata == {"channel": "telegram", "language_code": "fr"}


@pytest.mark.parametrize(
    "headers",
    [{}, {SECRET_HEADER: ""}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET + "x"}],
)
async def test_a_missing_or_wrong_secret_is_refused(headers):
    status, body, received = await call(BridgeInput(SECRET), GOOD_BODY, headers)
    assert status == 401 and body["error"] == "bridge_secret_required"
    assert received == []


async def test_a_refusal_before_the_body_is_read_speaks_the_accepted_language():
    """The secret is checked before the body is read: its language comes from the header."""
    _, english, _ = await call(BridgeInput(SECRET), GOOD_BODY, {"accept-language": "en-CA"})
    _, default, _ = await call(BridgeInput(SECRET), GOOD_BODY, {})
    texts = catalogue()["bridge_secret_required"]
    assert english["message"] == texts["en"]
    assert default["message"] == texts["fr"]


async def test_everything_is_refused_while_no_secret_is_configured(monkeypatch):
    monkeypatch.delenv("BRIDGE_SHARED_SECRET", raising=False)
    channel = BridgeInput.from_credentials({})
    for headers in ({}, {SECRET_HEADER: ""}, {SECRET_HEADER: "anything"}):
        status, _, received = await call(channel, GOOD_BODY, headers)
        assert status == 401 and received == []


async def test_the_secret_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("BRIDGE_SHARED_SECRET", SECRET)
    channel = BridgeInput.from_credentials(None)
    status, _, _ = await call(channel, GOOD_BODY, {SECRET_HEADER: SECRET})
    assert status == 200


async def test_the_secret_is_checked_before_the_body_is_read():
    status, _, _ = await call(BridgeInput(SECRET), b"not json", {})
    assert status == 401


FRENCH_REFUSAL = "Le champ « metadata.channel » doit être l'un de ceux-ci : telegram."


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        (None, FRENCH_REFUSAL),
        ({"language_code": "en"}, "'metadata.channel' must be one of: telegram."),
        ({"channel": "whatsapp", "language_code": "fr"}, FRENCH_REFUSAL),
    ],
)
async def test_the_channel_must_be_one_the_bridge_speaks_for(metadata, message):
    body = {"sender": "tg-42", "message": "Bonjour", "metadata": metadata}
    status, reply, received = await call(BridgeInput(SECRET), body, {SECRET_HEADER: SECRET})
    assert status == 400 and reply["error"] == "channel_not_bridged"
    # The Telegram user's language (language_code) chooses the text; it names the channels.
    assert reply["message"] == message
    assert received == []


async def test_only_telegram_conversations_go_through_the_bridge():
    body = {**GOOD_BODY, "sender": "web-42"}
    status, reply, received = await call(BridgeInput(SECRET), body, {SECRET_HEADER: SECRET})
    assert status == 400 and reply["error"] == "sender_not_bridged"
    assert "tg-" in reply["message"] and received == []


async def test_malformed_bodies_still_get_a_400_with_the_secret():
    status, reply, _ = await call(BridgeInput(SECRET), b"[]", {SECRET_HEADER: SECRET})
    assert status == 400 and reply["error"] == "not_an_object"
