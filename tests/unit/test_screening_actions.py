"""The screening form's validators and verdict action, with tracker fixtures (no network)."""

import pytest
from rasa_sdk.events import SlotSet

from bot.actions import answer_question
from bot.actions.screening_form import ValidateScreeningForm
from bot.actions.screening_verdict import (
    ActionExplainScreeningQuestion,
    ActionResumeScreening,
    ActionStartScreening,
    ActionSubmitScreening,
)
from tests.conftest import make_tracker


@pytest.fixture(autouse=True)
def no_counting(monkeypatch):
    monkeypatch.setattr(answer_question, "_count_unanswered", lambda q, lang, topic=None: None)


@pytest.fixture
def validate(kb):
    """The form's validator of ``slot``, run on ``value`` (in French unless ``slots`` say)."""

    async def run(slot, value, text=None, slots=None, dispatcher=None):
        tracker = make_tracker(slots={"language": "fr", **(slots or {})}, text=text or str(value))
        method = getattr(ValidateScreeningForm(kb), f"validate_{slot}")
        return await method(value, dispatcher, tracker, {})

    return run


@pytest.mark.parametrize(
    ("slot", "value", "expected"),
    [
        ("screening_founders", "nous sommes 4 avec ma sœur", "4"),
        ("screening_founders", "I'm alone for now", "1"),
        ("screening_founders", "3", "3"),
        # "not sure" said of the people hoped for, or before a conclusion, keeps the number
        ("screening_founders", "we are about 6 but 2 are not sure yet, so count 4 for now", "4"),
        ("screening_founders", "on est 3, moi et mes 2 cousins, peut etre un 4e, c pas sur", "3"),
        ("screening_founders", "je sais pas encore", "unsure"),
        ("screening_members", "les personnes qui y travaillent", "workers"),
        ("screening_members", "workers", "workers"),
        ("screening_control", "one_member_one_vote", "one_member_one_vote"),
        ("screening_surplus", "selon le travail", "by_work"),
        ("screening_governance", "oui", "yes"),
        ("screening_region", "Sherbrooke", "05"),
        ("screening_region", "06", "06"),
        ("screening_sector", "alimentation", "alimentation"),
        ("screening_project", "Une épicerie de quartier", "Une épicerie de quartier"),
    ],
)
async def test_answers_understood(dispatcher, validate, slot, value, expected):
    result = await validate(slot, value, dispatcher=dispatcher)
    assert result[slot] == expected
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("value", "heard"),
    [
        ("on est 4 pour linstant", {"founders": 4}),
        ("we are 3 so far", {"founders": 3}),
        ("juste moi", None),  # one person: asked plainly later, never "you mentioned 1 people"
    ],
)
async def test_founders_counted_at_the_sector_question_are_not_the_sector(
    dispatcher, validate, value, heard
):
    result = await validate("screening_sector", value, dispatcher=dispatcher)
    assert result["screening_sector"] is None
    assert result["screening_heard"] == heard
    assert dispatcher.messages[-1]["response"] == "utter_invalid_screening_sector"


@pytest.mark.parametrize(
    ("value", "slots", "heard"),
    [
        (
            "une boulangerie à Sherbrooke, on est 4 amis",
            None,
            {"founders": 4, "region_code": "05", "place": "Sherbrooke"},
        ),
        # Said again in the form, the latest mention wins; what was heard before is kept.
        (
            "a cleaning company in Gatineau with my two cousins",
            {"screening_heard": {"founders": 5, "project": "cleaning"}},
            {"founders": 3, "project": "cleaning", "region_code": "07", "place": "Gatineau"},
        ),
        ("une épicerie de quartier pour les familles", None, None),
    ],
)
async def test_founders_and_place_in_a_project_described_in_the_form_are_heard(
    dispatcher, validate, value, slots, heard
):
    # Described again at the project question, they were asked again as if never said.
    result = await validate("screening_project", value, slots=slots, dispatcher=dispatcher)
    assert result["screening_project"] == value
    assert result.get("screening_heard") == heard
    assert dispatcher.messages == []


async def test_a_sector_in_words_is_still_taken_as_typed(dispatcher, validate):
    result = await validate(
        "screening_sector", "un resto pour nous 4 et nos familles", dispatcher=dispatcher
    )
    assert result["screening_sector"] == "un resto pour nous 4 et nos familles"


