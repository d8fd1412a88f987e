"""Bad input gets a clear reply or a 4xx, never a 5xx."""

from __future__ import annotations

import json

import pytest
import requests

from bot.channels.texts import catalogue
from tests.e2e.conftest import new_sender, replies_language, response_names
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e


def post_raw(servers, data: bytes):
    return requests.post(
        f"{servers.base_url}/webhooks/rest/webhook",
        data=data,
        headers={"Content-Type": "application/json"},
        timeout=60,
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", "not_json"),
        (b"", "not_json"),
        (b"[]", "not_an_object"),
        (b'["Bonjour"]', "not_an_object"),
        (b'"Bonjour"', "not_an_object"),
        (json.dumps({"message": "Bonjour"}).encode(), "sender_missing"),
        (json.dumps({"sender": "", "message": "Bonjour"}).encode(), "sender_missing"),
        (json.dumps({"sender": "abc", "message": ""}).encode(), "message_empty"),
        (json.dumps({"sender": "abc", "message": "   "}).encode(), "message_empty"),
        (json.dumps({"sender": "abc"}).encode(), "message_missing"),
        (json.dumps({"sender": "abc", "message": ["hi"]}).encode(), "message_missing"),
        (
            json.dumps({"sender": "abc", "message": "hi", "metadata": "x"}).encode(),
            "metadata_not_an_object",
        ),
        (b"\xff\xfe\x00", "not_json"),
        # Nested past the parser's recursion limit, within the 64 KB body limit.
        (b'{"sender": "abc", "message": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", "not_json"),
        (b'{"sender": "abc", "message": "\\ud800 bonjour"}', "message_not_text"),
    ],
)
def test_malformed_requests_get_a_400_with_a_reason(servers, body, code):
    reply = post_raw(servers, body)
    assert reply.status_code == 400
    assert reply.json() == {"error": code, "message": catalogue()[code]["fr"]}


def test_a_huge_body_is_refused_before_parsing(servers):
    reply = post_raw(servers, json.dumps({"sender": "a", "message": "x" * 100_000}).encode())
    assert reply.status_code == 413


def test_a_10000_character_message_gets_asked_to_shorten(servers):
    sender = new_sender()
    servers.send("Bonjour", sender)
    replies = servers.send("coopérative " * 900, sender)
    assert response_names(replies) == ["utter_message_too_long"]
    assert replies_language(replies) == {"fr"}


def test_emoji_only_gets_a_reply(servers):
    replies = servers.send("😀🎉👍")
    assert replies and None not in response_names(replies)


def test_an_unknown_sender_starts_a_new_conversation(servers):
    replies = servers.send("Hello", sender=new_sender())
    assert response_names(replies) == ["utter_greet"]


@pytest.mark.parametrize(
    "message",
    ["¿Cómo puedo crear una cooperativa en Montreal?", "كيف يمكنني إنشاء تعاونية في مونتريال؟"],
)
def test_spanish_and_arabic_get_the_languages_spoken(servers, message):
    assert response_names(servers.send(message)) == ["utter_unsupported_language"]


def test_nothing_was_answered_with_a_server_error(servers):
    assert "Traceback" not in servers.settled_logs()


MALFORMED_PACKETS = ["42[", "42{}", "42[1]", '42["user_uttered"', "49"]


def test_malformed_socketio_packets_are_dropped_without_a_traceback(servers):
    """Engine.IO long polling by hand, so that the packets are exactly as written."""
    base = f"{servers.base_url}/socket.io/?EIO=4&transport=polling"
    headers = {"Origin": servers.origin, "Content-Type": "text/plain;charset=UTF-8"}
    opened = requests.get(base, headers=headers, timeout=30)
    assert opened.status_code == 200 and opened.text.startswith("0")
    url = f"{base}&sid={json.loads(opened.text[1:])['sid']}"
    dropped_before = servers.all_logs().count("malformed packet dropped")
    assert requests.post(url, data="40", headers=headers, timeout=30).status_code == 200
    assert requests.get(url, headers=headers, timeout=30).text.startswith("40")  # connected
    for packet in MALFORMED_PACKETS:
        assert requests.post(url, data=packet, headers=headers, timeout=30).status_code == 200

    def logs_once_all_dropped() -> str | None:
        logs = servers.all_logs()
        dropped = logs.count("malformed packet dropped") - dropped_before
        return logs if dropped >= len(MALFORMED_PACKETS) else None

    # The channel logs one line per packet dropped: wait for them, then look for tracebacks.
    logs = wait_until(logs_once_all_dropped, 30, "a 'malformed packet dropped' line per packet")
    assert "Traceback" not in logs
    assert "handler error" not in logs
