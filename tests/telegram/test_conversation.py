"""Conversations through the bridge, in both modes, against the real Rasa and action servers."""

from __future__ import annotations

import pytest

from tests.telegram.conftest import answers, languages, names, new_chat, plain, wait_until
from tests.telegram.fake_telegram import message_update

pytestmark = pytest.mark.e2e


def buttons(message: dict) -> list[dict]:
    markup = message.get("reply_markup") or {}
    return [row[0] for row in markup.get("inline_keyboard", [])]


def button(message: dict, title_part: str) -> str:
    for item in buttons(message):
        if title_part in item["text"]:
            return item["callback_data"]
    raise AssertionError(f"no button with {title_part!r} in {buttons(message)}")


@pytest.mark.parametrize(("code", "language"), [("fr", "fr"), ("fr-CA", "fr"), ("en", "en")])
def test_start_greets_in_the_telegram_language(bridge, code, language):
    sent = bridge.turn(new_chat(), "/start", code)
    assert names(sent) == ["utter_greet"]
    assert languages(sent) == {language}
    assert sent[0]["parse_mode"] == "HTML"
    assert len(buttons(sent[0])) == 4  # with "find partners" (issue 18)
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons(sent[0]))


def test_another_language_is_asked_which_one_with_two_buttons(bridge):
    chat = new_chat()
    (question,) = bridge.turn(chat, "/start", "es")
    assert "Dans quelle langue" in question["text"] and "Which language" in question["text"]
    assert [b["text"] for b in buttons(question)] == ["Français", "English"]
    sent = bridge.tap_turn(chat, button(question, "English"), "es")
    assert names(sent) == ["utter_language_switched"] and languages(sent) == {"en"}


@pytest.mark.parametrize(
    ("code", "question", "switch", "other"),
    [
        ("fr", "C'est quoi une coopérative?", "in English please", "en"),
        ("en", "What is a cooperative?", "en français svp", "fr"),
    ],
)
def test_a_short_conversation(bridge, kb, code, question, switch, other):
    chat = new_chat()
    greeting = bridge.turn(chat, "/start", code)
    assert names(greeting) == ["utter_greet"] and languages(greeting) == {code}

    answer = bridge.turn(chat, question, code)
    assert names(answer)[0] == "utter_kb_answer" and languages(answer) == {code}
    entry = kb.get("what-is-a-cooperative")
    assert entry.text("short", code) in plain(answer[0]["text"])
    assert entry.sources[0].url in plain(answer[0]["text"])  # left for Telegram to link

    # A tap answers like a typed message, and the button's query is answered.
    answered = len(bridge.fake.calls_of("answerCallbackQuery"))
    (tell_me_more,) = buttons(answer[0])
    sent = bridge.tap_turn(chat, tell_me_more["callback_data"], code)
    assert names(sent) == ["utter_kb_more"] and languages(sent) == {code}
    assert len(bridge.fake.calls_of("answerCallbackQuery")) == answered + 1

    switched = bridge.turn(chat, switch, code)
    assert names(switched) == ["utter_language_switched"] and languages(switched) == {other}

    tracker = bridge.tracker(chat)
    assert tracker["latest_input_channel"] == "telegram"
    assert tracker["slots"]["language"] == other
    first = next(e for e in tracker["events"] if e.get("event") == "user")
    assert {k: first["metadata"].get(k) for k in ("channel", "language_code")} == {
        "channel": "telegram",
        "language_code": code,
    }
    assert first["input_channel"] == "telegram"
    assert bridge.fake.calls_of("sendChatAction"), "no typing action while waiting"


@pytest.mark.parametrize(
    ("command", "code", "expected"),
    [
        ("/aide", "fr", "utter_help"),
        ("/help", "en", "utter_help"),
        ("/recommencer", "fr", "utter_restart_done"),
        ("/restart", "en", "utter_restart_done"),
        ("/nimportequoi", "fr", "utter_help"),
    ],
)
def test_commands(bridge, command, code, expected):
    sent = bridge.turn(new_chat(), command, code)
    assert names(sent) == [expected] and languages(sent) == {code}


def test_langue_asks_and_the_choice_is_kept(bridge):
    chat = new_chat()
    bridge.turn(chat, "Bonjour", "en")
    (question,) = bridge.turn(chat, "/langue", "en")
    sent = bridge.tap_turn(chat, button(question, "Français"), "en")
    assert names(sent) == ["utter_language_switched"] and languages(sent) == {"fr"}
    # The bridge's own notices now follow the choice, not Telegram's language.
    sent = bridge.turn_update(chat, voice(bridge, chat, "en"))
    assert "Désolé" in sent[0]["text"]


def voice(bridge, chat, code):
    return message_update(
        bridge.fake, chat, code, voice={"file_id": "v1", "file_unique_id": "u1", "duration": 2}
    )


NOT_TEXT = {
    "voice": {"voice": {"file_id": "v1", "file_unique_id": "u1", "duration": 2}},
    "photo": {"photo": [{"file_id": "p1", "file_unique_id": "u2", "width": 90, "height": 90}]},
    "sticker": {
        "sticker": {
            "file_id": "s1",
            "file_unique_id": "u3",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    },
    "document": {"document": {"file_id": "d1", "file_unique_id": "u4"}},
}


@pytest.mark.parametrize("kind", sorted(NOT_TEXT))
@pytest.mark.parametrize(("code", "words"), [("fr", "texte"), ("en", "text")])
def test_non_text_messages_get_a_polite_text_only_reply(bridge, kind, code, words):
    chat = new_chat()
    (sent,) = bridge.turn_update(chat, message_update(bridge.fake, chat, code, **NOT_TEXT[kind]))
    assert words in sent["text"]
    assert ("Sorry" in sent["text"]) == (code == "en")  # one language, not both
    assert bridge.tracker_user_texts(chat) == []  # nothing reached Rasa


def test_a_duplicated_update_is_handled_once(bridge):
    chat = new_chat()
    update = message_update(bridge.fake, chat, "fr", text="Qu'est-ce qu'une coopérative ?")
    bridge.deliver(update)
    bridge.deliver(update)  # Telegram delivers it again
    bridge.wait_handled(update)
    wait_until(lambda: bridge.tracker_user_texts(chat), 30, "the message in Rasa")
    later = bridge.turn(chat, "Merci!", "fr")  # anything pending would be sent before this
    assert names(later) == ["utter_you_are_welcome"]
    assert bridge.tracker_user_texts(chat) == ["Qu'est-ce qu'une coopérative ?", "Merci!"]
    assert names(answers(bridge.fake.sent_to(chat))).count("utter_kb_answer") == 1


def test_a_flood_is_rate_limited_with_one_polite_message(bridge):
    chat = new_chat()
    flood = [message_update(bridge.fake, chat, "fr", text=f"Bonjour {i}") for i in range(20)]
    for update in flood:
        bridge.deliver(update)
    for update in flood:
        bridge.wait_handled(update)
    sent = bridge.fake.sent_to(chat)
    notices = [m for m in sent if "plus vite" in m["text"]]
    forwarded = bridge.tracker_user_texts(chat)
    assert len(notices) == 1, [m["text"][:40] for m in sent]
    assert 8 <= len(forwarded) < 20  # the burst went through, the rest did not


def test_no_message_text_in_the_bridge_log(bridge):
    chat = new_chat()
    bridge.turn(chat, "Ma voisine Gisèle Tremblay veut fonder une coop", "fr")
    log = bridge.log_text()
    assert "Gisèle" not in log and "Tremblay" not in log
    assert str(chat) not in log
    assert bridge.fake.token not in log
