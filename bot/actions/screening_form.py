"""Validation of the screening form: free text or quick replies in, answer codes out.

Validators understand answers with screening.parsing, refuse questions (a question typed instead
of an answer is answered from the knowledge base, then the form asks again), and accept a
correction of an earlier answer ("en fait on est 5") at any step.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions import form_failures
from bot.actions.answer_question import answer_from_knowledge_base, answer_language
from bot.actions.errors import log_failure
from bot.actions.kb_provider import UsesKnowledgeBase
from bot.actions.texts import previous_bot_responses, this_turn_bot_responses
from knowledge_base.gazetteer import CITY_OF_QUEBEC, RegionMatch
from screening import parsing
from screening.answers import REGION_CODES, SECTORS
from screening.counting import counts_people_only
from screening.texts import load_texts
from screening.texts import text as screening_text
from screening.understanding import MeaningReader, prototypes

logger = logging.getLogger(__name__)

# Slot of the form -> field of screening.Answers.
SLOT_FIELDS = {
    "screening_project": "project",
    "screening_sector": "sector",
    "screening_region": "region_code",
    "screening_founders": "founders",
    "screening_members": "members",
    "screening_control": "control",
    "screening_capital": "capital_need",
    "screening_investors": "outside_investors",
    "screening_surplus": "surplus",
    "screening_governance": "governance_ready",
}
FIELD_SLOTS = {field: slot for slot, field in SLOT_FIELDS.items()}
CHOICE_PARSERS = {
    "screening_members": parsing.parse_members,
    "screening_control": parsing.parse_control,
    "screening_capital": parsing.parse_capital,
    "screening_investors": parsing.parse_investors,
    "screening_surplus": parsing.parse_surplus,
    "screening_governance": parsing.parse_governance,
}
# Questions whose answer, given early at another question ("one person one vote" to "who would
# the members be?"), is taken by its words: not the yes or no of governance, not the amounts.
EARLY_ANSWERS = (
    "screening_members",
    "screening_control",
    "screening_investors",
    "screening_surplus",
)
MIN_PROJECT_WORDS = 2
# Characters of an answer kept as typed (the project's description, the summary's typed answers).
ANSWER_LENGTH = 300
# A yes or a no to "is that your project?" in at most this many words; a longer reply is read as
# the description ("no, it's a bakery with my two cousins").
SHORT_REPLY_WORDS = 4
# What a question's slot holds when the person could not answer it (two unreadable answers, or
# "I don't know" for the number of founders or the place): the rules read it as not answered.
NOT_SURE = "unsure"
UNKNOWN_PLACE = "unknown"
SAFE_ANSWERS = {
    **dict.fromkeys(CHOICE_PARSERS, NOT_SURE),
    "screening_founders": NOT_SURE,
    "screening_region": UNKNOWN_PLACE,
    "screening_sector": "autre",
}
# Answers read by their meaning are guesses: they are listed in UNCONFIRMED and said back in one
# question (READBACK) at the end of the form, before the verdict depends on them.
READBACK = "screening_readback"
UNCONFIRMED = "screening_unconfirmed"
_READER: MeaningReader | None = None
_READER_LOCK = threading.Lock()


def meaning_reader() -> MeaningReader | None:
    """Reads answers by meaning with the knowledge base's sentence encoder (None without one)."""
    global _READER
    with _READER_LOCK:
        if _READER is None:
            from knowledge_base.encoder import shared_encoder

            encoder = shared_encoder()
            if encoder is None:
                return None
            _READER = MeaningReader(encoder)
        return _READER


def _typed(tracker: Tracker, slot: str, value: Any) -> dict[str, Any]:
    """Answers as the user typed them, kept beside the codes for the screening summary."""
    typed = dict(tracker.get_slot("screening_typed") or {})
    text = (tracker.latest_message or {}).get("text") or ""
    if not text.startswith("/"):
        typed[SLOT_FIELDS[slot]] = text[:ANSWER_LENGTH]
    return {slot: value, "screening_typed": typed}


def _asked_back(tracker: Tracker) -> bool:
    """A question asked instead of the answer was answered this turn: the form asks again as it
    asked before (a confirmation stays a confirmation)."""
    return "utter_screening_question_later" in this_turn_bot_responses(tracker)


