"""The transcript snapshot keeps what people read and wrote, in order, with UTC times."""

from __future__ import annotations

from typing import Any

from handoff.transcript import MAX_MESSAGE_CHARS, snapshot

T0 = 1_795_000_000.0  # 2026-11-18T11:06:40Z


def test_user_and_bot_messages_in_order_with_iso_times() -> None:
    events = [
        {"event": "action", "name": "action_listen", "timestamp": T0},
        {"event": "user", "text": "Bonjour", "timestamp": T0 + 1},
        {"event": "slot", "name": "language", "value": "fr", "timestamp": T0 + 1},
        {"event": "bot", "text": "Bonjour! Comment puis-je aider?", "timestamp": T0 + 2},
        {"event": "user", "text": "  je veux parler à un conseiller  ", "timestamp": T0 + 3.5},
    ]
    assert snapshot(events) == [
        {"who": "user", "text": "Bonjour", "at": "2026-11-18T11:06:41+00:00"},
        {
            "who": "bot",
            "text": "Bonjour! Comment puis-je aider?",
            "at": "2026-11-18T11:06:42+00:00",
        },
        {
            "who": "user",
            "text": "je veux parler à un conseiller",
            "at": "2026-11-18T11:06:43.500000+00:00",
        },
    ]


def test_button_payloads_and_empty_texts_are_skipped() -> None:
    events: list[dict[str, Any]] = [
        {"event": "user", "text": '/affirm{"consent": "yes"}', "timestamp": T0},
        {"event": "user", "text": "", "timestamp": T0},
        {"event": "user", "text": "   ", "timestamp": T0},
        {"event": "user", "text": None, "timestamp": T0},
        {"event": "bot", "text": None, "data": {"buttons": []}, "timestamp": T0},
        {"event": "bot", "text": "Merci.", "timestamp": T0},
    ]
    assert [m["text"] for m in snapshot(events)] == ["Merci."]


def test_a_bot_text_starting_with_a_slash_is_kept() -> None:
    # Only user payloads are button clicks; a bot sentence may start with "/" legitimately.
    assert snapshot([{"event": "bot", "text": "/ voir ci-dessous", "timestamp": T0}])[0]["who"] == (
        "bot"
    )


def test_missing_timestamp_and_long_text() -> None:
    [message] = snapshot([{"event": "user", "text": "x" * (MAX_MESSAGE_CHARS + 10)}])
    assert message["at"] is None
    assert len(message["text"]) == MAX_MESSAGE_CHARS


def test_empty() -> None:
    assert snapshot([]) == []
