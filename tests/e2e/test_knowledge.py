"""Knowledge-base answers through REST with the real action server, in French and English."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import new_sender, replies_language, response_names, texts

pytestmark = pytest.mark.e2e


def answer_of(kb, entry_id: str, lang: str, field: str = "short") -> str:
    return kb.get(entry_id).text(field, lang)


@pytest.mark.parametrize(
    ("question", "lang", "entry_id"),
    [
        ("C'est quoi une coopérative?", "fr", "what-is-a-cooperative"),
        ("What is a cooperative?", "en", "what-is-a-cooperative"),
        (
            "Combien faut-il de membres pour fonder une coopérative ?",
            "fr",
            "minimum-founding-members",
        ),
        ("How many members are needed to start a cooperative?", "en", "minimum-founding-members"),
        # a need outside the co-op's scope, said in plain words: the resources that help
        (
            "sorry to bother, i lost my job and i can not pay the rent this month, the fridge is "
            "almost empty. is there any help?",
            "en",
            "information-line-211",
        ),
    ],
)
def test_question_gets_the_entry_with_its_sources(servers, kb, question, lang, entry_id):
    replies = servers.send(question)
    assert response_names(replies)[0] == "utter_kb_answer"
    assert replies_language(replies) == {lang}
    text = texts(replies)[0]
    assert answer_of(kb, entry_id, lang) in text
    assert kb.get(entry_id).sources[0].url in text
    assert replies[0]["buttons"][0]["payload"] == "/tell_me_more"


@pytest.mark.parametrize(
    ("first", "more", "lang"),
    [
        ("C'est quoi une coopérative de solidarité?", "dites-m'en plus", "fr"),
        ("What is a solidarity cooperative?", "tell me more", "en"),
    ],
)
def test_tell_me_more_gives_the_long_answer(servers, kb, first, more, lang):
    sender = new_sender()
    servers.send(first, sender)
    replies = servers.send(more, sender)
    assert response_names(replies) == ["utter_kb_more"]
    assert "buttons" not in replies[0]
    assert answer_of(kb, "coop-types-solidarity", lang, "long") in texts(replies)[0]


@pytest.mark.parametrize(
    ("first", "follow_up", "lang", "expected"),
    [
        (
            "Combien faut-il de fondateurs pour une coop?",
            "et pour une coop de travail?",
            "fr",
            {"minimum-founding-members", "coop-types-worker"},
        ),
        ("What is a consumer cooperative?", "and a producer one?", "en", {"coop-types-producer"}),
    ],
)
def test_follow_up_questions_use_the_previous_answer(servers, kb, first, follow_up, lang, expected):
    sender = new_sender()
    servers.send(first, sender)
    replies = servers.send(follow_up, sender)
    assert response_names(replies)[0] == "utter_kb_answer"
    text = texts(replies)[0]
    assert any(answer_of(kb, entry_id, lang) in text for entry_id in expected)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Quels organismes peuvent m'aider à Sherbrooke?", "fr"),
        ("Who can help me start a co-op in Gatineau?", "en"),
    ],
)
def test_region_query_lists_organisations(servers, question, lang):
    replies = servers.send(question)
    assert response_names(replies) == ["utter_resources_for_region"]
    assert replies_language(replies) == {lang}
    assert "https://" in texts(replies)[0]


def test_quebec_alone_is_asked_about(servers):
    replies = servers.send("Quels organismes peuvent m'aider au Québec?")
    assert response_names(replies) == ["utter_region_ambiguous"]
    payload = replies[0]["buttons"][0]["payload"]
    replies = servers.send(payload)
    assert response_names(replies) == ["utter_resources_for_region"]


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Combien coûte une assurance auto pour une voiture usagée?", "fr"),
        ("What's the best recipe for banana bread?", "en"),
    ],
)
def test_unanswerable_question_says_so(servers, question, lang):
    replies = servers.send(question)
    names = response_names(replies)
    assert names[0] in ("utter_kb_no_answer", "utter_out_of_scope")
    assert replies_language(replies) == {lang}


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("Avec un permis de travail fermé, est-ce que je peux être membre d'une coop?", "fr"),
        ("I have a closed work permit, can I be a member of a co-op?", "en"),
    ],
)
def test_immigration_question_gets_a_safe_answer_and_the_offer_of_a_human(servers, question, lang):
    sender = new_sender()
    replies = servers.send(question, sender)
    assert response_names(replies) == ["utter_kb_answer", "utter_offer_human"]
    assert replies_language(replies) == {lang}
    replies = servers.send("/request_human", sender)
    assert response_names(replies) == [
        "utter_handoff_explain",
        "utter_ask_handoff_form_handoff_consent_summary",
    ]
    assert replies_language(replies) == {lang}


@pytest.mark.parametrize(
    ("message", "lang"),
    [("Je n'en peux plus, j'ai envie de mourir", "fr"), ("I want to end my life", "en")],
)
def test_distress_gets_crisis_resources_first(servers, kb, message, lang):
    replies = servers.send(message)
    assert response_names(replies) == ["utter_crisis_intro", "utter_kb_more", "utter_offer_human"]
    assert answer_of(kb, "crisis-help", lang, "long") in texts(replies)[1]
