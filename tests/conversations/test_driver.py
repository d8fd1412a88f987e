"""The driver and the metrics against a scripted bot that speaks the domain's sentences: the
persona recognises questions by their text, answers in its own words in order, presses buttons
only as its style says, makes its twists once, gives up on a loop; the figures count what
happened. No server."""

from __future__ import annotations

import re

import pytest

from tests.conversations.driver import run_persona
from tests.conversations.metrics import measure
from tests.conversations.personas import Persona
from tests.conversations.recognition import read_message
from tests.domain_texts import responses, variation_language

ASK = "utter_ask_screening_form_screening_"


def say(name: str, lang: str, **values: str) -> dict:
    """A reply as the REST channel sends it: the domain variation, placeholders filled."""
    variation = next(v for v in responses()[name] if variation_language(v) == lang)
    text = re.sub(r"\{([a-z_]+)\}", lambda m: values.get(m.group(1), "x"), variation["text"])
    reply: dict = {"recipient_id": "s", "text": text}
    if variation.get("buttons"):
        reply["buttons"] = [
            {"title": b["title"], "payload": b["payload"].replace("{{", "{").replace("}}", "}")}
            for b in variation["buttons"]
        ]
    return reply


class ScriptedBot:
    """Replies turn by turn from a script; records what the persona sent."""

    def __init__(self, script: list[list[dict]], slots: dict | None = None, events=()):
        self.script = list(script)
        self.received: list[str] = []
        self.slots = slots or {}
        self.events = list(events)

    def send(self, sender: str, message: str) -> tuple[int, list[dict]]:
        self.received.append(message)
        return 200, self.script.pop(0) if self.script else []

    def tracker(self, sender: str) -> dict:
        return {"slots": self.slots, "events": self.events}


def persona(**changes) -> Persona:
    data = {
        "id": "fr-90-test",
        "lang": "fr",
        "summary": "test",
        "goal": "screening",
        "opening": "une coop pour notre traiteur?",
        "style": {"buttons": "never"},
        "facts": {
            "founders": 4,
            "members": "workers",
            "control": "one_member_one_vote",
            "capital_need": "low",
            "outside_investors": "none",
            "surplus": "by_work",
            "governance_ready": "yes",
        },
        "says": {"founders": ["on est 4 avec mes amies", "quatre en tout"]},
        "expected": {"coop_fit": "strong", "recommended_coop_type": "travail"},
    }
    data.update(changes)
    return Persona.model_validate(data)


NOTICE = say("utter_privacy_notice", "fr", conversation_days="30", privacy_url="http://x")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_question_is_recognised_by_its_sentence_in_both_languages(lang):
    expected = {
        "project": "project",
        "founders": "founders",
        "members": "members",
        "capital": "capital_need",
        "governance": "governance_ready",
    }
    for slot, key in expected.items():
        assert read_message(say(ASK + slot, lang)).question == key
    email = read_message(say("utter_ask_handoff_email", lang))
    assert (email.question, email.language, email.known) == ("email", lang, True)


def test_an_unknown_sentence_gets_the_detected_language():
    message = read_message({"text": "This sentence is not one of the assistant's responses."})
    assert (message.response, message.language, message.known) == (None, "en", False)


def test_own_words_in_order_then_the_last_again_then_gives_up():
    bot = ScriptedBot(
        [[NOTICE, say(ASK + "founders", "fr")]]
        + [[say("utter_invalid_screening_founders", "fr"), say(ASK + "founders", "fr")]] * 3
    )
    conversation = run_persona(persona(), bot)
    assert bot.received == [
        "une coop pour notre traiteur?",
        "on est 4 avec mes amies",
        "quatre en tout",
        "quatre en tout",
    ]
    assert conversation.ended_by == "gave_up"
    metrics = measure(persona(), conversation)
    assert (metrics.max_consecutive, metrics.questions_over_twice) == (4, 1)
    assert not metrics.outcome and metrics.notices == 1


@pytest.mark.parametrize(
    ("buttons", "sent"),
    [
        ("never", ["on est 4 avec mes amies", "quatre en tout"]),
        ("sometimes", ["on est 4 avec mes amies", '/choose{"choice": "4"}']),
        ("always", ['/choose{"choice": "4"}', '/choose{"choice": "4"}']),
    ],
)
def test_buttons_are_pressed_only_as_the_style_says(buttons, sent):
    bot = ScriptedBot([[say(ASK + "founders", "fr")], [say(ASK + "founders", "fr")], []])
    run_persona(persona(style={"buttons": buttons}), bot)
    assert bot.received[1:3] == sent


def test_without_words_of_its_own_the_persona_states_the_fact_plainly():
    bot = ScriptedBot([[say(ASK + "members", "fr")], [say(ASK + "capital", "en")], []])
    run_persona(persona(facts={"members": "workers", "capital_need": "low"}), bot)
    assert bot.received[1] == "Ce sont les personnes qui vont travailler dans l'entreprise."
    # Asked in English, it still writes in its own language unless it switched.
    assert bot.received[2] == "Pas beaucoup, moins de 50 000 $."


