"""Handoff to a person through REST with the real action server and the app database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.e2e.conftest import new_sender, replies_language, response_names, texts
from tests.e2e.test_screening import FR_WORKERS

pytestmark = pytest.mark.e2e


def choose(code: str) -> str:
    return f'/choose{{"choice": "{code}"}}'


def dossier_rows(servers, sender):
    engine = sa.create_engine(servers.database_url, future=True)
    with engine.connect() as connection:
        dossiers = (
            connection.execute(
                sa.text("SELECT * FROM handoff_dossier WHERE sender_id = :s"), {"s": sender}
            )
            .mappings()
            .all()
        )
        consents = connection.execute(
            sa.text(
                "SELECT c.purpose, c.granted, c.wording_version FROM consent c "
                "JOIN handoff_dossier d ON d.id = c.dossier_id WHERE d.sender_id = :s"
            ),
            {"s": sender},
        ).all()
    engine.dispose()
    return dossiers, {purpose: (granted, version) for purpose, granted, version in consents}


def walk(servers, sender, messages):
    replies = []
    for message in messages:
        replies = servers.send(message, sender)
    return replies


def first_organisation_payload(replies):
    return replies[-1]["buttons"][0]["payload"]


def test_french_summary_only_stores_contact_without_transcript(servers):
    sender = new_sender()
    replies = walk(servers, sender, ["Bonjour", "je veux parler à un conseiller"])
    assert response_names(replies) == [
        "utter_handoff_explain",
        "utter_ask_handoff_form_handoff_consent_summary",
    ]
    replies = walk(
        servers,
        sender,
        [
            "oui",
            "non",
            "par courriel",
            "nadia.exemple@courriel.ca",
            "en semaine le matin",
            "mon projet de coopérative",
            "Montréal",
        ],
    )
    assert response_names(replies) == ["utter_ask_handoff_organisation"]
    assert dossier_rows(servers, sender)[0] == [], "nothing is stored before the last step"
    replies = servers.send(first_organisation_payload(replies), sender)
    assert response_names(replies) == ["utter_handoff_confirmed"]
    assert replies_language(replies) == {"fr"}
    dossiers, consents = dossier_rows(servers, sender)
    assert len(dossiers) == 1
    dossier = dossiers[0]
    assert dossier["reference"] in texts(replies)[0]
    assert dossier["contact_value"] == "nadia.exemple@courriel.ca"
    assert dossier["transcript"] is None
    assert dossier["language"] == "fr" and dossier["region_code"] == "06"
    assert dossier["trigger"] == "user_request"
    assert consents["share_summary"][0] and not consents["share_transcript"][0]
    assert consents["share_summary"][1].startswith("consent-")


def test_english_both_consents_store_the_transcript(servers):
    sender = new_sender()
    replies = walk(
        servers,
        sender,
        [
            "Hello",
            "What is a worker cooperative?",
            "talk to a person",
            choose("yes"),
            choose("yes"),
            choose("phone"),
            "(514) 555-0199",
            "evenings",
            choose("cooperative"),
            "Laval",
        ],
    )
    replies = servers.send(first_organisation_payload(replies), sender)
    assert response_names(replies) == ["utter_handoff_confirmed"]
    assert replies_language(replies) == {"en"}
    dossier = dossier_rows(servers, sender)[0][0]
    assert dossier["contact_value"] == "+15145550199"
    transcript = dossier["transcript"]
    assert "What is a worker cooperative?" in str(transcript)


def test_refusing_both_stores_nothing_and_gives_public_contacts(servers):
    sender = new_sender()
    replies = walk(servers, sender, ["Bonjour", "/request_human", "non", "non"])
    names = response_names(replies)
    assert names[0] == "utter_handoff_nothing_shared"
    assert "https://" in texts(replies)[1]
    assert dossier_rows(servers, sender)[0] == []


def test_invalid_contact_is_asked_again(servers):
    sender = new_sender()
    replies = walk(
        servers, sender, ["Hello", "/request_human", "yes", "no", "email", "not-an-email"]
    )
    assert response_names(replies) == ["utter_invalid_handoff_email", "utter_ask_handoff_email"]


def test_after_screening_the_dossier_holds_the_screening_summary(servers):
    sender = new_sender()
    walk(servers, sender, FR_WORKERS)
    replies = walk(
        servers,
        sender,
        ["/request_human", "oui", "non", "courriel", "equipe.traiteur@exemple.ca", "le soir"],
    )
    replies = servers.send(first_organisation_payload(replies), sender)
    assert response_names(replies) == ["utter_handoff_confirmed"]
    dossier = dossier_rows(servers, sender)[0][0]
    assert dossier["trigger"] == "after_screening"
    assert "strong" in str(dossier["screening_summary"])
    assert dossier["project_summary"] == FR_WORKERS[2]


def test_stop_in_the_middle_sends_nothing(servers):
    sender = new_sender()
    replies = walk(servers, sender, ["Bonjour", "/request_human", "oui", "annuler"])
    assert response_names(replies) == ["utter_handoff_stopped"]
    assert dossier_rows(servers, sender)[0] == []


def test_two_misunderstandings_offer_a_person(servers):
    sender = new_sender()
    servers.send("Bonjour", sender)
    servers.send("qwzx plorf vrazt", sender)
    replies = servers.send("vrazt qwzx plorf", sender)
    assert response_names(replies) == ["utter_default", "utter_offer_handoff_after_fallbacks"]


@pytest.mark.parametrize(
    ("age", "region", "expected"),
    [("15-35", "Laval", "carrefours-jeunesse-emploi"), ("36+", "Montréal", "promis")],
)
def test_settling_in_needs_route_by_age_and_region(servers, age, region, expected):
    sender = new_sender()
    replies = walk(
        servers,
        sender,
        [
            "Bonjour",
            "/request_human",
            "oui",
            "non",
            "courriel",
            "sam.exemple@courriel.ca",
            "le soir",
            "m'installer et trouver un emploi",
            choose(age),
            region,
        ],
    )
    assert response_names(replies) == ["utter_ask_handoff_organisation"]
    assert expected in first_organisation_payload(replies)