@pytest.mark.parametrize(
    ("slot", "value"),
    [
        ("screening_founders", "euh plein de monde peut-être"),
        ("screening_members", "blablabla"),
        ("screening_region", "Toronto"),
        ("screening_project", "oui"),
    ],
)
async def test_unclear_answers_are_refused_with_examples(dispatcher, validate, slot, value):
    result = await validate(slot, value, dispatcher=dispatcher)
    assert result[slot] is None
    assert dispatcher.messages[-1]["response"] == f"utter_invalid_{slot}"


async def test_a_question_is_not_an_answer_and_gets_answered(dispatcher, validate):
    result = await validate(
        "screening_members", "C'est quoi une coopérative de solidarité?", dispatcher=dispatcher
    )
    assert result["screening_members"] is None
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_screening_question_later"
    assert "utter_kb_answer" in responses


async def test_a_question_on_another_questions_subject_gets_that_subjects_entry(
    kb, dispatcher, validate
):
    # "what's a outside investor exactly?" at the control question got "no reliable answer"
    # (2026-12-05): the entry on the investors' question is the answer, not the control's.
    result = await validate(
        "screening_control",
        "what's a outside investor exactly?",
        slots={"language": "en"},
        dispatcher=dispatcher,
    )
    assert result["screening_control"] is None
    answers = [m for m in dispatcher.messages if m["response"] == "utter_kb_answer"]
    assert [m["answer"] for m in answers] == [kb.get("parts-privilegiees").text("short", "en")]


async def test_a_question_asked_back_a_second_time_is_answered_then_noted_not_sure(
    dispatcher, validate
):
    # "the tenants obviously... not sure, maybe the neighbours who help out too?" sent again and
    # again brought the question back four times (dev8).
    result = await validate(
        "screening_members",
        "the tenants obviously... not sure, maybe the neighbours on the street who help out too?",
        slots={"form_failures": {"screening_members?": 1}},
        dispatcher=dispatcher,
    )
    assert result["screening_members"] == "unsure"
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_screening_question_later"
    assert responses[-1] == "utter_screening_recorded_unsure"
    assert result["form_failures"] == {}


async def test_a_question_after_an_answer_not_read_is_answered_and_the_question_asked_again(
    dispatcher, validate
):
    # « ouais c ça » not read, then a question asked back: the question was noted unknown (a
    # fresh clone, 2026-12-05); a question is not an answer that could not be read.
    result = await validate(
        "screening_members",
        "c'est quoi une coopérative de solidarité?",
        slots={"form_failures": {"screening_members": 1}},
        dispatcher=dispatcher,
    )
    assert result["screening_members"] is None
    assert result["form_failures"] == {"screening_members": 1, "screening_members?": 1}
    responses = [m["response"] for m in dispatcher.messages]
    assert "utter_screening_recorded_unsure" not in responses
    # A second answer not read after that gives up: the question is asked at most three times.
    dispatcher.messages.clear()
    result = await validate(
        "screening_members",
        "bof",
        slots={"form_failures": result["form_failures"]},
        dispatcher=dispatcher,
    )
    assert result["screening_members"] == "unsure"
    assert result["form_failures"] == {}


async def test_a_correction_updates_the_earlier_answer(dispatcher, validate):
    result = await validate(
        "screening_members",
        "en fait on est 5",
        slots={"screening_founders": "4"},
        dispatcher=dispatcher,
    )
    assert result == {"screening_founders": "5", "screening_members": None}
    # Said back, so the person sees it was taken.
    (message,) = dispatcher.messages
    assert message["response"] == "utter_screening_understood"
    assert message["understood"] == "Les fondateurs : 5"


@pytest.mark.parametrize(
    ("text", "understood"),
    [
        ("actually we are 6", "Founders: 6"),
        (
            "actually the money needed is more like 200k",
            "Capital to start: medium ($50,000 to $500,000)",
        ),
    ],
)
async def test_a_correction_is_said_back_in_the_person_s_language(
    dispatcher, validate, text, understood
):
    result = await validate(
        "screening_surplus", text, slots={"language": "en"}, dispatcher=dispatcher
    )
    assert result["screening_surplus"] is None
    assert dispatcher.messages[-1]["understood"] == understood