def _recorded_unsure(dispatcher: CollectingDispatcher, slot: str) -> None:
    """Says that the question's safe answer was noted, and how to change it where that works."""
    own = {
        "screening_region": "utter_screening_region_recorded_unsure",
        "screening_sector": "utter_screening_sector_recorded_unsure",
    }
    dispatcher.utter_message(response=own.get(slot, "utter_screening_recorded_unsure"))


def _place_said(place: str) -> str:
    """A place as said back: "montreal" typed in lower case becomes "Montreal"."""
    return place.title() if place.islower() else place


def _without(heard: dict[str, Any], *names: str) -> dict[str, Any] | None:
    """What was heard, less what the person said is not right (the place, the founders)."""
    left = {k: v for k, v in heard.items() if k not in names}
    return left or None


def sector_heard(tracker: Tracker) -> str | None:
    """The sector the project's description names (« une coop de traiteur »), to confirm."""
    return parsing.sector_of_project(str(tracker.get_slot("screening_project") or ""))


# A yes in other words than the governance question's ("c bon", « exact ») is taken from replies
# this short: a longer one may name something else ("Laval c'est bon").
SHORT_YES_WORDS = 2


def _confirms(text: str) -> bool:
    """A yes to "you mentioned 5 people, is that right?" (the button sends "heard")."""
    if text == "heard" or parsing.parse_governance(text) == "yes":
        return True
    return len(text.split()) <= SHORT_YES_WORDS and parsing.parse_readback(text) == "yes"


def _denies(text: str) -> bool:
    """A short no to such a confirmation ("non", "no, not that"); a longer reply is an answer."""
    return len(text.split()) <= SHORT_REPLY_WORDS and parsing.parse_readback(text) == "no"


# A project heard earlier is said back in at most this many characters.
SAID_BACK_LENGTH = 160


def said_back(text: str) -> str:
    """``text`` short enough to quote in a question, cut between words."""
    text = " ".join(text.split())
    if len(text) <= SAID_BACK_LENGTH:
        return text
    return text[:SAID_BACK_LENGTH].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


class ActionAskScreeningProject(Action):
    """Confirms a project already described ("would a co-op work for our hair salon?"); else
    asks for it."""

    def name(self) -> str:
        return "action_ask_screening_form_screening_project"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        heard = (tracker.get_slot("screening_heard") or {}).get("project")
        failed = form_failures.failures(tracker, "screening_project")
        if heard and (not failed or _asked_back(tracker)):
            dispatcher.utter_message(
                response="utter_screening_confirm_project", project=said_back(heard)
            )
        else:
            dispatcher.utter_message(response="utter_ask_screening_form_screening_project")
        return []


class ActionAskScreeningFounders(Action):
    """Confirms a number of founders already given; else asks for it."""

    def name(self) -> str:
        return "action_ask_screening_form_screening_founders"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        heard = (tracker.get_slot("screening_heard") or {}).get("founders")
        failed = form_failures.failures(tracker, "screening_founders")
        if heard and (not failed or _asked_back(tracker)):
            dispatcher.utter_message(response="utter_screening_confirm_founders", count=heard)
        else:
            dispatcher.utter_message(response="utter_ask_screening_form_screening_founders")
        return []


class ActionAskScreeningSector(Action):
    """Confirms the sector the project's description names; else asks for it."""

    def name(self) -> str:
        return "action_ask_screening_form_screening_sector"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        sector = sector_heard(tracker)
        failed = form_failures.failures(tracker, "screening_sector")
        if sector and (not failed or _asked_back(tracker)):
            label = screening_text("sectors", sector, answer_language(tracker))
            dispatcher.utter_message(response="utter_screening_confirm_sector", sector=label)
        else:
            dispatcher.utter_message(response="utter_ask_screening_form_screening_sector")
        return []


