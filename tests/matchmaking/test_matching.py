"""The matching rules: hard filters, reasons as codes, scores, texts in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge_base.encoder import HashingEncoder
from matchmaking import Candidate, Matcher, Reason, render_reason
from matchmaking.matching import PROJECT
from matchmaking.rules import POINT_NAMES, load_rules
from matchmaking.texts import catalogue, label


def person(ref: str, **fields) -> Candidate:
    values: dict[str, Any] = {
        "intent": "own_project",
        "description": "coopérative de boulangerie",
        "sector": "food",
        "region": "06",
        "reach": "own_region",
        "role": "worker",
        "languages": ("fr",),
        "availability": "full_time",
        "owner": ref,
    }
    values.update(fields)
    return Candidate(ref, **values)


def project(ref: str, **fields) -> Candidate:
    values: dict[str, Any] = {
        "kind": PROJECT,
        "description": "Épicerie solidaire cherche des membres travailleurs",
        "sector": "food",
        "region": "06",
        "roles_sought": ("worker",),
        "languages": ("fr",),
    }
    values.update(fields)
    return Candidate(ref, **values)


matcher = Matcher(encoder=None)


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        (person("A"), person("B", intent="join_project"), True),
        (person("A"), person("B", region="03"), False),  # far away
        (person("A"), person("B", region="13"), False),  # neighbour, but nobody travels
        (person("A"), person("B", region="13", reach="neighbouring"), True),
        (person("A", reach="neighbouring"), person("B", region="05"), False),  # not a neighbour
        (person("A"), person("B", languages=("en",)), False),  # no shared language
        (person("A", languages=("fr", "es")), person("B", languages=("es",)), True),
        (person("A", intent="join_project"), person("B", intent="join_project"), False),
        (person("A"), person("B", owner="A"), False),  # same person
        (project("J1"), project("J2"), False),
        (person("A", intent="join_project"), project("J"), True),
        (person("A", region=None), person("B", region="09"), True),  # unknown region: no filter
    ],
)
def test_hard_filters(a: Candidate, b: Candidate, compatible: bool) -> None:
    assert matcher.compatible(a, b) is compatible
    assert (matcher.score(a, b) is not None) is compatible


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (
            person("A"),
            person("B", intent="join_project"),
            {
                "same_region",
                "same_sector",
                "complementary_intent",
                "same_role",
                "shared_language",
                "availability_fit",
            },
        ),
        (
            person("A"),
            person("B", availability="evenings_weekends", role="supporter"),
            {"same_region", "same_sector", "cofounders", "supporter", "shared_language"},
        ),
        (
            person("A", intent="join_project", region="13", reach="neighbouring"),
            project("J"),
            {
                "neighbouring_region",
                "same_sector",
                "complementary_intent",
                "role_sought",
                "shared_language",
            },
        ),
        (
            person("A", skills_sought=("Cuisine",)),
            person("B", intent="join_project", sector="retail", skills=("cuisine", "vente")),
            {
                "same_region",
                "complementary_intent",
                "same_role",
                "shared_language",
                "skill_sought",
                "availability_fit",
            },
        ),
    ],
)
def test_reasons(a: Candidate, b: Candidate, expected: set[str]) -> None:
    suggestion = matcher.score(a, b)
    assert suggestion is not None
    assert set(suggestion.codes) == expected
    assert 0 < suggestion.score <= 1


def test_more_reasons_score_higher_and_suggestions_are_ranked() -> None:
    a = person("A")
    good = person("B", intent="join_project")
    weaker = person("C", intent="join_project", sector="retail", availability=None)
    far = person("D", region="08")
    ranked = matcher.suggest(a, [weaker, far, good])
    assert [s.reference for s in ranked] == ["B", "C"]
    assert ranked[0].score > ranked[1].score


def test_similarity_adds_a_reason_with_an_encoder() -> None:
    with_text = Matcher(encoder=HashingEncoder())
    a = person("A", description="coopérative de boulangerie artisanale")
    b = person("B", intent="join_project", description="coopérative de boulangerie artisanale")
    suggestion = with_text.score(a, b)
    assert suggestion is not None and suggestion.similarity == 1.0
    assert "similar_project" in suggestion.codes
    other = person("C", intent="join_project", description="garage de réparation de vélos")
    assert with_text.similarity(a, other) < 1.0


def test_rules_and_texts_cover_every_code() -> None:
    rules = load_rules()
    texts = catalogue()
    for section, codes in (
        ("sector", rules.sectors),
        ("role", rules.roles),
        ("intent", rules.intents),
        ("reach", rules.reaches),
        ("availability", rules.availabilities),
        ("language", rules.languages),
    ):
        assert set(codes) <= set(texts[section]), section
    assert set(POINT_NAMES) | {"similar_project"} == set(texts["reason"])


@pytest.mark.parametrize(
    ("reason", "fr", "en"),
    [
        (
            Reason("same_sector", {"sector": "food"}),
            "même secteur (alimentation)",
            "same sector (food)",
        ),
        (
            Reason("neighbouring_region", {"region": "13"}),
            "région voisine (Laval)",
            "neighbouring region (Laval)",
        ),
        (
            Reason("shared_language", {"languages": ["es", "fr"]}),
            "parle espagnol, français",
            "speaks Spanish, French",
        ),
        (
            Reason("role_sought", {"role": "producer"}),
            "cherche ce rôle : producteur ou productrice",
            "looks for this role: producer",
        ),
        (
            Reason("skill_sought", {"skill": "cuisine"}),
            "a une compétence recherchée : cuisine",
            "has a skill that is sought: cuisine",
        ),
    ],
)
def test_reasons_render_in_both_languages(reason: Reason, fr: str, en: str) -> None:
    assert render_reason(reason.code, reason.params, "fr") == fr
    assert render_reason(reason.code, reason.params, "en") == en


def test_every_reason_renders_in_both_languages() -> None:
    params = {"region": "06", "sector": "food", "role": "worker", "languages": ["fr"], "skill": "x"}
    for code in catalogue()["reason"]:
        for lang in ("fr", "en"):
            assert "{" not in render_reason(code, params, lang)
    assert label("sector", "unknown", "fr") == "unknown"