async def test_typed_answers_are_kept_for_the_summary(dispatcher, validate):
    result = await validate("screening_founders", "on est trois", dispatcher=dispatcher)
    assert result["screening_typed"]["founders"] == "on est trois"


ANSWERS = {
    "screening_project": "Traiteur",
    "screening_sector": "alimentation",
    "screening_region": "06",
    "screening_founders": "4",
    "screening_members": "workers",
    "screening_control": "one_member_one_vote",
    "screening_capital": "low",
    "screening_investors": "none",
    "screening_surplus": "by_work",
    "screening_governance": "yes",
}


@pytest.mark.parametrize(
    ("changes", "fit", "coop_type"),
    [
        ({}, "strong", "travail"),
        ({"screening_founders": "2"}, "conditional", "travail"),
        ({"screening_members": "mix", "screening_founders": "5"}, "strong", "solidarite"),
        ({"screening_control": "proportional_to_capital"}, "weak", "none"),
        ({"screening_members": "unsure"}, "conditional", "none"),
    ],
)
async def test_submit_sets_the_verdict_slots(dispatcher, kb, changes, fit, coop_type):
    tracker = make_tracker(slots={"language": "en", **ANSWERS, **changes})
    events = await ActionSubmitScreening(kb).run(dispatcher, tracker, {})
    assert SlotSet("coop_fit", fit) in events
    assert SlotSet("recommended_coop_type", coop_type) in events
    summary = next(e["value"] for e in events if e["name"] == "screening_summary")
    assert summary["verdict"]["coop_fit"] == fit
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0].startswith(f"utter_screening_verdict_{fit}")
    assert responses[-1] == "utter_screening_notice"


async def test_start_again_clears_a_finished_screening(dispatcher, kb):
    tracker = make_tracker(slots={**ANSWERS, "coop_fit": "strong"})
    events = await ActionStartScreening(kb).run(dispatcher, tracker, {})
    assert SlotSet("screening_founders", None) in events and SlotSet("coop_fit", None) in events


async def test_resume_without_a_screening_says_so(dispatcher):
    assert await ActionResumeScreening().run(dispatcher, make_tracker(), {}) == []
    assert dispatcher.messages[0]["response"] == "utter_screening_nothing_to_resume"


async def test_explain_the_requested_question(dispatcher):
    tracker = make_tracker(slots={"requested_slot": "screening_control"})
    await ActionExplainScreeningQuestion().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_why_screening_control"


def _after_the_city_question(text):
    events = [
        {"event": "user", "text": "Québec"},
        {
            "event": "bot",
            "text": "…",
            "metadata": {"utter_action": "utter_screening_region_ambiguous"},
        },
        {"event": "user", "text": text},
    ]
    return make_tracker(
        slots={"language": "fr"},
        text=text,
        events=events,
        active_loop={"name": "screening_form"},
    )


async def test_quebec_alone_is_asked_about_once(dispatcher, validate):
    result = await validate("screening_region", "Québec", dispatcher=dispatcher)
    assert result["screening_region"] is None
    assert dispatcher.messages[-1]["response"] == "utter_screening_region_ambiguous"


async def test_a_city_named_beside_a_relative_area_is_that_city(dispatcher, validate):
    # "south shore" alone is Montréal's (Montérégie); beside Lévis it is Québec City's.
    result = await validate("screening_region", "Lévis, on the south shore.", dispatcher=dispatcher)
    assert result["screening_region"] == "12"


async def test_quebec_still_ambiguous_a_second_time_is_noted_not_sure(dispatcher, validate):
    slots = {"form_failures": {"screening_region": 1}}
    result = await validate("screening_region", "Québec", slots=slots, dispatcher=dispatcher)
    assert result["screening_region"] not in (None, "03")
    assert dispatcher.messages[-1]["response"] == "utter_screening_region_recorded_unsure"


@pytest.mark.parametrize("text", ["à Québec, dans Limoilou", "a Quebec"])
async def test_a_quebec_in_french_is_the_city(dispatcher, validate, text):
    result = await validate("screening_region", text, dispatcher=dispatcher)
    assert result["screening_region"] == "03"


