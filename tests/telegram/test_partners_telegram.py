"""Finding partners on Telegram (issue 18): a profile made with the buttons, changed from "Mon
profil" (buttons and typed answers; "Passer" keeps an answer), then deleted."""

from __future__ import annotations

import pytest

import appdb
import matchmaking
from tests.telegram.conftest import languages, names, new_chat
from tests.telegram.test_conversation import button

pytestmark = pytest.mark.e2e
# A whole profile is a dozen taps, faster than a person taps: the rate limit is tested elsewhere.
BRIDGE_ENV = {"TELEGRAM_RATE_BURST": "50"}


@pytest.fixture
def app_database(bridge, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", bridge.servers.database_url)
    appdb.reset_engine()
    yield
    appdb.reset_engine()


def test_profile_made_with_buttons_changed_then_deleted(bridge, app_database):
    chat = new_chat()
    (greeting,) = bridge.turn(chat, "/start", "fr")
    sent = bridge.tap_turn(chat, button(greeting, "associés"), "fr")
    assert names(sent) == ["utter_match_intro", "utter_ask_match_adult"]
    (consent,) = bridge.tap_turn(chat, button(sent[-1], "Oui"), "fr")
    assert names([consent]) == ["utter_ask_match_consent"]
    (question,) = bridge.tap_turn(chat, button(consent, "Oui"), "fr")
    assert names([question]) == ["utter_ask_match_intent"]
    (question,) = bridge.tap_turn(chat, button(question, "Rejoindre"), "fr")
    for _ in range(9):  # every other question skipped with its button
        sent = bridge.tap_turn(chat, button(question, "Passer"), "fr")
        question = sent[-1]
    assert names([question]) == ["utter_match_profile_saved"]
    assert languages([question]) == {"fr"}
    [profile] = matchmaking.profiles_of(f"tg-{chat}")
    assert (profile.channel, profile.intent, profile.sector) == ("telegram", "join_project", None)

    # A change from "Mon profil": the intent by its button, a sentence and a sector typed, every
    # other answer kept with "Passer".
    shown = bridge.tap_turn(chat, button(question, "Mon profil"), "fr")
    assert names(shown)[0] == "utter_match_profile_shown" and profile.reference in shown[0]["text"]
    sent = bridge.tap_turn(chat, button(shown[-1], "Modifier"), "fr")
    assert names(sent) == ["utter_match_editing", "utter_ask_match_intent"]
    (question,) = bridge.tap_turn(chat, button(sent[-1], "Mon propre projet"), "fr")
    assert names([question]) == ["utter_ask_match_project_text"]
    (question,) = bridge.turn(chat, "Un traiteur coopératif pour les mariages à Québec", "fr")
    assert names([question]) == ["utter_ask_match_sector"]
    (question,) = bridge.turn(chat, "alimentation", "fr")
    assert names([question]) == ["utter_ask_match_region"]
    for _ in range(7):  # region to contact method, each kept
        sent = bridge.tap_turn(chat, button(question, "Passer"), "fr")
        question = sent[-1]
    assert names([question]) == ["utter_match_profile_updated"]
    assert profile.reference in question["text"] and languages([question]) == {"fr"}
    [changed] = matchmaking.profiles_of(f"tg-{chat}")
    assert changed.reference == profile.reference
    assert (changed.intent, changed.sector) == ("own_project", "food")
    assert changed.project_text == "Un traiteur coopératif pour les mariages à Québec"
    assert changed.text_reviewed_by is None  # a new sentence waits for an advisor's review
    assert (changed.region_code, changed.languages, changed.contact_value) == (None, (), None)
    shown = bridge.tap_turn(chat, button(question, "Mon profil"), "fr")
    assert "alimentation" in shown[0]["text"] and "mariages" in shown[0]["text"]

    (question,) = bridge.turn(chat, "supprimer mon profil", "fr")
    assert names([question]) == ["utter_ask_match_delete_confirmation"]
    sent = bridge.tap_turn(chat, button(question, "Oui, supprimer"), "fr")
    assert names(sent) == ["utter_match_profile_deleted"]
    assert matchmaking.profiles_of(f"tg-{chat}") == []
