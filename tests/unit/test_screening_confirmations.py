"""What the person already said is confirmed, not asked again: after a question asked back, after
an answer that is no place, and for the sector a project's description names."""

import pytest

from bot.actions import answer_question, form_failures
from bot.actions.screening_form import (
    ActionAskScreeningFounders,
    ActionAskScreeningProject,
    ActionAskScreeningRegion,
    ActionAskScreeningSector,
    ValidateScreeningForm,
)
from tests.conftest import make_tracker

PROJECT = "une coop de traiteur avec deux amies"
HEARD = {
    "project": PROJECT,
    "founders": 3,
    "place": "Laval",
    "region_code": "13",
}


@pytest.fixture(autouse=True)
def no_counting(monkeypatch):
    monkeypatch.setattr(answer_question, "_count_unanswered", lambda q, lang, topic=None: None)


def tracker(text="", slots=None, previous=(), this_turn=()):
    """A French tracker at the screening form: ``previous`` are the responses of the turn before
    ``text``, ``this_turn`` those already sent after it."""

    def bot(name):
        return {"event": "bot", "text": "…", "metadata": {"utter_action": name}}

    events = [
        {"event": "user", "text": "avant"},
        *map(bot, previous),
        {"event": "user", "text": text},
        *map(bot, this_turn),
    ]
    return make_tracker(
        slots={"language": "fr", **(slots or {})},
        text=text,
        events=events,
        active_loop={"name": "screening_form"},
    )


async def validate(kb, dispatcher, slot, text, **kwargs):
    method = getattr(ValidateScreeningForm(kb), f"validate_{slot}")
    return await method(text, dispatcher, tracker(text, **kwargs), {})


async def asked(action, dispatcher, **kwargs):
    await action().run(dispatcher, tracker(**kwargs), {})
    return dispatcher.messages[-1]["response"]


# After a question asked back ("c'est quoi une coop de solidarité?"), the answer and then the same
# confirmation: not the plain question, which drops what the person said.
@pytest.mark.parametrize(
    ("action", "slot", "confirmation"),
    [
        (ActionAskScreeningProject, "screening_project", "utter_screening_confirm_project"),
        (ActionAskScreeningFounders, "screening_founders", "utter_screening_confirm_founders"),
        (ActionAskScreeningRegion, "screening_region", "utter_screening_confirm_region"),
    ],
)
async def test_a_question_asked_back_then_the_same_confirmation(
    dispatcher, action, slot, confirmation
):
    slots = {"screening_heard": HEARD, "form_failures": {slot: 1}}
    said = await asked(
        action, dispatcher, slots=slots, this_turn=["utter_screening_question_later"]
    )
    assert said == confirmation


async def test_after_a_no_the_project_is_asked_plainly(dispatcher):
    slots = {"screening_heard": HEARD, "form_failures": {"screening_project": 1}}
    said = await asked(ActionAskScreeningProject, dispatcher, slots=slots)
    assert said == "utter_ask_screening_form_screening_project"


@pytest.mark.parametrize("text", ["oui", "heard", "oui c'est ça"])
async def test_a_yes_to_the_confirmation_asked_again_keeps_the_project(kb, dispatcher, text):
    slots = {"screening_heard": HEARD, "form_failures": {"screening_project": 1}}
    previous = ["utter_screening_question_later", "utter_screening_confirm_project"]
    result = await validate(
        kb, dispatcher, "screening_project", text, slots=slots, previous=previous
    )
    assert result["screening_project"] == PROJECT
    assert dispatcher.messages == []


async def test_a_yes_after_the_plain_question_is_not_the_project_heard(kb, dispatcher):
    # Asked plainly after a "no": a short answer is the description, not a confirmation.
    slots = {"screening_heard": HEARD, "form_failures": {"screening_project": 1}}
    previous = ["utter_ask_screening_form_screening_project"]
    text = "un dépanneur"
    result = await validate(
        kb, dispatcher, "screening_project", text, slots=slots, previous=previous
    )
    assert result["screening_project"] == text