@pytest.mark.parametrize("text", ["Québec", "oui", "yes"])
async def test_quebec_said_again_or_confirmed_after_the_question_is_the_city(dispatcher, kb, text):
    method = ValidateScreeningForm(kb).validate_screening_region
    result = await method(text, dispatcher, _after_the_city_question(text), {})
    assert result["screening_region"] == "03"
    assert dispatcher.messages == []


# --- answers read by meaning are confirmed before the verdict --------------------------------


class _Reader:
    """A meaning reader that reads every members answer as "the people who work in it"."""

    def read(self, question, text):
        from screening.understanding import Reading, prototypes

        if question != "members":
            return None
        return Reading("workers", prototypes()["members"]["workers"]["label"], 0.9, 0.05)


@pytest.fixture
def guessing(monkeypatch):
    from bot.actions import screening_form

    monkeypatch.setattr(screening_form, "meaning_reader", lambda: _Reader())


async def test_an_answer_read_by_meaning_awaits_confirmation(dispatcher, kb, validate, guessing):
    result = await validate("screening_members", "c'est nous qui bossons là", dispatcher=dispatcher)
    assert result["screening_members"] == "workers"
    assert result["screening_unconfirmed"] == ["screening_members"]
    tracker = make_tracker(slots={**ANSWERS, "screening_unconfirmed": ["screening_members"]})
    form = ValidateScreeningForm(kb)
    domain_slots = [*ANSWERS, "screening_readback"]
    required = await form.required_slots(domain_slots, dispatcher, tracker, {})
    assert required == domain_slots


async def test_an_answer_read_by_its_words_needs_no_confirmation(
    dispatcher, kb, validate, guessing
):
    result = await validate("screening_members", "les travailleurs", dispatcher=dispatcher)
    assert result["screening_members"] == "workers"
    assert result["screening_unconfirmed"] is None
    form = ValidateScreeningForm(kb)
    domain_slots = [*ANSWERS, "screening_readback"]
    required = await form.required_slots(domain_slots, dispatcher, make_tracker(ANSWERS), {})
    assert required == list(ANSWERS)


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_the_readback_says_what_was_understood(dispatcher, lang):
    from bot.actions.screening_form import ActionAskScreeningReadback

    slots = {**ANSWERS, "language": lang, "screening_unconfirmed": ["screening_members"]}
    await ActionAskScreeningReadback().run(dispatcher, make_tracker(slots=slots), {})
    message = dispatcher.messages[0]
    assert message["response"] == "utter_ask_screening_form_screening_readback"
    expected = {
        "fr": "- Les membres : les personnes qui y travaillent",
        "en": "- Members : the people who work in it",
    }[lang]
    assert message["readback"] == expected


def _at_readback(text, **slots):
    values = {
        **ANSWERS,
        "language": "fr",
        "requested_slot": "screening_readback",
        "screening_unconfirmed": ["screening_members", "screening_surplus"],
        **slots,
    }
    return make_tracker(slots=values, text=text)


@pytest.fixture
def readback(kb):
    """The read-back's validator, run on ``text`` with two guesses awaiting confirmation."""

    async def run(text, dispatcher, **slots):
        method = ValidateScreeningForm(kb).validate_screening_readback
        return await method(text, dispatcher, _at_readback(text, **slots), {})

    return run


@pytest.mark.parametrize("text", ["oui", "yes", "c'est ça", "exactly, that's right"])
async def test_a_yes_confirms_the_guesses(dispatcher, readback, text):
    result = await readback(text, dispatcher)
    assert result["screening_readback"] == "confirmed"
    assert result["screening_unconfirmed"] is None
    assert "screening_members" not in result


@pytest.mark.parametrize("text", ["non", "no", "c'est pas ça", "not right"])
async def test_a_no_asks_the_guessed_questions_again_once(dispatcher, readback, kb, text, guessing):
    result = await readback(text, dispatcher)
    assert result["screening_members"] is None and result["screening_surplus"] is None
    assert result["screening_readback"] == "corrected"
    assert dispatcher.messages[-1]["response"] == "utter_screening_readback_again"
    # Asked again and read by meaning again: no second read-back.
    tracker = make_tracker(
        slots={"language": "fr", "screening_readback": "corrected"}, text="on bosse là-dedans"
    )
    again = await ValidateScreeningForm(kb).validate_screening_members(
        "on bosse là-dedans", dispatcher, tracker, {}
    )
    assert again["screening_members"] == "workers"
    assert again["screening_unconfirmed"] is None