class ActionAskScreeningRegion(Action):
    """Confirms a place already named (again after an answer that was no place, until the person
    says it is not that one); else asks for it."""

    def name(self) -> str:
        return "action_ask_screening_form_screening_region"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if "utter_screening_region_ambiguous" in this_turn_bot_responses(tracker):
            return []  # "Do you mean Québec City? If not, give your city's name." asked it
        heard = tracker.get_slot("screening_heard") or {}
        if heard.get("place"):
            place = _place_said(heard["place"])
            dispatcher.utter_message(response="utter_screening_confirm_region", place=place)
        else:
            dispatcher.utter_message(response="utter_ask_screening_form_screening_region")
        return []


def unconfirmed(tracker: Tracker) -> list[str]:
    """The form's slots answered by a reading of their meaning, not yet confirmed."""
    return [slot for slot in tracker.get_slot(UNCONFIRMED) or [] if slot in CHOICE_PARSERS]


def _understood(field: str, code: Any, words: str | None, lang: str) -> str:
    """What was understood, in the assistant's words when it has them, else the person's (never
    an empty line: the code itself at worst)."""
    label = prototypes().get(field, {}).get(str(code), {}).get("label", {}).get(lang)
    if field == "capital_need" and str(code) in load_texts()["capital"]:
        label = screening_text("capital", str(code), lang)
    words = (words or "").strip().rstrip(" ?")
    return label or (f"« {words} »" if words else str(code))


def field_said(field: str, code: Any, lang: str) -> str:
    """ "Founders: 5", « Les décisions : un membre, un vote »: an answer said back with its
    question's name."""
    colon = " : " if lang == "fr" else ": "
    return f"{screening_text('readback', field, lang)}{colon}{_understood(field, code, None, lang)}"


def readback_lines(tracker: Tracker, lang: str) -> str:
    """ "- Members: the people who work in it", one line per answer to confirm."""
    lines = []
    typed = tracker.get_slot("screening_typed") or {}
    for slot in unconfirmed(tracker):
        field, code = SLOT_FIELDS[slot], tracker.get_slot(slot)
        understood = _understood(field, code, typed.get(field), lang)
        lines.append(f"- {screening_text('readback', field, lang)} : {understood}")
    return "\n".join(lines)


class ActionAskScreeningReadback(Action):
    """Says back the answers read by their meaning and asks whether they are right."""

    def name(self) -> str:
        return "action_ask_screening_form_screening_readback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lines = readback_lines(tracker, answer_language(tracker))
        dispatcher.utter_message(
            response="utter_ask_screening_form_screening_readback", readback=lines
        )
        return []


