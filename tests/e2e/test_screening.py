"""The screening form through REST with the real action server: slots, verdicts, interruptions."""

from __future__ import annotations

import pytest
import requests

from screening.requests import project_description
from tests.e2e.conftest import new_sender, replies_language, response_names, texts

pytestmark = pytest.mark.e2e


def tracker(servers, sender):
    return requests.get(
        f"{servers.base_url}/conversations/{sender}/tracker",
        params={"token": servers.token},
        timeout=10,
    ).json()


def slots(servers, sender):
    return tracker(servers, sender)["slots"]


def choose(code: str) -> str:
    return f'/choose{{"choice": "{code}"}}'


def run_screening(servers, sender, answers):
    replies = []
    for answer in answers:
        replies = servers.send(answer, sender)
    return replies


FR_WORKERS = [
    "Bonjour",
    "/start_screening",
    "Un service de traiteur avec des amies",
    choose("alimentation"),
    "Montréal",
    "nous sommes 4 avec ma sœur",
    "les personnes qui y travaillent",
    choose("one_member_one_vote"),
    choose("low"),
    choose("none"),
    choose("by_work"),
    "oui",
]


def test_worker_coop_in_french_with_free_text(servers):
    sender = new_sender()
    replies = run_screening(servers, sender, FR_WORKERS)
    names = response_names(replies)
    assert names[0] == "utter_screening_verdict_strong"
    assert "utter_screening_notice" in names
    assert replies_language(replies) == {"fr"}
    state = slots(servers, sender)
    assert state["coop_fit"] == "strong"
    assert state["recommended_coop_type"] == "travail"
    assert state["screening_founders"] == "4"
    summary = state["screening_summary"]
    assert summary["verdict"]["coop_fit"] == "strong"
    assert summary["typed"]["founders"] == "nous sommes 4 avec ma sœur"


EN_ALONE_CONSUMERS = [
    "Hello",
    "is a co-op right for my business?",
    "A neighbourhood grocery store run for its customers",
    choose("commerce"),
    "Sherbrooke",
    "I'm alone for now",
    "the people who buy from it",
    choose("one_member_one_vote"),
    choose("medium"),
    choose("none"),
    choose("by_use"),
    "yes",
]


def test_founding_alone_gives_conditional_with_find_partners_in_english(servers):
    sender = new_sender()
    replies = run_screening(servers, sender, EN_ALONE_CONSUMERS)
    names = response_names(replies)
    assert names[0] == "utter_screening_verdict_conditional"
    assert "utter_screening_next_steps" in names
    assert replies_language(replies) == {"en"}
    state = slots(servers, sender)
    assert (state["coop_fit"], state["recommended_coop_type"]) == ("conditional", "consommateurs")
    assert "find_partners" in state["screening_summary"]["verdict"]["next_steps"]


def test_control_by_capital_is_weak(servers):
    sender = new_sender()
    answers = FR_WORKERS[:7] + [choose("proportional_to_capital")] + FR_WORKERS[8:]
    replies = run_screening(servers, sender, answers)
    assert response_names(replies)[0] == "utter_screening_verdict_weak_untyped"
    state = slots(servers, sender)
    assert (state["coop_fit"], state["recommended_coop_type"]) == ("weak", "none")


def test_unclear_answer_is_asked_again_with_examples(servers):
    sender = new_sender()
    run_screening(servers, sender, FR_WORKERS[:5])
    replies = servers.send("euh plein de monde peut-être", sender)
    assert response_names(replies) == [
        "utter_invalid_screening_founders",
        "utter_ask_screening_form_screening_founders",
    ]
    assert slots(servers, sender)["screening_founders"] is None


def test_question_mid_form_is_answered_then_the_form_continues(servers):
    sender = new_sender()
    run_screening(servers, sender, FR_WORKERS[:6])  # asked: members
    replies = servers.send("C'est quoi une coopérative de solidarité?", sender)
    names = response_names(replies)
    assert "utter_kb_answer" in names
    assert names[-1] == "utter_ask_screening_form_screening_members"
    assert slots(servers, sender)["screening_members"] is None