async def test_a_no_that_gives_the_answer_takes_it(dispatcher, readback):
    result = await readback(
        "non, c'est les employés qui veulent racheter la boîte",
        dispatcher,
        screening_unconfirmed=["screening_members", "screening_governance"],
    )
    assert result["screening_members"] == "employees_buying_in"
    assert result["screening_readback"] == "confirmed"
    assert "screening_governance" not in result  # the other guess stands


async def test_a_correction_at_the_readback_settles_that_answer(dispatcher, readback):
    result = await readback(
        "en fait les surplus selon le capital",
        dispatcher,
    )
    assert result["screening_surplus"] == "by_capital"
    assert result["screening_unconfirmed"] == ["screening_members"]
    assert result["screening_readback"] is None  # the members' guess is still to confirm


async def test_an_unreadable_readback_is_asked_once_more_then_kept(dispatcher, readback):
    first = await readback("hmm banane", dispatcher)
    assert first["screening_readback"] is None
    assert dispatcher.messages[-1]["response"] == "utter_invalid_screening_readback"
    second = await readback("hmm banane", dispatcher, form_failures=first["form_failures"])
    assert second["screening_readback"] == "confirmed"


async def test_start_again_clears_the_readback(dispatcher, kb):
    slots = {**ANSWERS, "coop_fit": "strong", "screening_readback": "confirmed"}
    events = await ActionStartScreening(kb).run(dispatcher, make_tracker(slots=slots), {})
    assert SlotSet("screening_readback", None) in events


async def test_why_at_the_readback_is_explained(dispatcher):
    tracker = make_tracker(slots={"requested_slot": "screening_readback"})
    await ActionExplainScreeningQuestion().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_why_screening_readback"


@pytest.mark.parametrize(
    ("lang", "place"), [("fr", "partout au Québec"), ("en", "anywhere in Quebec")]
)
async def test_organisations_without_a_region_are_introduced_in_the_person_s_language(
    dispatcher, kb, lang, place
):
    """The place shown when the region is unknown is the domain's text, not a French name."""
    from tests.domain_texts import responses

    tracker = make_tracker(slots={"language": lang, **ANSWERS, "screening_region": None})
    await ActionSubmitScreening(kb).run(dispatcher, tracker, {"responses": responses()})
    [shown] = [m for m in dispatcher.messages if m["response"] == "utter_screening_organisations"]
    assert shown["region"] == place


async def test_a_reading_without_a_label_is_said_back_in_the_persons_words(dispatcher):
    from bot.actions.screening_form import ActionAskScreeningReadback

    slots = {
        **ANSWERS,
        "language": "en",
        "screening_members": "no-such-code",
        "screening_typed": {"members": "us lot"},
        "screening_unconfirmed": ["screening_members"],
    }
    await ActionAskScreeningReadback().run(dispatcher, make_tracker(slots=slots), {})
    assert dispatcher.messages[0]["readback"] == "- Members : « us lot »"


