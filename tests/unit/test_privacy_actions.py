"""The privacy notice in the chat and the erasure action (no network, no database)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.actions import privacy_requests
from bot.actions.privacy_requests import ActionEraseMyData, privacy_notice
from bot.actions.validate_slot_mappings import ValidateSlotMappings
from bot.channels.erasure import ERASURE_MARKER, is_marker
from privacy import notice
from tests.conftest import make_tracker

ROOT = Path(__file__).resolve().parents[2]
DOMAIN: dict[str, dict] = {"responses": {}}
for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
    DOMAIN["responses"].update(
        yaml.safe_load(path.read_text(encoding="utf-8")).get("responses", {})
    )


def _confirmation_asked(sender: str = "test-sender", answer: str = "/affirm") -> object:
    tracker = make_tracker(text=answer, intent="affirm")
    tracker.sender_id = sender
    tracker.events = [
        {"event": "user", "text": "supprimer mes données"},
        {
            "event": "bot",
            "text": "…",
            "metadata": {"utter_action": "utter_ask_erasure_confirmation"},
        },
        {"event": "user", "text": answer},
    ]
    return tracker


@pytest.mark.parametrize(
    ("lang", "words", "page"),
    [("fr", "Avant de commencer", "/confidentialite"), ("en", "Before we start", "/privacy")],
)
def test_notice_is_sent_once_in_the_language_with_its_version(
    dispatcher, monkeypatch, lang, words, page
):
    monkeypatch.setenv("COOPILOTE_WEB_URL", "https://coopilote.example/")
    monkeypatch.setenv("PRIVACY_RETENTION_CONVERSATION_DAYS", "45")
    result = privacy_notice(dispatcher, make_tracker(), DOMAIN, lang)
    assert result == {"privacy_notice_version": notice.version()}
    [message] = dispatcher.messages
    assert message["text"].startswith(words)
    assert f"https://coopilote.example{page}" in message["text"]
    assert "45" in message["text"] and "{" not in message["text"]

    dispatcher.messages.clear()
    shown = make_tracker(slots={"privacy_notice_version": notice.version()})
    assert privacy_notice(dispatcher, shown, DOMAIN, lang) == {}
    assert dispatcher.messages == []


async def test_notice_follows_the_language_decided_from_the_words(dispatcher):
    tracker = make_tracker(
        text="Hello, how do I start a co-op?",
        detection={"language": "en", "confidence": 0.99, "words": 7},
    )
    result = await ValidateSlotMappings().extract_language(dispatcher, tracker, DOMAIN)
    assert result["language"] == "en"
    assert result["privacy_notice_version"] == notice.version()
    assert dispatcher.messages[0]["text"].startswith("Before we start")


def test_a_malformed_retention_setting_still_gives_a_notice(dispatcher, monkeypatch):
    monkeypatch.setenv("PRIVACY_RETENTION_CONVERSATION_DAYS", "trente")
    privacy_notice(dispatcher, make_tracker(), DOMAIN, "fr")
    assert " 30 jours" in dispatcher.messages[0]["text"]


async def test_a_yes_without_the_question_erases_nothing(dispatcher, monkeypatch):
    monkeypatch.setattr(privacy_requests, "_erase", pytest.fail)
    tracker = make_tracker(text="oui", intent="affirm")
    tracker.events = [{"event": "user", "text": "oui"}]
    assert await ActionEraseMyData().run(dispatcher, tracker, DOMAIN) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_erasure_confirmation"]


@pytest.mark.parametrize(
    ("references", "response"),
    [([], "utter_erasure_done"), (["CP-ABCD-EFGH"], "utter_erasure_done_with_dossiers")],
)
async def test_confirmed_erasure_tells_what_was_done(dispatcher, monkeypatch, references, response):
    erased: list[str] = []
    monkeypatch.setattr(privacy_requests, "_erase", lambda s: erased.append(s) or references)
    await ActionEraseMyData().run(dispatcher, _confirmation_asked("web-123456"), DOMAIN)
    assert erased == ["web-123456"]
    told, marker = dispatcher.messages
    assert told["response"] == response
    if references:
        assert told["references"] == "CP-ABCD-EFGH"
    assert marker["custom"] == {ERASURE_MARKER: True} and is_marker(marker)


async def test_a_failed_erasure_is_said_and_not_marked(dispatcher, monkeypatch, caplog):
    def unreachable(_sender: str) -> list[str]:
        raise ConnectionError("postgresql://user:secret@db/tracker")

    monkeypatch.setattr(privacy_requests, "_erase", unreachable)
    await ActionEraseMyData().run(dispatcher, _confirmation_asked(), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_erasure_failed"]
    assert "secret" not in caplog.text and "ConnectionError" in caplog.text


@pytest.mark.parametrize(
    ("message", "marked"),
    [
        ({"recipient_id": "x", "custom": {ERASURE_MARKER: True}}, True),
        ({ERASURE_MARKER: True}, True),
        ({"recipient_id": "x", "text": ERASURE_MARKER}, False),
        ({"recipient_id": "x", "custom": {ERASURE_MARKER: "yes"}}, False),
        ("text", False),
    ],
)
def test_marker_recognised_only_in_its_exact_form(message, marked):
    assert is_marker(message) is marked
