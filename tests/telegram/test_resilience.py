"""Long replies, secrets, and Telegram unreachable for a while: nothing lost, nothing doubled."""

from __future__ import annotations

import pytest
import requests

from bot.telegram.rendering import telegram_length, to_html
from tests.domain_texts import responses
from tests.support.processes import free_port
from tests.telegram.conftest import RASA_PORT, answers, names, new_chat, wait_until
from tests.telegram.fake_telegram import message_update

pytestmark = pytest.mark.e2e
QUESTION = "Qu'est-ce qu'une coopérative ?"
# Polling and webhook modes differ in how an update arrives and is confirmed to Telegram (a later
# getUpdates offset, or the answer to Telegram's POST): the Telegram-outage cases, which are about
# exactly that, run in both. What follows once an update is in (splitting a long reply, Rasa
# unreachable) is the same code in both modes: those run in long polling, the default. The secrets
# test runs in webhook mode, the only one with a Telegram secret; Rasa's secret is mode-free.
ONE_MODE = pytest.mark.parametrize("bridge_factory", ["polling"], indirect=True)
WEBHOOK_REFUSED = "webhook call refused"  # bot/telegram/webhook.py, on a wrong secret


@ONE_MODE
def test_a_long_reply_is_split_between_lines_under_the_limit(bridge_factory):
    bridge = bridge_factory(TELEGRAM_MAX_MESSAGE_CHARS="200")
    chat = new_chat()
    bridge.turn(chat, "/start", "fr")  # the privacy notice, split too, opens the conversation
    sent = bridge.turn(chat, "/aide", "fr")
    full = next(v["text"] for v in responses()["utter_help"] if "Voici" in v["text"])
    assert len(sent) >= 3
    assert all(telegram_length(m["text"]) <= 200 for m in sent)
    assert "\n".join(m["text"] for m in sent) == to_html(full)  # cut only at line breaks
    assert [bool(m.get("reply_markup")) for m in sent] == [False] * (len(sent) - 1) + [True]


@pytest.mark.parametrize("bridge", ["webhook"], indirect=True)
def test_wrong_secrets_are_refused(bridge):
    # Rasa's bridge channel, whatever the mode.
    url = f"http://127.0.0.1:{RASA_PORT}/webhooks/bridge/webhook"
    body = {"sender": "tg-1", "message": "Bonjour", "metadata": {"channel": "telegram"}}
    for headers in ({}, {"X-Coopilote-Bridge-Secret": "wrong"}):
        assert requests.post(url, json=body, headers=headers, timeout=10).status_code == 401
    # Telegram's secret on the bridge's webhook.
    chat = new_chat()
    update = message_update(bridge.fake, chat, "fr", text="Bonjour")
    refused_before = bridge.log_text().count(WEBHOOK_REFUSED)
    assert bridge.fake.post_once(update, "wrong") == 403
    assert bridge.fake.post_once(update, None) == 403
    # The bridge logs a refusal before it answers 403, without handing the update on: once both
    # lines are in its log, nothing more comes of these two calls.
    wait_until(
        lambda: bridge.log_text().count(WEBHOOK_REFUSED) >= refused_before + 2,
        30,
        "the two refusals in the bridge log",
    )
    assert bridge.fake.sent_to(chat) == []
    assert bridge.tracker_user_texts(chat) == []
    # The same update with Telegram's secret is then handled, once.
    assert names(bridge.turn_update(chat, update)) == ["utter_greet"]
    assert bridge.tracker_user_texts(chat) == ["Bonjour"]


def confirmed(bridge, update) -> bool:
    """Polling: has the bridge moved its offset past the update? Webhook: did it answer 200?"""
    return bridge.handled(update)


def not_confirmed_again(bridge, update) -> int:
    """How often the bridge has been through ``update`` and left it unconfirmed, as Telegram sees
    it. Polling: a getUpdates at the update's own offset (the bridge asks for it again), or one
    that failed because Telegram is down (the bridge only asks once it is through the batch).
    Webhook: a 500 answer to Telegram's POST of it."""
    update_id = update["update_id"]
    if bridge.mode == "polling":
        asked = sum(1 for offset in list(bridge.fake.poll_offsets) if offset == update_id)
        return asked + bridge.log_text().count("getUpdates failed")
    return sum(
        1
        for post in list(bridge.fake.webhook_posts)
        if post.update_id == update_id and post.status == 500
    )


@pytest.mark.parametrize("outage", ["502", "502 then connection refused"])
def test_telegram_unreachable_for_a_while_loses_nothing(bridge_factory, outage):
    bridge = bridge_factory(TELEGRAM_DELIVERY_RETRY_SECONDS="2")
    fake = bridge.fake
    chat = new_chat()
    fake.failing(True, {"sendMessage"})
    update = bridge.text(chat, QUESTION, "fr")
    wait_until(lambda: bridge.tracker_user_texts(chat), 60, "the message in Rasa")
    # Sending fails longer than the bridge retries it: the update must stay unconfirmed.
    wait_until(lambda: len(fake.calls_of("sendMessage", ok_only=False)) >= 4, 60, "failed attempts")
    if outage.endswith("refused"):
        fake.go_down()
    # Wait for the proof that the bridge, since now, has been through the update and left it
    # unconfirmed (a fixed pause would prove nothing), then check that it did not confirm it.
    before = not_confirmed_again(bridge, update)
    wait_until(
        lambda: not_confirmed_again(bridge, update) > before,
        60,
        f"the bridge to leave update {update['update_id']} unconfirmed once more",
    )
    assert not confirmed(bridge, update)
    if outage.endswith("refused"):
        fake.come_back()
    fake.failing(False)
    bridge.wait_handled(update)
    assert names(answers(fake.sent_to(chat))) == ["utter_kb_answer"]  # delivered once
    assert bridge.tracker_user_texts(chat) == [QUESTION]  # and Rasa asked once
    # The conversation goes on normally.
    assert names(bridge.turn(chat, "Merci!", "fr")) == ["utter_you_are_welcome"]


def test_updates_waiting_while_telegram_was_down_are_handled(bridge_factory):
    bridge = bridge_factory()
    fake = bridge.fake
    chat = new_chat()
    fake.go_down()
    # Polling: getUpdates is refused. Webhook: Telegram still delivers, the reply cannot be sent.
    met = "getUpdates failed" if bridge.mode == "polling" else "unreachable for sendMessage"
    update = bridge.text(chat, "Bonjour", "fr")
    # Telegram stays down until the bridge has run into it, then comes back.
    wait_until(lambda: met in bridge.log_text(), 60, f"{met!r} in the bridge log")
    fake.come_back()
    bridge.wait_handled(update)
    assert names(answers(fake.sent_to(chat))) == ["utter_greet"]
    assert bridge.tracker_user_texts(chat) == ["Bonjour"]


@ONE_MODE
def test_rasa_unreachable_gets_a_polite_message(bridge_factory):
    bridge = bridge_factory(
        RASA_BRIDGE_URL=f"http://127.0.0.1:{free_port()}/webhooks/bridge/webhook"
    )
    chat = new_chat()
    (sent,) = bridge.turn(chat, "Bonjour", "fr")
    assert "n'arrive pas à joindre l'assistant" in sent["text"]
    (sent,) = bridge.turn(chat, "Hello", "en")
    assert "can't reach the assistant" in sent["text"]