# The place's confirmation ("Vous avez parlé de Laval. Le projet se ferait bien là?").
async def test_an_answer_that_is_no_place_gets_the_confirmation_again(kb, dispatcher):
    slots = {"screening_heard": HEARD}
    result = await validate(kb, dispatcher, "screening_region", "une personne un vote", slots=slots)
    assert result["screening_region"] is None
    assert dispatcher.messages[-1]["response"] == "utter_invalid_screening_region"
    failures = {"form_failures": result["form_failures"]}
    said = await asked(ActionAskScreeningRegion, dispatcher, slots={**slots, **failures})
    assert said == "utter_screening_confirm_region"


@pytest.mark.parametrize("text", ["non", "no", "non, pas là"])
async def test_a_no_forgets_the_place_and_asks_plainly(kb, dispatcher, text):
    result = await validate(
        kb, dispatcher, "screening_region", text, slots={"screening_heard": HEARD}
    )
    assert result["screening_region"] is None
    assert "place" not in result["screening_heard"]
    assert "region_code" not in result["screening_heard"]
    assert result["screening_heard"]["founders"] == 3
    assert "form_failures" not in result  # not counted: the question is new
    assert dispatcher.messages == []
    said = await asked(ActionAskScreeningRegion, dispatcher, slots=result)
    assert said == "utter_ask_screening_form_screening_region"


async def test_a_no_that_names_the_place_takes_it(kb, dispatcher):
    text = "non, à Sherbrooke"
    result = await validate(
        kb, dispatcher, "screening_region", text, slots={"screening_heard": HEARD}
    )
    assert result["screening_region"] == "05"


@pytest.mark.parametrize(("text", "founders"), [("we are 4", 4), ("on est 5 pour l'instant", 5)])
async def test_founders_counted_at_the_place_question_are_heard(kb, dispatcher, text, founders):
    result = await validate(
        kb, dispatcher, "screening_region", text, slots={"screening_heard": HEARD}
    )
    assert result["screening_region"] is None
    assert result["screening_heard"]["founders"] == founders
    assert result["screening_heard"]["place"] == "Laval"  # still to confirm


async def test_a_place_not_known_after_two_tries_says_how_to_give_it_later(kb, dispatcher):
    slots = {"form_failures": {"screening_region": 1}}
    result = await validate(kb, dispatcher, "screening_region", "bof", slots=slots)
    assert result["screening_region"] == "unknown"
    assert dispatcher.messages[-1]["response"] == "utter_screening_region_recorded_unsure"


# "actually, it's in Sherbrooke" at a later question: the place, and the question asked again.
@pytest.mark.parametrize(
    ("slot", "text", "region"),
    [
        ("screening_members", "en fait, c'est à Sherbrooke", "05"),
        ("screening_founders", "actually it's in Gatineau", "07"),
        ("screening_capital", "oups, finalement ce sera à Rimouski", "01"),
    ],
)
async def test_a_place_given_later_as_a_correction_is_taken(kb, dispatcher, slot, text, region):
    slots = {"screening_region": "unknown"}
    result = await validate(kb, dispatcher, slot, text, slots=slots)
    assert result["screening_region"] == region
    assert result["region"] == region
    assert result[slot] is None
    assert result["screening_typed"]["region_code"] == text
    (message,) = dispatcher.messages  # said back: the person sees it was understood
    assert message["response"] == "utter_screening_understood"
    assert text.split()[-1] in message["understood"]


@pytest.mark.parametrize(
    ("slot", "text", "slots"),
    [
        # The answer to the question asked, with a place in it.
        ("screening_members", "en fait, les travailleurs de Laval", {"screening_region": "13"}),
        # No correction word.
        ("screening_members", "les gens de Sherbrooke", {"screening_region": "unknown"}),
        # Before the place's question: the description's place is confirmed there.
        ("screening_project", "plutôt un café à Sherbrooke", {}),
    ],
)
async def test_a_place_in_an_answer_is_no_correction(kb, dispatcher, slot, text, slots):
    result = await validate(kb, dispatcher, slot, text, slots=slots)
    assert "region" not in result
    assert result.get("screening_region", slots.get("screening_region")) == slots.get(
        "screening_region"
    )


