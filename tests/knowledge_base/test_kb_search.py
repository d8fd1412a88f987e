"""Retrieval on the fixture entries: answers, refusals, follow-ups, resources, speed."""

from __future__ import annotations

import pytest

from knowledge_base.text import analyzer, fold, without_language_named
from tests.support.processes import fresh_python


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("C'est quoi une coop de travail?", "fr", "coop-types-worker"),
        ("cooperative de travail", "fr", "coop-types-worker"),
        ("What is a worker co-op?", "en", "coop-types-worker"),
        ("worker-owned cooperative", "en", "coop-types-worker"),
        ("Quels sont les types de coopératives?", "fr", "coop-types-overview"),
        ("what kinds of coops are there", "en", "coop-types-overview"),
        ("réserve obligatoire", "fr", "reserve-rule"),
        ("La RESERVE obligatoire d'une coopé", "fr", "reserve-rule"),
        ("patronage refunds and the reserve", "en", "reserve-rule"),
        ("Comment fonder une coopérative?", "fr", "constitute-a-cooperative"),
        ("how do I incorporate a co-op", "en", "constitute-a-cooperative"),
        ("aide au démarrage d'entreprise collective", "fr", "startup-grant"),
    ],
)
def test_best_answers(kb, query, lang, expected):
    hit = kb.best(query, lang)
    assert hit is not None and hit.entry_id == expected, kb.search(query, lang)
    assert expected in [h.entry_id for h in kb.search(query, lang)]


@pytest.mark.parametrize(
    ("query", "lang"),
    [
        ("What's the weather tomorrow?", "en"),
        ("recette de pâté chinois", "fr"),
        ("Qui a gagné la coupe Stanley?", "fr"),
        ("", "en"),
        ("???", "fr"),
    ],
)
def test_out_of_scope_gets_no_answer(kb, query, lang):
    assert kb.best(query, lang) is None


@pytest.mark.parametrize(
    ("query", "lang", "context", "expected"),
    [
        ("tell me more", "en", "coop-types-worker", "coop-types-worker"),
        ("Dis-m'en plus", "fr", "reserve-rule", "reserve-rule"),
        ("plus de détails svp", "fr", "coop-types-overview", "coop-types-overview"),
        ("et pour une coop de travail?", "fr", "coop-types-overview", "coop-types-worker"),
        ("and for a worker coop?", "en", "reserve-rule", "coop-types-worker"),
        ("tell me more about the reserve", "en", "coop-types-worker", "reserve-rule"),
    ],
)
def test_follow_ups(kb, query, lang, context, expected):
    hit = kb.best(query, lang, context_entry_id=context)
    assert hit is not None and hit.entry_id == expected


def test_tell_me_more_without_context_is_not_an_answer(kb):
    assert kb.best("tell me more", "en") is None


def test_scores_are_normalised_and_sorted(kb):
    for query, lang in [("coop", "en"), ("coopérative de travail réserve statuts", "fr")]:
        hits = kb.search(query, lang, top_k=10)
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True)
        assert all(0 < s <= 1 for s in scores)


def test_topic_filter(kb):
    hits = kb.search("coopérative", "fr", top_k=10, topic="types")
    assert hits and {kb.get(h.entry_id).topic for h in hits} == {"types"}


def test_unknown_language_is_refused(kb):
    with pytest.raises(KeyError):
        kb.search("coop", "es")


@pytest.mark.parametrize(
    ("text", "lang", "terms"),
    [
        ("Coopératives", "fr", {"cooperative"}),
        ("coopé", "fr", {"cooperative"}),
        ("co-op", "en", {"cooperative"}),
        ("les OBNL", "fr", {"obnl"}),
        ("non-profit", "en", {"obnl"}),
        ("ristournes", "fr", {"ristourne"}),
        ("patronage refunds", "en", {"ristourne"}),
        ("Québec enterprise number", "en", {"neq"}),
        ("inc.", "en", {"incorporation"}),
        ("compagnie", "fr", {"incorporation"}),
        ("le la les de", "fr", set()),
        # texting spellings of words that carry no meaning: "c koi" is "c'est quoi"
        ("c koi une ristourne", "fr", {"ristourne"}),
        ("pk kwa", "fr", set()),
    ],
)
def test_analyzer_terms(text, lang, terms):
    got = {t for group in analyzer(lang).terms(text) for t in group}
    assert got == terms


def test_fold():
    assert fold("Œuvre Coopérative À Trois-Rivières’") == "oeuvre cooperative a trois-rivieres'"


@pytest.mark.parametrize(
    ("region", "need", "age", "status", "expected"),
    [
        ("06", None, None, None, ["youth-hub-montreal", "coop-network"]),
        ("06", "business", 25, "citizen", ["youth-hub-montreal", "coop-network"]),
        ("06", "business", 40, None, ["coop-network"]),
        ("06", "business", 25, "refugee", ["coop-network"]),
        ("06", "cooperative", None, None, ["coop-network"]),
        ("03", "integration", None, None, ["newcomer-centre-quebec"]),
        ("12", None, None, None, ["newcomer-centre-quebec", "coop-network"]),
        ("15", None, None, None, ["coop-network"]),
        (None, None, None, None, ["coop-network"]),
    ],
)
def test_resources_for(kb, region, need, age, status, expected):
    found = kb.resources_for(region, need=need, age=age, status=status)
    assert [e.id for e in found] == expected


def test_the_index_does_not_import_jax() -> None:
    """bm25s would import and start JAX (130 MiB, seconds) for a selection the index never uses."""
    code = (
        "import sys, knowledge_base.index as index; "
        "print('jax' in sys.modules, index.bm25s.selection.JAX_IS_AVAILABLE)"
    )
    assert fresh_python(code).split() == ["False", "False"]


@pytest.mark.parametrize(
    ("text", "spans", "question"),
    [
        (
            "and in English, what is a patronage refund?",
            [(7, 14)],
            "and , what is a patronage refund?",
        ),
        ("c'est quoi une ristourne en anglais?", [(28, 35)], "c'est quoi une ristourne ?"),
        ("what is a reserve?", [], "what is a reserve?"),
    ],
)
def test_the_language_a_question_names_is_not_its_subject(text, spans, question):
    assert without_language_named(text, spans) == question
