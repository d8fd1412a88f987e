"""Privacy on Telegram: the notice opens the conversation, /oubli and /forget erase it."""

from __future__ import annotations

import pytest

from privacy import notice
from tests.e2e.test_privacy_chat import events_of, traces_on_disk
from tests.telegram.conftest import languages, names, new_chat, plain
from tests.telegram.test_conversation import button

pytestmark = pytest.mark.e2e
NAME = "Ifeoluwa Brassard-Nakamura"


def test_the_notice_opens_the_conversation_in_the_telegram_language(bridge):
    chat = new_chat()
    sent = bridge.turn(chat, "/start", "en", keep_notice=True)
    assert names(sent) == [notice.SHORT_NOTICE_RESPONSE, "utter_greet"]
    assert languages(sent) == {"en"}
    assert "/privacy" in plain(sent[0]["text"])
    assert names(bridge.turn(chat, "/help", "en", keep_notice=True)) == ["utter_help"]


@pytest.mark.parametrize(
    ("code", "command", "yes", "done", "intro"),
    [
        ("fr", "/oubli", "Oui, tout effacer", "utter_erasure_done", "Ici {}, je veux une coop"),
        ("en", "/forget", "Yes, erase everything", "utter_erasure_done", "{} here, I want a co-op"),
    ],
)
def test_erasure_command_asks_then_erases_the_conversation(bridge, code, command, yes, done, intro):
    chat = new_chat()
    bridge.turn(chat, "/start", code)
    bridge.turn(chat, intro.format(NAME), code)
    assert events_of(bridge.servers, f"tg-{chat}") > 0

    (question,) = bridge.turn(chat, command, code)
    assert names([question]) == ["utter_ask_erasure_confirmation"]
    assert languages([question]) == {code}
    sent = bridge.tap_turn(chat, button(question, yes), code)
    assert names(sent) == [done] and languages(sent) == {code}
    assert events_of(bridge.servers, f"tg-{chat}") == 0
    assert traces_on_disk(bridge.servers, (NAME,)) == {}


def test_no_keeps_everything(bridge):
    chat = new_chat()
    bridge.turn(chat, "/start", "fr")
    (question,) = bridge.turn(chat, "/oubli", "fr")
    sent = bridge.tap_turn(chat, button(question, "Non, garder"), "fr")
    assert names(sent) == ["utter_erasure_cancelled"]
    assert events_of(bridge.servers, f"tg-{chat}") > 0