# The sector a description names is offered to confirm.
async def test_the_sector_a_description_names_is_confirmed(dispatcher):
    slots = {"screening_project": PROJECT}
    await ActionAskScreeningSector().run(dispatcher, tracker(slots=slots), {})
    (message,) = dispatcher.messages
    assert message["response"] == "utter_screening_confirm_sector"
    assert message["sector"] == "Alimentation, restauration"


async def test_the_sector_is_said_in_the_person_s_language(dispatcher):
    slots = {"screening_project": "we want to open a bakery", "language": "en"}
    await ActionAskScreeningSector().run(dispatcher, tracker(slots=slots), {})
    assert dispatcher.messages[0]["sector"] == "Food, restaurants"


@pytest.mark.parametrize("project", ["une coop avec des amies", "a café and a bookstore", None])
async def test_without_one_sector_named_it_is_asked(dispatcher, project):
    said = await asked(ActionAskScreeningSector, dispatcher, slots={"screening_project": project})
    assert said == "utter_ask_screening_form_screening_sector"


@pytest.mark.parametrize("text", ["oui", "heard", "yes that's right"])
async def test_a_yes_takes_the_sector_named(kb, dispatcher, text):
    slots = {"screening_project": PROJECT}
    previous = ["utter_screening_confirm_sector"]
    result = await validate(
        kb, dispatcher, "screening_sector", text, slots=slots, previous=previous
    )
    assert result["screening_sector"] == "alimentation"
    assert dispatcher.messages == []


async def test_a_no_asks_for_the_sector_plainly(kb, dispatcher):
    slots = {"screening_project": PROJECT}
    previous = ["utter_screening_confirm_sector"]
    result = await validate(
        kb, dispatcher, "screening_sector", "non", slots=slots, previous=previous
    )
    assert result["screening_sector"] is None
    assert form_failures.failures(tracker(slots=result), "screening_sector") == 1
    said = await asked(ActionAskScreeningSector, dispatcher, slots={**slots, **result})
    assert said == "utter_ask_screening_form_screening_sector"


@pytest.mark.parametrize(("text", "sector"), [("commerce", "commerce"), ("un resto", "un resto")])
async def test_another_sector_at_the_confirmation_is_taken(kb, dispatcher, text, sector):
    slots = {"screening_project": PROJECT}
    previous = ["utter_screening_confirm_sector"]
    result = await validate(
        kb, dispatcher, "screening_sector", text, slots=slots, previous=previous
    )
    assert result["screening_sector"] == sector


@pytest.mark.parametrize("text", ["yes", "oui", "no", "yes correct"])
async def test_a_yes_or_no_to_the_plain_sector_question_is_no_sector(kb, dispatcher, text):
    # "yes" after three confirmations in a row was noted as the sector (2026-12-05).
    result = await validate(kb, dispatcher, "screening_sector", text, slots={})
    assert result["screening_sector"] is None
    assert dispatcher.messages[-1]["response"] == "utter_invalid_screening_sector"


async def test_a_stale_confirmation_button_is_no_sector(kb, dispatcher):
    result = await validate(kb, dispatcher, "screening_sector", "heard", slots={})
    assert result["screening_sector"] is None
    assert dispatcher.messages[-1]["response"] == "utter_invalid_screening_sector"


async def test_a_sector_not_read_twice_is_noted_other(kb, dispatcher):
    slots = {"form_failures": {"screening_sector": 1}}
    result = await validate(kb, dispatcher, "screening_sector", "ok", slots=slots)
    assert result["screening_sector"] == "autre"
    assert dispatcher.messages[-1]["response"] == "utter_screening_sector_recorded_unsure"


@pytest.mark.parametrize("text", ["no", "non", "nope"])
async def test_a_no_to_the_founders_heard_asks_plainly(kb, dispatcher, text):
    slots = {"screening_heard": HEARD}
    result = await validate(kb, dispatcher, "screening_founders", text, slots=slots)
    assert result["screening_founders"] is None
    assert "founders" not in result["screening_heard"]
    assert "form_failures" not in result
    assert dispatcher.messages == []
    said = await asked(ActionAskScreeningFounders, dispatcher, slots=result)
    assert said == "utter_ask_screening_form_screening_founders"