def test_correction_of_an_earlier_answer(servers):
    sender = new_sender()
    run_screening(servers, sender, FR_WORKERS[:6])  # founders = 4, asked: members
    servers.send("en fait on est 5", sender)
    assert slots(servers, sender)["screening_founders"] == "5"


def test_why_is_this_asked(servers):
    sender = new_sender()
    run_screening(servers, sender, FR_WORKERS[:5])  # asked: founders
    replies = servers.send("pourquoi vous me demandez ça?", sender)
    assert response_names(replies) == [
        "utter_why_screening_founders",
        "utter_ask_screening_form_screening_founders",
    ]


def test_stop_and_resume(servers):
    sender = new_sender()
    run_screening(servers, sender, FR_WORKERS[:6])
    replies = servers.send("annuler", sender)
    assert response_names(replies) == ["utter_screening_stopped"]
    assert tracker(servers, sender)["active_loop"] in ({}, None, {"name": None})
    replies = servers.send("on reprend le questionnaire", sender)
    assert response_names(replies) == ["utter_ask_screening_form_screening_members"]
    assert slots(servers, sender)["screening_founders"] == "4"


def test_switch_language_mid_form(servers):
    sender = new_sender()
    run_screening(servers, sender, FR_WORKERS[:6])
    replies = servers.send("in English please", sender)
    assert response_names(replies) == [
        "utter_language_switched_in_form",
        "utter_ask_screening_form_screening_members",
    ]
    assert replies_language(replies) == {"en"}


def test_screening_verdict_names_regional_organisations(servers):
    sender = new_sender()
    replies = run_screening(servers, sender, FR_WORKERS)
    organisations = [t for t in texts(replies) if "cdrq.coop" in t]
    assert organisations, texts(replies)