class ValidateScreeningForm(UsesKnowledgeBase, FormValidationAction):
    """Needs the domain's utter_invalid_<slot> and utter_screening_question_later responses."""

    def name(self) -> str:
        return "validate_screening_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """The domain's questions; the read-back (last in the domain) only while a guessed answer
        awaits confirmation, or while its answer is being validated."""
        if unconfirmed(tracker) or tracker.get_slot("requested_slot") == READBACK:
            return list(domain_slots)
        return [slot for slot in domain_slots if slot != READBACK]

    async def _interrupted(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any] | None:
        """A correction of an earlier answer, or a question instead of an answer; else None."""
        text = value if isinstance(value, str) else ""
        correction = parsing.parse_correction(text, current=SLOT_FIELDS.get(slot))
        if correction and FIELD_SLOTS.get(correction[0]) not in (None, slot):
            corrected, new_value = correction
            lang = answer_language(tracker)
            # Said back, so the person sees it was taken: "I understood: Founders: 5."
            understood = field_said(corrected, new_value, lang)
            dispatcher.utter_message(response="utter_screening_understood", understood=understood)
            return {FIELD_SLOTS[corrected]: str(new_value), slot: None}
        place = await self._place_correction(slot, text, tracker)
        if place is not None:
            said = _place_said(place.matched)
            if said.casefold() != place.name.casefold():
                said = f"{said} ({place.name})"
            dispatcher.utter_message(response="utter_screening_understood", understood=said)
            code = place.code
            return {**_typed(tracker, "screening_region", code), "region": code, slot: None}
        if text and not text.startswith("/") and parsing.is_question(text):
            field = SLOT_FIELDS.get(slot)
            tentative = parsing.tentative_answer(field, text) if field else None
            if field and tentative is not None:  # "around 25k?": said tentatively; say it back
                dispatcher.utter_message(
                    response="utter_screening_understood",
                    understood=_understood(field, tentative, text, answer_language(tracker)),
                )
                return None
            dispatcher.utter_message(response="utter_screening_question_later")
            about = parsing.question_entry(SLOT_FIELDS[slot], text)
            kb = await self.knowledge_base_or_apology(dispatcher)
            if kb is not None:
                await answer_from_knowledge_base(dispatcher, tracker, kb, text, about=about)
            # A question asked back is counted apart from an answer not read: the same one sent
            # again and again ("…maybe the neighbours too?") must not bring the question back
            # forever, but one question and one unreadable answer do not give up.
            give_up, counts = form_failures.failed(tracker, slot, question=True)
            if give_up and slot in SAFE_ANSWERS:
                return self._given_up(slot, dispatcher, tracker, counts)
            return {slot: None, **counts}
        return None

    async def _place_correction(self, slot: str, text: str, tracker: Tracker) -> RegionMatch | None:
        """The region of "actually, it's in Sherbrooke" said at a question after the place's; None
        when the message is no such correction or answers the question asked."""
        if (
            slot in ("screening_project", "screening_sector", "screening_region")
            or tracker.get_slot("screening_region") is None
            or not text
            or text.startswith("/")
            or not parsing.says_correction(text)
        ):
            return None
        answers = CHOICE_PARSERS.get(slot, parsing.parse_founders)
        if answers(text) is not None:
            return None
        try:
            found = (await self.knowledge_base()).find_region(text)
        except Exception as error:  # noqa: BLE001 - without the places, read as an answer
            log_failure(logger, "place correction not read", error, logging.WARNING)
            return None
        return found if isinstance(found, RegionMatch) else None

    def _not_read(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """An answer not understood: ask again once, then note the safe answer and move on.

        One that speaks of starting over is offered that (a button), and the question again,
        without counting as a failure: unsure, ask before restarting."""
        text = tracker.latest_message.get("text") or ""
        if not text.startswith("/") and parsing.mentions_restart(text):
            dispatcher.utter_message(response="utter_screening_restart_check")
            return {slot: None}
        give_up, counts = form_failures.failed(tracker, slot)
        if give_up:
            return self._given_up(slot, dispatcher, tracker, counts)
        dispatcher.utter_message(response=f"utter_invalid_{slot}")
        return {slot: None, **counts}

    def _given_up(
        self,
        slot: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        counts: dict[str, Any],
    ) -> dict[str, Any]:
        """Two answers not read: the safe answer, said; a place the person named before (and
        did not say no to) is kept rather than noted unknown."""
        heard = tracker.get_slot("screening_heard") or {}
        if slot == "screening_region" and heard.get("region_code") and heard.get("place"):
            place = _place_said(heard["place"])
            dispatcher.utter_message(response="utter_screening_region_kept_heard", place=place)
            typed = {**(tracker.get_slot("screening_typed") or {}), "region_code": place}
            code = heard["region_code"]
            return {slot: code, "region": code, "screening_typed": typed, **counts}
        _recorded_unsure(dispatcher, slot)
        return {**_typed(tracker, slot, SAFE_ANSWERS[slot]), **counts}

    def _read(self, slot: str, value: Any, tracker: Tracker, code: Any) -> dict[str, Any]:
        return {**_typed(tracker, slot, code), **form_failures.answered(tracker, slot)}

    async def _by_meaning(
        self, slot: str, text: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> str | None:
        """The word lists found nothing: read the sentence by its meaning, and say so."""
        try:
            reader = await asyncio.to_thread(meaning_reader)
            reading = None
            if reader is not None:
                reading = await asyncio.to_thread(reader.read, SLOT_FIELDS[slot], text)
        except Exception as error:  # noqa: BLE001 - without the encoder, ask again as before
            log_failure(logger, "reading by meaning failed", error, logging.WARNING)
            return None
        if reading is None:
            return None
        dispatcher.utter_message(
            response="utter_screening_understood",
            understood=reading.label[answer_language(tracker)],
        )
        return reading.code

    async def _choice(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        interrupted = await self._interrupted(slot, value, dispatcher, tracker)
        if interrupted is not None:
            return interrupted
        text = str(value or "")
        code = CHOICE_PARSERS[slot](text) if value else None
        if code is None and value and not text.startswith("/"):
            early = self._early_answer(slot, text, dispatcher, tracker)
            if early is not None:
                return early
            if self._speaks_of_a_later_question(slot, text):
                return self._not_read(slot, dispatcher, tracker)
        guessed = False
        if code is None and value and not text.startswith("/"):
            code = await self._by_meaning(slot, text, dispatcher, tracker)
            guessed = code is not None
        if code is None:
            return self._not_read(slot, dispatcher, tracker)
        pending = [s for s in unconfirmed(tracker) if s != slot]
        # A guess is confirmed once, before the verdict; not again after the person corrected.
        if guessed and tracker.get_slot(READBACK) is None:
            pending.append(slot)
        return {**self._read(slot, value, tracker, code), UNCONFIRMED: pending or None}

    def _early_answer(
        self, slot: str, text: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any] | None:
        """The answer to a question not asked yet, given instead of this one's ("one person one
        vote" to the members question): taken and said back, this question asked again (not
        counted as unread: the person answered, only early). None unless exactly one of those
        questions reads it by its words and is named in it."""
        order = list(SLOT_FIELDS)
        later = [
            s
            for s in EARLY_ANSWERS
            if order.index(s) > order.index(slot) and tracker.get_slot(s) is None
        ]
        # Read by that question's words and naming it: "each one vote" reads as investors who
        # want control too, but names the votes.
        read = {
            s: code
            for s in later
            if (code := CHOICE_PARSERS[s](text)) not in (None, NOT_SURE)
            and parsing.names_field(text, SLOT_FIELDS[s])
        }
        if len(read) != 1:
            return None
        ((early, code),) = read.items()
        understood = field_said(SLOT_FIELDS[early], code, answer_language(tracker))
        dispatcher.utter_message(response="utter_screening_understood", understood=understood)
        return {**_typed(tracker, early, code), slot: None}

    @staticmethod
    def _speaks_of_a_later_question(slot: str, text: str) -> bool:
        """Whether ``text`` answers a question not asked yet in its words, and names it, without
        naming this one (« on réinvestit tout » to the control question): it is then not read by
        meaning as this question's answer (it read as control in proportion to capital)."""
        order = list(SLOT_FIELDS)
        if parsing.names_field(text, SLOT_FIELDS[slot]):
            return False
        return any(
            CHOICE_PARSERS[s](text) is not None and parsing.names_field(text, SLOT_FIELDS[s])
            for s in EARLY_ANSWERS
            if order.index(s) > order.index(slot)
        )

    async def validate_screening_readback(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Yes keeps the answers read by meaning; no asks their questions again (once); a no that
        gives the right answer to one of them ("no, the employees buying shares") takes it."""
        slots = unconfirmed(tracker)
        text = str(value or "")
        settled = {READBACK: "confirmed", UNCONFIRMED: None}
        correction = parsing.parse_correction(text)
        if correction and correction[0] in FIELD_SLOTS:
            corrected = FIELD_SLOTS[correction[0]]
            left = [s for s in slots if s != corrected]
            return {
                corrected: str(correction[1]),
                **(settled if not left else {READBACK: None}),
                UNCONFIRMED: left or None,
            }
        if text and not text.startswith("/") and parsing.is_question(text):
            dispatcher.utter_message(response="utter_screening_question_later")
            kb = await self.knowledge_base_or_apology(dispatcher)
            if kb is not None:
                await answer_from_knowledge_base(dispatcher, tracker, kb, text)
            return {READBACK: None}
        answer = parsing.parse_readback(text)
        if answer == "yes":
            return {**settled, **form_failures.answered(tracker, READBACK)}
        # The governance question's own answer is a yes or a no: not told apart from this one.
        named = {
            slot: code
            for slot in slots
            if slot != "screening_governance"
            and (code := CHOICE_PARSERS[slot](text)) not in (None, NOT_SURE)
        }
        if len(named) == 1 and answer != "yes":
            ((slot, code),) = named.items()
            return {**self._read(slot, text, tracker, code), **settled}
        if answer == "no":
            dispatcher.utter_message(response="utter_screening_readback_again")
            return {
                **dict.fromkeys(slots),
                READBACK: "corrected",
                UNCONFIRMED: None,
                **form_failures.answered(tracker, READBACK),
            }
        give_up, counts = form_failures.failed(tracker, READBACK)
        if give_up:  # two unreadable answers: keep what was understood and go on
            return {**settled, **counts}
        dispatcher.utter_message(response="utter_invalid_screening_readback")
        return {READBACK: None, **counts}

    async def validate_screening_project(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        interrupted = await self._interrupted("screening_project", value, dispatcher, tracker)
        if interrupted is not None:
            return interrupted
        text = str(value or "").strip()
        heard = (tracker.get_slot("screening_heard") or {}).get("project")
        confirming = "utter_screening_confirm_project" in previous_bot_responses(tracker)
        if heard and (confirming or not form_failures.failures(tracker, "screening_project")):
            short = len(text.split()) <= SHORT_REPLY_WORDS
            # "yes, that's it": the description given before. A longer reply describes it again.
            if short and _confirms(text):
                return {
                    "screening_project": heard,
                    "screening_typed": {
                        **(tracker.get_slot("screening_typed") or {}),
                        "project": heard,
                    },
                    **form_failures.answered(tracker, "screening_project"),
                }
            if _denies(text):  # not that: ask for it plainly
                _, counts = form_failures.failed(tracker, "screening_project")
                return {"screening_project": None, **counts}
        if len(text.split()) < MIN_PROJECT_WORDS or text.startswith("/"):
            if form_failures.failures(tracker, "screening_project") and text:
                # Asked twice: a short description is still a description.
                return self._read("screening_project", value, tracker, text[:ANSWER_LENGTH])
            return self._not_read("screening_project", dispatcher, tracker)
        read = self._read("screening_project", value, tracker, text[:ANSWER_LENGTH])
        # "un café à Sherbrooke, on est 4": the founders and the place said in the description
        # are confirmed by their questions instead of asked again (the latest mention wins).
        from bot.actions.screening_verdict import facts_in

        kb = await self.knowledge_base()
        mentioned = facts_in(text, kb)
        if mentioned:
            read["screening_heard"] = {**(tracker.get_slot("screening_heard") or {}), **mentioned}
        return read

    async def validate_screening_sector(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        interrupted = await self._interrupted("screening_sector", value, dispatcher, tracker)
        if interrupted is not None:
            return interrupted
        text = str(value or "").strip()
        if text.lower() in SECTORS:
            return self._read("screening_sector", value, tracker, text.lower())
        sector = sector_heard(tracker)
        if sector and "utter_screening_confirm_sector" in previous_bot_responses(tracker):
            if len(text.split()) <= SHORT_REPLY_WORDS and _confirms(text):  # the sector named
                return self._read("screening_sector", value, tracker, sector)
            if _denies(text):  # not that one: ask plainly
                _, counts = form_failures.failed(tracker, "screening_sector")
                return {"screening_sector": None, **counts}
        if text == "heard":  # the confirmation's button, pressed when nothing was offered
            return self._not_read("screening_sector", dispatcher, tracker)
        if len(text.split()) <= SHORT_REPLY_WORDS and (_confirms(text) or _denies(text)):
            # "yes" to "In which sector?" (a habit of the confirmations before it) is no sector.
            return self._not_read("screening_sector", dispatcher, tracker)
        if len(text) < 3 or text.startswith("/"):
            return self._not_read("screening_sector", dispatcher, tracker)
        founders = counts_people_only(text)
        if founders is not None:
            # "on est 4 pour l'instant" to the sector question: the founders said early, which
            # the founders question will confirm; the sector is asked again.
            heard = dict(tracker.get_slot("screening_heard") or {})
            if founders > 1:  # "you mentioned 1 people" is no confirmation: asked plainly
                heard["founders"] = founders
            return {
                **self._not_read("screening_sector", dispatcher, tracker),
                "screening_heard": heard or None,
            }
        return self._read("screening_sector", value, tracker, text[:100])

    async def validate_screening_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        interrupted = await self._interrupted("screening_region", value, dispatcher, tracker)
        if interrupted is not None:
            return interrupted
        text = str(value or "").strip()
        heard = tracker.get_slot("screening_heard") or {}
        if heard.get("region_code") and _confirms(text):
            text = heard["region_code"]
            return {**self._read("screening_region", value, tracker, text), "region": text}
        if text in REGION_CODES:
            return self._read("screening_region", value, tracker, text)
        if _confirms(text) and "utter_screening_region_ambiguous" in previous_bot_responses(
            tracker
        ):
            return {
                **self._read("screening_region", value, tracker, CITY_OF_QUEBEC),
                "region": CITY_OF_QUEBEC,
            }
        if parsing.says_unsure(text):  # "pas encore décidé": the place is not known yet
            return self._read("screening_region", value, tracker, UNKNOWN_PLACE)
        from knowledge_base import Ambiguous, city_meant

        kb = await self.knowledge_base()
        found = kb.find_region(text)
        asked = "utter_screening_region_ambiguous" in previous_bot_responses(tracker)
        city = city_meant(found, text, asked_which=asked)
        if city is not None:
            return {
                **self._read("screening_region", value, tracker, city.code),
                "region": city.code,
            }
        if isinstance(found, Ambiguous):
            if not found.province:  # two regions named: ask for the city, counted as unread
                return self._not_read("screening_region", dispatcher, tracker)
            give_up, counts = form_failures.failed(tracker, "screening_region")
            if give_up:  # never a third "Do you mean Québec City?"
                _recorded_unsure(dispatcher, "screening_region")
                return {**_typed(tracker, "screening_region", UNKNOWN_PLACE), **counts}
            dispatcher.utter_message(response="utter_screening_region_ambiguous")
            return {"screening_region": None, **counts}
        if found is None:
            if heard.get("place") and _denies(text):
                # "no" to "You mentioned Laval, is that where?": asked plainly, not counted.
                heard_left = _without(heard, "place", "region_code")
                return {"screening_region": None, "screening_heard": heard_left}
            founders = counts_people_only(text)
            if founders is not None:
                # "we are 4" to the place question: the founders said early, which the founders
                # question will confirm; the place is asked again.
                heard = dict(heard)
                if founders > 1:
                    heard["founders"] = founders
                return {
                    **self._not_read("screening_region", dispatcher, tracker),
                    "screening_heard": heard or None,
                }
            return self._not_read("screening_region", dispatcher, tracker)
        return {**self._read("screening_region", value, tracker, found.code), "region": found.code}

    async def validate_screening_founders(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        interrupted = await self._interrupted("screening_founders", value, dispatcher, tracker)
        if interrupted is not None:
            return interrupted
        text = str(value or "")
        everything_heard = tracker.get_slot("screening_heard") or {}
        heard = everything_heard.get("founders")
        if heard and _confirms(text):
            return self._read("screening_founders", value, tracker, str(heard))
        if parsing.founders_unsure(text):  # "I don't know yet" is an answer: founders unknown
            return self._read("screening_founders", value, tracker, NOT_SURE)
        count = parsing.parse_founders(text)
        if count is None and heard and _denies(text):
            # "no" to "You mentioned 2 people, is that the number?": asked plainly, not counted.
            heard_left = _without(everything_heard, "founders")
            return {"screening_founders": None, "screening_heard": heard_left}
        if count is None or count < 1:
            return self._not_read("screening_founders", dispatcher, tracker)
        return self._read("screening_founders", value, tracker, str(count))

    async def validate_screening_members(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._choice("screening_members", value, dispatcher, tracker)

    async def validate_screening_control(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._choice("screening_control", value, dispatcher, tracker)

    async def validate_screening_capital(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._choice("screening_capital", value, dispatcher, tracker)

    async def validate_screening_investors(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._choice("screening_investors", value, dispatcher, tracker)

    async def validate_screening_surplus(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._choice("screening_surplus", value, dispatcher, tracker)

    async def validate_screening_governance(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._choice("screening_governance", value, dispatcher, tracker)