def test_an_event_happens_once_and_its_correction_changes_the_facts():
    twist = {"at": "members", "say": "en fait on serait 5", "correction": {"founders": 5}}
    bot = ScriptedBot([[say(ASK + "members", "fr")]] * 2 + [[say(ASK + "founders", "fr")], []])
    run_persona(persona(events=[twist], says={}), bot)
    assert bot.received[1:4] == [
        "en fait on serait 5",
        "Ce sont les personnes qui vont travailler dans l'entreprise.",
        "Nous sommes 5 en tout.",
    ]


def test_the_persona_asks_for_its_goal_again_then_gives_up():
    default = [say("utter_default", "fr")]
    bot = ScriptedBot([default] * 5)
    conversation = run_persona(persona(style={"buttons": "never"}), bot)
    assert bot.received[1:] == ["Je voudrais savoir si une coopérative convient à mon projet."] * 3
    assert conversation.ended_by == "gave_up"


def test_the_outcome_is_the_verdict_read_from_the_tracker():
    verdict = say("utter_screening_verdict_strong", "fr", coop_type="une coopérative de travail")
    slots = {"coop_fit": "strong", "recommended_coop_type": "travail"}
    conversation = run_persona(persona(), ScriptedBot([[NOTICE, verdict]], slots))
    assert conversation.ended_by == "done"
    assert measure(persona(), conversation).outcome
    wrong = run_persona(persona(), ScriptedBot([[NOTICE, verdict]], {"coop_fit": "weak"}))
    assert measure(persona(), wrong).why_not == ["verdict weak/None, expected strong/travail"]


def test_restarts_stops_wrong_language_and_repeated_notices_are_counted():
    script = [
        [NOTICE, say(ASK + "founders", "fr")],
        [say("utter_restart_done", "fr")],
        [NOTICE, say("utter_screening_intro", "en"), say(ASK + "founders", "en")],
        [say("utter_screening_stopped", "fr")],
        [],
    ]
    bot = ScriptedBot(script, events=[{"event": "restart"}])
    metrics = measure(persona(), run_persona(persona(), bot))
    assert (metrics.unintended_restarts, metrics.unintended_stops) == (1, 1)
    assert (metrics.wrong_language_turns, metrics.language_turns) == (1, 4)
    assert metrics.notices == 2 and metrics.notice_violation


def test_a_restart_the_persona_asked_for_is_not_counted():
    twist = {"at": "founders", "say": "on recommence", "intends": "restart"}
    script = [[say(ASK + "founders", "fr")], [say("utter_restart_done", "fr")], []]
    bot = ScriptedBot(script, events=[{"event": "restart"}])
    metrics = measure(persona(events=[twist]), run_persona(persona(events=[twist]), bot))
    assert metrics.unintended_restarts == 0


def test_handoff_consents_are_read_from_the_form_when_there_is_no_database():
    handoff = persona(
        goal="handoff",
        facts={
            "contact": {
                "consent_summary": True,
                "consent_transcript": False,
                "method": "email",
                "email": "a@example.org",
            }
        },
        expected={"handoff": {"consent_summary": True, "consent_transcript": False}},
    )
    consent = "utter_ask_handoff_form_handoff_consent_summary"
    done = say("utter_handoff_confirmed", "fr", reference="CP-1", organisation="X", days="3")
    events = [
        {"event": "slot", "name": "handoff_consent_summary", "value": "yes"},
        {"event": "slot", "name": "handoff_consent_transcript", "value": "no"},
    ]
    bot = ScriptedBot([[say(consent, "fr")], [done]], {"handoff_reference": "CP-1"}, events)
    conversation = run_persona(handoff, bot)
    assert bot.received[1] == "Oui."
    assert measure(handoff, conversation).outcome


@pytest.mark.parametrize(
    ("understood", "expected"),
    [
        ("- Les membres : les personnes qui y travaillent", "oui"),  # its own answer
        ("- Les membres : les personnes qui achètent ou utilisent ses services", "non"),
        (
            "- Les surplus : selon le travail de chacun\n- Les membres : les personnes qui y "
            "travaillent",
            "oui",
        ),
    ],
)
def test_what_was_understood_is_confirmed_only_when_it_is_the_personas_answer(understood, expected):
    readback = say("utter_ask_screening_form_screening_readback", "fr", readback=understood)
    bot = ScriptedBot([[NOTICE, readback]])
    run_persona(persona(says={"yes": ["oui"], "no": ["non"]}), bot)
    assert bot.received[1] == expected


def test_misread_screening_answers_are_counted_per_question():
    from tests.conversations.driver import Conversation
    from tests.conversations.metrics import _misread
    from tests.conversations.personas import load_set

    persona = next(p for p in load_set("dev") if p.wants_screening)
    facts = persona.final_facts()
    stored = {
        "coop_fit": "strong",
        "screening_founders": str(facts.founders),
        "screening_members": "users" if facts.members != "users" else "workers",
        "screening_control": facts.control,
        "screening_capital": "unsure" if facts.capital_need != "unsure" else "low",
        "screening_investors": facts.outside_investors,
        "screening_surplus": facts.surplus,
        "screening_governance": facts.governance_ready,
    }
    conversation = Conversation(persona.id, persona.lang, "s", slots=stored)
    assert _misread(persona, conversation) == ["members", "capital_need"]
    # No verdict, nothing to compare.
    assert _misread(persona, Conversation(persona.id, persona.lang, "s")) == []