FREE_TEXT = {
    "fr": [
        "Bonjour",
        "est-ce qu'une coop me convient?",
        "Une boulangerie de quartier avec des amis",
        "alimentation",
        "Sherbrooke",
        "on est 3 avec moi",
        "les gens qui vont y travailler",
        "un membre un vote",
        "pas beaucoup, environ 30 000 $",
        "non, pas d'investisseurs",
        "selon le travail de chacun",
        "oui, ça nous va",
    ],
    "en": [
        "Hello",
        "is a co-op right for my business?",
        "A bike repair shop run by the mechanics",
        "services",
        "Gatineau",
        "me and 2 friends",
        "the people who work in it",
        "one member one vote",
        "about $20,000",
        "no outside investors",
        "by the work each member does",
        "yes",
    ],
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_free_text_answers_get_the_decision_tables_verdict(servers, kb, lang):
    from screening import Answers, Minimums, evaluate

    sender = new_sender()
    replies = run_screening(servers, sender, FREE_TEXT[lang])
    assert replies_language(replies) == {lang}
    state = slots(servers, sender)
    entry = kb.get("minimum-founding-members")
    expected = evaluate(
        Answers(
            founders=3,
            members="workers",
            control="one_member_one_vote",
            capital_need="low",
            outside_investors="none",
            surplus="by_work",
            governance_ready="yes",
        ),
        Minimums.from_facts(entry.facts, entry.id),
    )
    assert (state["coop_fit"], state["recommended_coop_type"]) == (
        expected.coop_fit,
        expected.recommended_coop_type,
    )
    assert state["screening_founders"] == "3"
    assert state["screening_capital"] == "low"


EN_WORKERS = [
    "Hello",
    "/start_screening",
    "A cleaning company owned by its cleaners",
    choose("services"),
    "Laval",
    "we are four",
    "the people who work in it",
    choose("one_member_one_vote"),
    choose("low"),
    choose("none"),
    choose("by_work"),
    "yes",
]


def test_control_by_capital_is_weak_in_english(servers):
    sender = new_sender()
    answers = EN_WORKERS[:7] + [choose("proportional_to_capital")] + EN_WORKERS[8:]
    replies = run_screening(servers, sender, answers)
    assert response_names(replies)[0] == "utter_screening_verdict_weak_untyped"
    assert replies_language(replies) == {"en"}
    state = slots(servers, sender)
    assert (state["coop_fit"], state["recommended_coop_type"]) == ("weak", "none")


def test_too_few_founders_is_conditional_in_french(servers):
    sender = new_sender()
    answers = FR_WORKERS[:5] + ["juste moi pour l'instant"] + FR_WORKERS[6:]
    replies = run_screening(servers, sender, answers)
    assert response_names(replies)[0] == "utter_screening_verdict_conditional"
    assert replies_language(replies) == {"fr"}
    state = slots(servers, sender)
    assert (state["coop_fit"], state["recommended_coop_type"]) == ("conditional", "travail")


def test_interruptions_in_english(servers):
    sender = new_sender()
    run_screening(servers, sender, EN_WORKERS[:6])  # founders = 4, asked: members
    replies = servers.send("What is a solidarity cooperative?", sender)
    names = response_names(replies)
    assert "utter_kb_answer" in names
    assert names[-1] == "utter_ask_screening_form_screening_members"
    replies = servers.send("why do you need to know that?", sender)
    assert response_names(replies) == [
        "utter_why_screening_members",
        "utter_ask_screening_form_screening_members",
    ]
    servers.send("actually we are 6", sender)
    assert slots(servers, sender)["screening_founders"] == "6"
    replies = servers.send("stop the questions", sender)
    assert response_names(replies) == ["utter_screening_stopped"]
    replies = servers.send("let's continue the questions", sender)
    assert response_names(replies) == ["utter_ask_screening_form_screening_members"]
    replies = servers.send("en français svp", sender)
    assert response_names(replies) == [
        "utter_language_switched_in_form",
        "utter_ask_screening_form_screening_members",
    ]
    assert replies_language(replies) == {"fr"}


@pytest.mark.parametrize(
    ("opening", "yes", "lang"),
    [
        (
            "Bonjour! On est 4 coiffeuses à Laval pis on veut ouvrir un salon en coop, "
            "ça marcherait-tu?",
            "oui",
            "fr",
        ),
        ("would a co-op make sense for our hair salon? we are 3 stylists", "yes", "en"),
    ],
)
def test_a_project_told_first_is_confirmed_not_asked_again(servers, opening, yes, lang):
    sender = new_sender()
    replies = servers.send(opening, sender)
    if "utter_screening_intro" not in response_names(replies):
        # Offered (by the answer or by the fallback), the screening starts on a typed yes…
        assert "utter_offer_screening" in response_names(replies)
        replies = servers.send(yes, sender)
    assert "utter_screening_intro" in response_names(replies)
    # …and the project told in the first message is said back, not asked for again.
    assert "utter_screening_confirm_project" in response_names(replies)
    assert "salon" in texts(replies)[-1]
    replies = servers.send(yes, sender)
    assert replies_language(replies) == {lang}
    state = slots(servers, sender)
    assert state["screening_project"] == project_description(opening)
    assert "salon" in state["screening_project"] and "Bonjour!" not in state["screening_project"]
    assert state["requested_slot"] == "screening_sector"


def test_what_the_opening_said_is_confirmed_even_after_a_question(servers):
    # The sector the project names is offered, and a question asked at a confirmation is
    # answered, then the same confirmation comes back (not the plain question).
    sender = new_sender()
    replies = servers.send("on veut ouvrir une coop de traiteur à Laval, ça marcherait?", sender)
    if "utter_screening_intro" not in response_names(replies):
        assert "utter_offer_screening" in response_names(replies)
        replies = servers.send("oui", sender)
    assert response_names(replies)[-1] == "utter_screening_confirm_project"
    replies = servers.send("oui", sender)
    assert response_names(replies)[-1] == "utter_screening_confirm_sector"
    assert "Alimentation, restauration" in texts(replies)[-1]
    replies = servers.send("oui", sender)
    assert response_names(replies)[-1] == "utter_screening_confirm_region"
    replies = servers.send("c'est quoi une coop de solidarité?", sender)
    assert "utter_screening_question_later" in response_names(replies)
    assert response_names(replies)[-1] == "utter_screening_confirm_region"
    servers.send("oui", sender)
    state = slots(servers, sender)
    assert (state["screening_sector"], state["screening_region"]) == ("alimentation", "13")
    assert state["requested_slot"] == "screening_founders"
