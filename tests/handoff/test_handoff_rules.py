"""The handoff's rules outside the action: need, age group, public contacts, wording version."""

from __future__ import annotations

import pytest

from handoff import routing
from handoff.answers import organisation_names, parse_age_group, parse_need
from handoff.config import contact_days
from handoff.dossier import consent_wording_version


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("integration", "integration"),
        ("Mon projet de coopérative", "cooperative"),
        ("my co-op project to find work", "cooperative"),  # the project first
        ("francisation et emploi", "integration"),
        ("bonjour", None),
    ],
)
def test_need_from_a_free_answer(text: str, need: str | None) -> None:
    assert parse_need(text) == need


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("15-35", "15-35"),
        ("unsaid", "unsaid"),
        ("j'ai 35 ans", "15-35"),
        ("I am 36", "36+"),
        ("5", None),  # not a plausible age
        ("20 ou 40", None),
        ("jeune", None),
    ],
)
def test_age_group_from_a_button_or_a_number(text: str, group: str | None) -> None:
    assert parse_age_group(text) == group


def test_need_after_a_topic_that_needs_a_person() -> None:
    assert routing.need_of("cooperative", "immigration") == "cooperative"  # chosen wins
    assert routing.need_of(None, "immigration") == "integration"
    assert routing.need_of(None, "financing") == "cooperative"
    assert routing.need_of("nonsense", None) == "cooperative"


def test_public_contacts_serve_a_need_a_person_can_help_with() -> None:
    resources = [
        {"id": "a", "needs": ["financing"]},
        {"id": "b", "needs": ["employment", "financing"]},
        {"id": "c", "needs": ["cooperative"]},
    ]
    assert [r["id"] for r in routing.public_contacts(resources)] == ["b", "c"]


def test_every_age_group_has_an_age_routing_can_use() -> None:
    assert routing.AGE_OF_GROUP == {"15-35": 25, "36+": 40}
    assert routing.age_group_of(routing.CJE_DEFAULT_AGE_MAX) == "15-35"


def test_organisation_names_include_parts_and_acronyms() -> None:
    names = organisation_names(["Carrefour jeunesse-emploi (CJE) – Montréal"])
    assert {"Carrefour jeunesse-emploi", "CJE", "Montréal"} <= set(names)


def test_the_wording_version_changes_with_the_wording_only() -> None:
    # Recorded with every consent: the same wording must give the same version in every process
    # and release, whatever the order the responses come in.
    shown = {"utter_x": [{"text": "Puis-je transmettre ?"}]}
    assert consent_wording_version(shown) == "consent-ae7e76edfe52"
    both = {"utter_x": [{"text": "Puis-je transmettre ?"}], "utter_y": [{"text": "b"}]}
    reordered = {"utter_y": [{"text": "b"}], "utter_x": [{"text": "Puis-je transmettre ?"}]}
    assert consent_wording_version(both) == consent_wording_version(reordered)
    assert consent_wording_version({"utter_x": [{"text": "Puis-je envoyer ?"}]}) != (
        "consent-ae7e76edfe52"
    )


def test_contact_days_default_and_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOFF_CONTACT_DAYS", raising=False)
    assert contact_days() == "3"
    monkeypatch.setenv("HANDOFF_CONTACT_DAYS", "5")
    assert contact_days() == "5"
