"""The partner profile's inactivity reminder pushed on Telegram (bot/telegram/match_reminders.py),
against the fake Bot API; web profiles are left for the next visit."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

import matchmaking
from appdb import session_scope, utcnow
from bot.telegram import match_reminders
from matchmaking.models import MatchProfile
from privacy.retention import match_profile_reminders
from tests.matchmaking.conftest import make_profile
from tests.telegram.fake_telegram import FakeTelegram


def age(reference: str, days: int) -> None:
    with session_scope() as session:
        row = session.execute(
            select(MatchProfile).where(MatchProfile.reference == reference)
        ).scalar_one()
        row.last_activity_at = utcnow() - timedelta(days=days)


def test_due_telegram_profiles_are_reminded_once(database):
    on_telegram = make_profile("tg-4242")
    on_web = make_profile("web-abc")
    recent = make_profile("tg-77")
    age(on_telegram.reference, 170)
    age(on_web.reference, 170)
    age(recent.reference, 10)
    fake = FakeTelegram().start()
    try:
        sent = asyncio.run(match_reminders.send_once(fake.token, fake.base_url))
        assert sent == [on_telegram.reference]
        [message] = fake.sent_to(4242)
        assert on_telegram.reference in message["text"] and "{" not in message["text"]
        assert "profil" in message["text"]  # the profile's language (fr)
        callbacks = [row[0]["callback_data"] for row in message["reply_markup"]["inline_keyboard"]]
        assert callbacks == ["/resume_match_profile", "/delete_match_profile"]
        assert fake.sent_to(77) == []
        # Marked: not again; the web profile still waits for its next visit.
        assert [r.reference for r in match_profile_reminders()] == [on_web.reference]
        assert asyncio.run(match_reminders.send_once(fake.token, fake.base_url)) == []
    finally:
        fake.stop()
    assert matchmaking.get_profile(on_telegram.reference).status == "active"


def test_chat_ids():
    assert match_reminders.chat_id_of("tg-123") == 123
    assert match_reminders.chat_id_of("tg--100200") == -100200
    assert match_reminders.chat_id_of("web-123") is None
