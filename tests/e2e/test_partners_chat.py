"""Finding partners in the chat, end to end through REST (issue 18): a profile made with consent,
shown, changed, paused and deleted; no consent or a minor stores nothing; an introduction
answered by both sides; the offer after a screening that lacks founders."""

from __future__ import annotations

import pytest

import appdb
import matchmaking
from privacy import notice
from tests.e2e.conftest import new_sender, response_names, texts
from tests.e2e.test_screening import EN_ALONE_CONSUMERS, choose, run_screening


@pytest.fixture
def app_database(servers, monkeypatch):
    """This process reads and writes the servers' app database through matchmaking/."""
    monkeypatch.setenv("DATABASE_URL", servers.database_url)
    appdb.reset_engine()
    yield
    appdb.reset_engine()


def walk(servers, sender, messages):
    """Every reply of each message, in order."""
    return [servers.send(message, sender) for message in messages]


PROFILE_FR = [
    "je cherche des associés",
    "oui",
    choose("yes"),
    choose("own_project"),
    "Une coopérative de traiteurs africains pour les événements",
    "alimentation",
    "Sherbrooke",
    choose("neighbouring"),
    "comme travailleuse",
    "cuisine, gestion",
    "français et wolof",
    choose("skip"),
    choose("email"),
    "awa.exemple@courriel.ca",
]


def test_profile_made_shown_changed_paused_and_deleted(servers, app_database):
    sender = new_sender()
    turns = walk(servers, sender, PROFILE_FR)
    assert response_names(turns[0]) == ["utter_match_intro", "utter_ask_match_adult"]
    assert response_names(turns[1]) == ["utter_ask_match_consent"]
    assert notice.page_url("", "fr") in texts(turns[1])[0]
    assert response_names(turns[2]) == ["utter_ask_match_intent"]
    assert response_names(turns[5]) == ["utter_ask_match_region"]
    assert response_names(turns[11]) == ["utter_ask_match_contact_method"]
    assert response_names(turns[-1]) == ["utter_match_profile_saved"]
    [profile] = matchmaking.profiles_of(sender)
    assert profile.reference in texts(turns[-1])[0]
    assert (profile.sector, profile.region_code, profile.reach, profile.role) == (
        "food",
        "05",
        "neighbouring",
        "worker",
    )
    assert profile.languages == ("fr", "other") and profile.availability is None
    assert profile.skills == ("cuisine", "gestion")
    assert profile.contact_value == "awa.exemple@courriel.ca"
    assert profile.notice_version == notice.version() and profile.language == "fr"

    shown = servers.send("mon profil", sender)
    assert response_names(shown)[0] == "utter_match_profile_shown"
    assert "Sherbrooke" in texts(shown)[0] or "Estrie" in texts(shown)[0]
    assert [b["payload"] for b in shown[-1]["buttons"]] == [
        "/edit_match_profile",
        "/pause_match_profile",
        "/delete_match_profile",
    ]

    # A change: "skip" keeps each answer; only the availability changes.
    change = walk(servers, sender, ["modifier mon profil"] + [choose("skip")] * 8)
    assert response_names(change[0]) == ["utter_match_editing", "utter_ask_match_intent"]
    change += walk(servers, sender, [choose("part_time"), choose("skip")])
    assert response_names(change[-1]) == ["utter_match_profile_updated"]
    changed = matchmaking.get_profile(profile.reference)
    assert changed.availability == "part_time"
    assert (changed.sector, changed.contact_value) == ("food", "awa.exemple@courriel.ca")

    paused = servers.send("mettre mon profil en pause", sender)
    assert response_names(paused) == ["utter_match_profile_paused"]
    assert matchmaking.get_profile(profile.reference).status == "paused"

    asked = servers.send("supprimer mon profil", sender)
    assert response_names(asked) == ["utter_ask_match_delete_confirmation"]
    done = servers.send("oui", sender)
    assert response_names(done) == ["utter_match_profile_deleted"]
    assert matchmaking.profiles_of(sender) == []
    # The conversation itself goes on.
    assert response_names(servers.send("mon profil", sender)) == ["utter_match_no_profile"]


def test_without_consent_nothing_is_stored(servers, app_database):
    sender = new_sender()
    turns = walk(servers, sender, ["how do I find partners for a co-op?", "yes", choose("no")])
    assert response_names(turns[0]) == ["utter_match_intro", "utter_ask_match_adult"]
    assert response_names(turns[1]) == ["utter_ask_match_consent"]
    assert response_names(turns[2]) == ["utter_match_refused_consent"]
    assert matchmaking.profiles_of(sender) == []


def test_a_minor_is_refused_before_the_consent_question(servers, app_database):
    sender = new_sender()
    turns = walk(servers, sender, ["/find_partners", "j'ai 16 ans"])
    assert response_names(turns[1]) == ["utter_match_refused_minor"]
    assert matchmaking.profiles_of(sender) == []


def make_profile_by_chat(servers, sender: str) -> str:
    walk(servers, sender, PROFILE_FR)
    [profile] = matchmaking.profiles_of(sender)
    return profile.reference


def test_an_introduction_answered_by_both_sides(servers, app_database):
    awa, binta = new_sender(), new_sender()
    a, b = make_profile_by_chat(servers, awa), make_profile_by_chat(servers, binta)
    intro = matchmaking.propose(a, b, by="conseillere-test")

    shown = servers.send("mon profil", awa)
    [offer] = [r for r in shown if r.get("text", "").startswith("Une personne-ressource")]
    assert intro.reference in offer["text"]
    assert "traiteurs" not in offer["text"]  # the sentence is not reviewed yet
    assert "awa" not in offer["text"] and "courriel.ca" not in offer["text"]
    yes = offer["buttons"][0]["payload"]

    assert response_names(servers.send(yes, awa)) == ["utter_match_introduction_yes_waiting"]
    assert matchmaking.get_introduction(intro.reference).contact_a is None  # not before both

    # The same button from Binta answers for her own side.
    [offer_b] = [
        r for r in servers.send("my profile", binta) if intro.reference in r.get("text", "")
    ]
    assert offer_b["buttons"][0]["payload"] == yes
    assert response_names(servers.send(yes, binta)) == ["utter_match_introduction_accepted"]
    assert matchmaking.get_introduction(intro.reference).revealed


def test_a_screening_without_enough_founders_offers_partners(servers):
    replies = run_screening(servers, new_sender(), EN_ALONE_CONSUMERS)
    names = response_names(replies)
    assert "utter_match_offer" in names
    offer = replies[names.index("utter_match_offer")]
    assert offer["buttons"] == [{"title": "Find partners", "payload": "/find_partners"}]


def test_the_greeting_offers_partners(servers):
    [greeting] = servers.send("Bonjour")
    assert {"title": "Trouver des associés", "payload": "/find_partners"} in greeting["buttons"]