async def test_a_no_with_the_number_takes_the_number(kb, dispatcher):
    slots = {"screening_heard": HEARD}
    result = await validate(kb, dispatcher, "screening_founders", "non, 4", slots=slots)
    assert result["screening_founders"] == "4"


@pytest.mark.parametrize(
    ("text", "before"),
    [
        ("bof", "screening_region"),  # a second answer not read
        ("c'est quoi une coop de solidarité?", "screening_region?"),  # a second question back
    ],
)
async def test_a_place_heard_is_kept_when_the_answer_is_not_read_twice(
    kb, dispatcher, text, before
):
    slots = {"screening_heard": HEARD, "form_failures": {before: 1}}
    result = await validate(kb, dispatcher, "screening_region", text, slots=slots)
    assert (result["screening_region"], result["region"]) == ("13", "13")
    assert result["screening_typed"]["region_code"] == "Laval"
    kept = [m for m in dispatcher.messages if m["response"] == "utter_screening_region_kept_heard"]
    assert kept[0]["place"] == "Laval"


@pytest.mark.parametrize("text", ["c bon", "c'est bon", "exact", "oui", "ok"])
async def test_a_short_yes_in_other_words_confirms(kb, dispatcher, text):
    result = await validate(
        kb, dispatcher, "screening_region", text, slots={"screening_heard": HEARD}
    )
    assert result["screening_region"] == "13"


async def test_a_place_named_with_a_yes_is_that_place(kb, dispatcher):
    text = "Sherbrooke c'est bon"
    result = await validate(
        kb, dispatcher, "screening_region", text, slots={"screening_heard": HEARD}
    )
    assert result["screening_region"] == "05"


# An answer to a question not asked yet, given early: taken, said back, this question again.
@pytest.mark.parametrize(
    ("slot", "text", "early", "code"),
    [
        ("screening_members", "each one vote", "screening_control", "one_member_one_vote"),
        ("screening_members", "une personne un vote", "screening_control", "one_member_one_vote"),
        ("screening_control", "we split by hours worked", "screening_surplus", "by_work"),
        ("screening_capital", "no outside investors", "screening_investors", "none"),
    ],
)
async def test_an_answer_given_early_is_taken_and_the_question_asked_again(
    kb, dispatcher, slot, text, early, code
):
    result = await validate(kb, dispatcher, slot, text)
    assert result[early] == code
    assert result[slot] is None
    assert "form_failures" not in result  # answered, only early: not counted as unread
    assert result["screening_typed"]
    (message,) = dispatcher.messages
    assert message["response"] == "utter_screening_understood"


@pytest.mark.parametrize("text", ["on réinvestit tout", "we reinvest everything"])
async def test_words_of_a_later_question_are_not_read_by_meaning_as_this_ones(kb, dispatcher, text):
    # « on réinvestit tout » to the control question was read by meaning as control in proportion
    # to capital (dev conversations, 2026-12-05): it speaks of the surplus; asked again instead.
    result = await validate(kb, dispatcher, "screening_control", text)
    assert result["screening_control"] is None
    assert [m["response"] for m in dispatcher.messages] == ["utter_invalid_screening_control"]


async def test_an_early_answer_to_a_question_already_answered_is_not_taken_again(kb, dispatcher):
    slots = {"screening_control": "proportional_to_capital"}
    result = await validate(kb, dispatcher, "screening_members", "each one vote", slots=slots)
    # Nor as the investors' answer its words also read ("vote": investors who want control).
    assert "screening_control" not in result and "screening_investors" not in result


async def test_an_earlier_question_is_not_answered_from_a_later_one(kb, dispatcher):
    # At the surplus question, words of the members question do not set the members.
    result = await validate(kb, dispatcher, "screening_surplus", "les travailleuses")
    assert "screening_members" not in result