def _after(responses, text="oui"):
    from rasa_sdk import Tracker

    events = [{"event": "user", "text": "une coop pour notre garage?"}]
    events += [{"event": "bot", "text": "…", "metadata": {"utter_action": r}} for r in responses]
    events.append({"event": "user", "text": text})
    return Tracker.from_dict(
        {
            "sender_id": "s",
            "slots": {"language": "fr"},
            "latest_message": {"text": text, "intent": {"name": "affirm"}, "entities": []},
            "events": events,
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


async def test_a_yes_as_a_first_message_gets_the_welcome(dispatcher, kb):
    from rasa_sdk import Tracker

    from bot.actions.screening_verdict import ActionAnswerYes

    tracker = Tracker.from_dict(
        {
            "sender_id": "s",
            "slots": {"language": "fr"},
            "latest_message": {"text": "👍", "intent": {"name": "affirm"}, "entities": []},
            "events": [{"event": "user", "text": "👍"}],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )
    await ActionAnswerYes(kb).run(dispatcher, tracker, {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_greet"]


@pytest.mark.parametrize(
    "before",
    [
        ["utter_crisis_intro", "utter_kb_answer", "utter_offer_human"],  # distress
        ["utter_kb_answer", "utter_offer_human"],  # a personal immigration question
    ],
)
async def test_a_typed_yes_to_a_person_offered_starts_the_handoff(dispatcher, kb, before):
    from rasa_sdk.events import FollowupAction, SlotSet

    from bot.actions.screening_verdict import ActionAnswerYes

    events = await ActionAnswerYes(kb).run(dispatcher, _after(before), {})
    assert FollowupAction("handoff_form") in events
    assert SlotSet("handoff_trigger", "sensitive_topic") in events
    assert [m["response"] for m in dispatcher.messages] == ["utter_handoff_explain"]


async def test_a_typed_yes_to_the_screening_offer_starts_it(dispatcher, kb):
    from rasa_sdk.events import FollowupAction

    from bot.actions.screening_verdict import ActionAnswerYes

    events = await ActionAnswerYes(kb).run(
        dispatcher, _after(["utter_kb_answer", "utter_offer_screening"]), {}
    )
    assert FollowupAction("screening_form") in events
    assert dispatcher.messages[0]["response"] == "utter_screening_intro"


async def test_a_yes_to_anything_else_asks_what_next(dispatcher, kb):
    from bot.actions.screening_verdict import ActionAnswerYes

    assert await ActionAnswerYes(kb).run(dispatcher, _after(["utter_kb_answer"]), {}) == []
    assert dispatcher.messages[0]["response"] == "utter_what_next"


@pytest.mark.parametrize("previous", ["utter_what_next", "utter_what_next_choices"])
async def test_a_yes_to_what_next_spells_out_the_choices(dispatcher, kb, previous):
    from bot.actions.screening_verdict import ActionAnswerYes

    assert await ActionAnswerYes(kb).run(dispatcher, _after([previous]), {}) == []
    assert dispatcher.messages[0]["response"] == "utter_what_next_choices"


def _said(*texts):
    tracker = make_tracker(slots={"language": "en"})
    tracker.events = [{"event": "user", "text": t} for t in texts]
    return tracker


@pytest.mark.parametrize(
    ("texts", "founders"),
    [
        (["me and 4 coworkers want to open a bakery"], 5),
        (["on est 3 associés pour un garage à Laval"], 3),
        # A number not said of people, or one person, is not a number of founders to confirm.
        (["hi. is there a real person i can talk to? about our bubble tea shop as coop"], None),
        (["I have 2 questions about co-ops"], None),
        (["I have 2 or 3 questions about co-ops"], None),
        (["we are 4 or 5 friends opening a bakery"], 4),
        (["je suis seule pour l'instant"], None),
    ],
)
def test_founders_heard_before_the_form_are_said_of_people(kb, texts, founders):
    from bot.actions.screening_verdict import heard_facts

    assert heard_facts(_said(*texts), kb).get("founders") == founders


@pytest.mark.parametrize(
    "text",
    [
        "sorry can we start over please, I got confused with my friend's project",
        "attendez, on peut recommencer? je me suis mélangée avec le projet de mon amie",
    ],
)
async def test_an_unread_answer_that_asks_to_start_over_is_offered_it(dispatcher, validate, text):
    result = await validate("screening_investors", text, dispatcher=dispatcher)
    assert result["screening_investors"] is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_screening_restart_check"]
    # Not a failure: the question is not given up on because of it.
    from bot.actions import form_failures

    assert form_failures.SLOT not in result


async def test_an_unread_answer_without_a_restart_is_asked_again(dispatcher, validate):
    result = await validate("screening_investors", "blue elephants", dispatcher=dispatcher)
    assert result["screening_investors"] is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_invalid_screening_investors"]


@pytest.mark.parametrize(
    "text", ["what do you mean by surplus?", "c'est quoi au juste, des surplus?"]
)
async def test_a_question_asked_back_is_answered_on_the_question_s_subject(
    dispatcher, validate, text
):
    result = await validate("screening_surplus", text, dispatcher=dispatcher)
    assert result["screening_surplus"] is None
    responses = [m["response"] for m in dispatcher.messages]
    assert responses == ["utter_screening_question_later", "utter_kb_answer"]
    assert "ristourne" in str(dispatcher.messages[1]).lower()


@pytest.mark.parametrize(
    "text",
    [
        "c quoi la différence entre les deux au juste?",
        "what do you mean, the two?",
    ],
)
async def test_a_question_that_points_at_the_question_gets_its_entry(dispatcher, validate, text):
    # Was answered with unrelated suggestions (SENC, OBNL) during the control question.
    result = await validate("screening_control", text, dispatcher=dispatcher)
    assert result["screening_control"] is None
    responses = [m["response"] for m in dispatcher.messages]
    assert responses == ["utter_screening_question_later", "utter_kb_answer"]
    assert "vote" in str(dispatcher.messages[1]).lower()


async def test_a_question_on_another_subject_is_not_answered_with_the_question_s_entry(
    dispatcher, validate
):
    result = await validate("screening_surplus", "how do I bake bread?", dispatcher=dispatcher)
    assert result["screening_surplus"] is None
    assert "utter_kb_answer" not in [m["response"] for m in dispatcher.messages]


def test_every_question_s_subject_entry_exists(kb):
    from bot.actions.screening_form import SLOT_FIELDS
    from screening.lexicon import lexicon

    entries = lexicon().question_entries
    assert set(entries) <= set(SLOT_FIELDS.values())
    assert all(entry_id in kb for entry_id in entries.values())


@pytest.mark.parametrize(
    ("place", "said"), [("montreal nord", "Montreal Nord"), ("Côte-des-Neiges", "Côte-des-Neiges")]
)
async def test_a_place_heard_is_said_back_as_a_name(dispatcher, place, said):
    from bot.actions.screening_form import ActionAskScreeningRegion

    tracker = make_tracker(slots={"language": "fr", "screening_heard": {"place": place}})
    await ActionAskScreeningRegion().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_screening_confirm_region"
    assert dispatcher.messages[0]["place"] == said


async def test_the_place_is_not_asked_again_right_after_do_you_mean_quebec_city(dispatcher):
    # "Do you mean Québec City? If not, give your city's name." was followed by "In which city
    # or region…?" in the same turn.
    from bot.actions.screening_form import ActionAskScreeningRegion

    tracker = make_tracker(slots={"language": "fr"})
    bot = {"event": "bot", "metadata": {"utter_action": "utter_screening_region_ambiguous"}}
    tracker.events = [{"event": "user", "text": "Québec"}, bot]
    assert await ActionAskScreeningRegion().run(dispatcher, tracker, {}) == []
    assert dispatcher.messages == []
    tracker.events = [*tracker.events, {"event": "user", "text": "euh"}]  # a later turn: asked
    await ActionAskScreeningRegion().run(dispatcher, tracker, {})
    assert dispatcher.messages[0]["response"] == "utter_ask_screening_form_screening_region"


@pytest.mark.parametrize(
    ("slot", "text", "code"),
    [
        ("screening_capital", "desks, internet, first months of rent... around 25k?", "low"),
        ("screening_founders", "4?", "4"),
        ("screening_members", "les employés?", "workers"),
    ],
)
async def test_an_answer_said_with_a_question_mark_is_taken_and_said_back(
    dispatcher, validate, slot, text, code
):
    result = await validate(slot, text, dispatcher=dispatcher)
    assert result[slot] == code
    responses = [m["response"] for m in dispatcher.messages]
    assert responses == ["utter_screening_understood"]
    assert dispatcher.messages[0]["understood"]


async def test_a_question_with_a_number_in_it_is_still_a_question(dispatcher, validate):
    result = await validate("screening_founders", "on est 4, c'est assez ?", dispatcher=dispatcher)
    assert result["screening_founders"] is None
    assert dispatcher.messages[0]["response"] == "utter_screening_question_later"


@pytest.mark.parametrize(
    ("texts", "project"),
    [
        # The project inside the question about fit: not the question said back.
        (["would a co-op make sense for a hair salon?"], "a hair salon"),
        (
            ["on est 4 coiffeuses à Laval, on veut ouvrir un salon en coop", "oui"],
            "on est 4 coiffeuses à Laval, on veut ouvrir un salon en coop",
        ),
        # The greeting and the question about fit are not the project.
        (
            [
                "Hey! We're 4 newcomers in Québec City and we want to start a bike repair shop. "
                "Should we set up as a co-op?"
            ],
            "We're 4 newcomers in Québec City and we want to start a bike repair shop.",
        ),
        # A request naming the project after its description: the description (dev10 en-177,
        # dev8 fr-148); a request alone is still heard.
        (
            [
                "me and my brother and 2 cousin we fix cars, we want open garage in laval. coop "
                "can work for this or no?",
                "i ask if coop is good for our garage, can you check?",
            ],
            "me and my brother and 2 cousin we fix cars, we want open garage in laval.",
        ),
        (
            [
                "Salut, mes chums pis moi on veut ouvrir un resto. Une coop, ça vaut-tu la peine?",
                "peux-tu checker si une coop marche pour notre resto?",
            ],
            "mes chums pis moi on veut ouvrir un resto.",
        ),
        # Saying there is a project is not saying what it is.
        (["I want to start a co-op, would that work?"], None),
        (["Bonjour, est-ce qu'une coop serait une bonne idée pour nous?"], None),
        (["Can you check if a co-op fits my project?"], None),
        (["c'est quoi une coop de travail?"], None),
    ],
)
def test_a_project_described_before_the_form_is_heard(kb, texts, project):
    from bot.actions.screening_verdict import heard_facts

    assert heard_facts(_said(*texts), kb).get("project") == project


HEARD = {"screening_heard": {"project": "un salon de coiffure avec deux amies à Laval"}}


async def test_a_project_heard_is_confirmed_instead_of_asked(dispatcher):
    from bot.actions.screening_form import ActionAskScreeningProject

    tracker = make_tracker(slots={"language": "fr", **HEARD})
    await ActionAskScreeningProject().run(dispatcher, tracker, {})
    (message,) = dispatcher.messages
    assert message["response"] == "utter_screening_confirm_project"
    assert message["project"] == "un salon de coiffure avec deux amies à Laval"


async def test_without_a_project_heard_the_question_is_asked(dispatcher):
    from bot.actions.screening_form import ActionAskScreeningProject

    await ActionAskScreeningProject().run(dispatcher, make_tracker(slots={"language": "en"}), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_screening_form_screening_project"


@pytest.mark.parametrize("answer", ["oui", "yes, that's right", "heard", "oui c'est ça"])
async def test_a_yes_keeps_the_project_heard(dispatcher, validate, answer):
    result = await validate("screening_project", answer, slots=HEARD, dispatcher=dispatcher)
    assert result["screening_project"] == "un salon de coiffure avec deux amies à Laval"
    assert result["screening_typed"]["project"] == "un salon de coiffure avec deux amies à Laval"
    assert dispatcher.messages == []


async def test_a_no_asks_for_the_project_plainly(dispatcher, validate):
    from bot.actions import form_failures
    from bot.actions.screening_form import ActionAskScreeningProject

    result = await validate("screening_project", "non", slots=HEARD, dispatcher=dispatcher)
    assert result["screening_project"] is None
    assert dispatcher.messages == []
    # The question comes back as the plain question, not the confirmation again.
    tracker = make_tracker(slots={"language": "fr", **HEARD, **result})
    assert form_failures.failures(tracker, "screening_project") == 1
    await ActionAskScreeningProject().run(dispatcher, tracker, {})
    assert dispatcher.messages[-1]["response"] == "utter_ask_screening_form_screening_project"


async def test_a_longer_reply_to_the_confirmation_is_the_description(dispatcher, validate):
    text = "no, it's a bakery with my two cousins"
    result = await validate("screening_project", text, slots=HEARD, dispatcher=dispatcher)
    assert result["screening_project"] == text


def test_a_long_project_is_said_back_cut_between_words():
    from bot.actions.screening_form import SAID_BACK_LENGTH, said_back

    text = "une coopérative de travail " * 20
    short = said_back(text)
    assert len(short) <= SAID_BACK_LENGTH + 1 and short.endswith("…")
    assert short[:-1] == short[:-1].rstrip() and text.startswith(short[:-1])
