"""The conversation basics through the REST channel, with the real Rasa and action servers."""

from __future__ import annotations

import pytest
import requests

from tests.e2e.conftest import new_sender, replies_language, response_names

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("message", "language"),
    [("Bonjour", "fr"), ("Hello", "en"), ("Allo!", "fr"), ("Hi there", "en")],
)
def test_greeting_in_the_users_language_with_buttons(servers, message, language):
    replies = servers.send(message)
    assert response_names(replies) == ["utter_greet"]
    assert replies_language(replies) == {language}
    assert len(replies[0]["buttons"]) == 4  # with "find partners" (issue 18)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Que pouvez-vous faire pour moi?", "utter_help"),
        ("what can you do for me?", "utter_help"),
        ("Merci beaucoup!", "utter_you_are_welcome"),
        ("thanks a lot", "utter_you_are_welcome"),
        ("Au revoir, bonne journée", "utter_goodbye"),
        ("goodbye, see you later", "utter_goodbye"),
        ("Est-ce que je parle à un robot?", "utter_bot_challenge"),
        ("am I talking to a bot?", "utter_bot_challenge"),
        ("Quelle température fera-t-il demain?", "utter_out_of_scope"),
        ("can you tell me a joke about cats", "utter_out_of_scope"),
    ],
)
def test_basics(servers, message, expected):
    replies = servers.send(message)
    assert response_names(replies) == [expected]


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("Que pouvez-vous faire pour moi?", "fr"),
        ("what can you do for me?", "en"),
        ("Est-ce que je parle à un robot?", "fr"),
        ("am I talking to a bot?", "en"),
    ],
)
def test_reply_language_follows_the_words(servers, message, language):
    assert replies_language(servers.send(message)) == {language}


def test_switch_language_at_any_time(servers):
    sender = new_sender()
    assert replies_language(servers.send("Bonjour", sender)) == {"fr"}
    replies = servers.send("in English please", sender)
    assert response_names(replies) == ["utter_language_switched"]
    assert replies_language(replies) == {"en"}
    # a short French word afterwards does not switch back
    assert replies_language(servers.send("merci", sender)) == {"en"}
    replies = servers.send("en français svp", sender)
    assert replies_language(replies) == {"fr"}
    assert replies_language(servers.send("/help", sender)) == {"fr"}


def test_language_button_payload(servers):
    sender = new_sender()
    servers.send("Bonjour", sender)
    replies = servers.send('/switch_language{"language": "en"}', sender)
    assert response_names(replies) == ["utter_language_switched"]
    assert replies_language(replies) == {"en"}


def test_channel_metadata_sets_the_language_when_words_do_not(servers):
    replies = servers.send("👋", metadata={"language": "en-CA"})
    assert replies_language(replies) == {"en"}
    replies = servers.send("👋", metadata={"language": "fr-CA"})
    assert replies_language(replies) == {"fr"}


def test_words_win_over_channel_metadata(servers):
    replies = servers.send("Bonjour", metadata={"language": "en-US"})
    assert replies_language(replies) == {"fr"}


def test_restart_starts_over_in_the_same_language(servers):
    sender = new_sender()
    servers.send("Hello", sender)
    replies = servers.send("start over please", sender)
    assert response_names(replies) == ["utter_restart_done"]
    assert replies_language(replies) == {"en"}
    tracker = requests.get(
        f"{servers.base_url}/conversations/{sender}/tracker",
        params={"token": servers.token, "include_events": "ALL"},
        timeout=10,
    ).json()
    assert any(e["event"] == "restart" for e in tracker["events"])
    assert tracker["slots"]["language"] == "en"
    assert replies_language(servers.send("/help", sender)) == {"en"}


def test_low_confidence_asks_to_rephrase_with_choices(servers):
    sender = new_sender()
    servers.send("Bonjour", sender)
    replies = servers.send("qwzx plorf vrazt", sender)
    assert response_names(replies) == ["utter_default"]
    assert replies[0]["buttons"]


def test_a_first_message_not_understood_gets_the_welcome_and_the_choices(servers):
    replies = servers.send("qwzx plorf vrazt")
    assert response_names(replies) == ["utter_greet"]
    assert replies[0]["buttons"]


@pytest.mark.parametrize(
    "message",
    [
        "Hola, quiero crear una cooperativa con mis amigos",
        "مرحبا، أريد إنشاء تعاونية مع أصدقائي",
    ],
)
def test_unsupported_language_gets_a_bilingual_reply(servers, message):
    replies = servers.send(message)
    assert response_names(replies) == ["utter_unsupported_language"]
    text = replies[0]["text"]
    assert "français" in text and "English" in text


def test_http_api_needs_the_token(servers):
    sender = new_sender()
    servers.send("Bonjour", sender)
    url = f"{servers.base_url}/conversations/{sender}/tracker"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, params={"token": "wrong"}, timeout=10).status_code == 401
    reply = requests.get(url, params={"token": servers.token}, timeout=10)
    assert reply.status_code == 200
    assert reply.json()["slots"]["language"] == "fr"


def test_tracker_keeps_only_allowed_metadata(servers):
    sender = new_sender()
    servers.send("Bonjour", sender, metadata={"language": "fr", "ip": "203.0.113.9", "user": "x"})
    tracker = requests.get(
        f"{servers.base_url}/conversations/{sender}/tracker",
        params={"token": servers.token},
        timeout=10,
    ).json()
    user_events = [e for e in tracker["events"] if e["event"] == "user"]
    # Rasa itself adds the model's ids; nothing else the client sent is kept.
    kept = {
        k: v for k, v in user_events[0]["metadata"].items() if k not in ("model_id", "assistant_id")
    }
    assert kept == {"language": "fr"}
