"""The socket.io channel with a real python-socketio client.

Catches the lost-reply regression: with python-socketio ≥ 5.10 and stock Rasa 3.6 the bot's
answer goes to a room the client never joined, and this test times out.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
import socketio

from tests.domain_texts import classify, is_notice

pytestmark = pytest.mark.e2e
REPLY_TIMEOUT_S = 30


async def converse(servers, messages, origin=None, session_id=None, metadata=None, notices=None):
    """Sends each message and collects the first reply to each; the privacy notice that opens a
    conversation goes to ``notices`` (a list) instead."""
    client = socketio.AsyncClient(reconnection=False)
    replies: asyncio.Queue = asyncio.Queue()
    confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
    client.on("bot_uttered", lambda data: replies.put_nowait(data))
    client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
    await client.connect(
        servers.base_url,
        headers={"Origin": origin or servers.origin},
        transports=["websocket"],
        socketio_path="/socket.io",
    )
    try:
        await client.emit("session_request", {"session_id": session_id or uuid.uuid4().hex})
        sid = await asyncio.wait_for(confirmed, REPLY_TIMEOUT_S)
        answers = []
        for message in messages:
            payload = {"message": message, "session_id": sid}
            if metadata:
                payload["metadata"] = metadata
            await client.emit("user_uttered", payload)
            reply = await asyncio.wait_for(replies.get(), REPLY_TIMEOUT_S)
            if is_notice(reply.get("text") or ""):
                if notices is not None:
                    notices.append(reply)
                reply = await asyncio.wait_for(replies.get(), REPLY_TIMEOUT_S)
            answers.append(reply)
        return sid, answers
    finally:
        await client.disconnect()


async def test_replies_arrive_in_the_users_language(servers):
    _, answers = await converse(servers, ["Bonjour", "in English please"])
    assert classify(answers[0]["text"]) == ("utter_greet", "fr")
    assert answers[0]["quick_replies"] or answers[0].get("buttons")
    assert classify(answers[1]["text"]) == ("utter_language_switched", "en")


async def test_the_conversation_survives_a_reconnection(servers):
    sid, _ = await converse(servers, ["Hello"])
    again, answers = await converse(servers, ["/help"], session_id=sid)
    assert again == sid
    assert classify(answers[0]["text"]) == ("utter_help", "en")


async def test_a_guessable_session_id_is_replaced(servers):
    sid, _ = await converse(servers, ["Bonjour"], session_id="default")
    assert sid != "default" and len(sid) >= 16


async def test_metadata_language_is_used(servers):
    _, answers = await converse(servers, ["👋"], metadata={"language": "en-GB"})
    assert classify(answers[0]["text"])[1] == "en"


async def test_an_origin_not_allowed_is_refused(servers):
    client = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(
            servers.base_url, headers={"Origin": "http://evil.example"}, transports=["websocket"]
        )
    await client.disconnect()


async def test_malformed_events_get_an_error_not_a_crash(servers):
    client = socketio.AsyncClient(reconnection=False)
    errors: asyncio.Queue = asyncio.Queue()
    client.on("error_message", lambda data: errors.put_nowait(data))
    await client.connect(
        servers.base_url, headers={"Origin": servers.origin}, transports=["websocket"]
    )
    try:
        await client.emit("user_uttered", {"message": "Bonjour"})  # no session_request first
        assert (await asyncio.wait_for(errors.get(), 10))["error"] == "session_required"
        await client.emit("session_request", {"session_id": uuid.uuid4().hex})
        await client.emit("user_uttered", "not an object")
        assert (await asyncio.wait_for(errors.get(), 10))["error"] == "event_not_an_object"
        await client.emit("user_uttered", {"message": ""})
        assert (await asyncio.wait_for(errors.get(), 10))["error"] == "message_empty"
    finally:
        await client.disconnect()
