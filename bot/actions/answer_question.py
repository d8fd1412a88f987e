"""Answer a question from the knowledge base, and give the longer text on "tell me more"."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.errors import log_failure
from bot.actions.kb_provider import UsesKnowledgeBase, shared_knowledge_base
from bot.actions.texts import user_turns
from knowledge_base.comparison import comparison_sides, is_comparison_entry
from knowledge_base.needs import need_entry
from knowledge_base.text import without_language_named
from knowledge_base.topics import CRISIS_TOPIC, HUMAN_TOPICS
from screening.parsing import is_question, points_at_the_question
from screening.requests import (
    Suitability,
    describes_project,
    question_part,
    suitability_request,
)

if TYPE_CHECKING:  # at run time, imported when first built (the search loads bm25s and spaCy)
    from knowledge_base import KnowledgeBase

logger = logging.getLogger(__name__)
# The entity of a suggestion button: the entry the person picked when there was no sure answer.
CHOSEN_ENTITY = "kb_entry"


# A question asked back inside a form is answered with the entry on what was asked when that
# entry is among this many nearest.
NEAREST_FOR_ABOUT = 3


def warm_up() -> None:
    """Build the knowledge base (index, sentence vectors, classifier), load what reading a
    question needs (spaCy: a build from the cache does not load it) and the screening's reader
    of answers by meaning now, so that the first question does not wait for them. Called by the
    action server before it serves (bot/action_server.py, when COOPILOTE_WARM_UP=1)."""
    try:
        shared_knowledge_base().prepare_queries()
        from bot.actions.screening_form import meaning_reader

        meaning_reader()
    except Exception as error:  # noqa: BLE001 - the first question will say it is unavailable
        log_failure(logger, "knowledge base warm-up failed", error)


def _count_unanswered(question: str, lang: str, topic: str | None = None) -> None:
    """For the content maintainers; personal details are removed before storing."""
    try:
        from knowledge_base import record_unanswered

        record_unanswered(question, lang, topic)
    except Exception as error:  # noqa: BLE001 - counting must never break the answer
        logger.warning("could not count an unanswered question: %s", type(error).__name__)


def format_sources(entry: Any) -> str:
    return "; ".join(f"{source.title} — {source.url}" for source in entry.sources)


def chosen_entry(tracker: Tracker) -> str | None:
    """The entry id a suggestion button carries, if the latest message is such a button."""
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == CHOSEN_ENTITY and isinstance(entity.get("value"), str):
            return entity["value"]
    return None


def suggestion_buttons(kb: Any, question: str, lang: str) -> list[dict[str, str]]:
    """Buttons for the entries nearest an unsure question, titled in the person's language."""
    return [
        {
            "title": kb.get(hit.entry_id).text("title", lang),
            "payload": f'/ask_cooperative_question{{"{CHOSEN_ENTITY}": "{hit.entry_id}"}}',
        }
        for hit in kb.suggestions(question, lang)
    ]


def _utter_entry(dispatcher: CollectingDispatcher, entry: Any, lang: str) -> None:
    dispatcher.utter_message(
        response="utter_kb_answer",
        answer=entry.text("short", lang),
        sources=format_sources(entry),
    )


def _both_sides(kb: Any, sides: tuple[str, str], lang: str) -> list[str] | None:
    """The entries answering each side of a comparison: one comparison entry if a side finds
    one, else two different entries; None when a side has no confident answer."""
    found = []
    for side in sides:
        hit = kb.best(side, lang)
        if hit is None:
            return None
        if is_comparison_entry(hit.entry_id):
            return [hit.entry_id]
        found.append(hit.entry_id)
    return found if found[0] != found[1] else None


def screening_can_be_offered(tracker: Tracker) -> bool:
    """Neither a form under way nor a screening already done in this conversation."""
    return not (tracker.active_loop_name or tracker.get_slot("screening_summary"))


def tells_a_project(tracker: Tracker, text: str) -> bool:
    """A message about the person's business ("un resto syrien avec ma cousine") or asking whether
    a co-op suits it, outside any form and before a screening: the screening is what fits it."""
    if not screening_can_be_offered(tracker):
        return False
    return describes_project(text) or suitability_request(text) is not Suitability.NONE


def introduces_oneself(tracker: Tracker, text: str) -> bool:
    """A first message that asks nothing and tells no project ("hi, I arrived from Morocco six
    months ago"): the person says who they are."""
    return user_turns(tracker) <= 1 and not is_question(text) and not describes_project(text)


def _offers_screening(tracker: Tracker, question: str) -> Suitability:
    """How the question asks about a co-op for the person's own project, when the screening
    can be offered."""
    if not screening_can_be_offered(tracker):
        return Suitability.NONE
    return suitability_request(question)


def question_asked(tracker: Tracker) -> str:
    """The latest message without the language it asks the answer in: "and in English, what is a
    patronage refund?" is a question about patronage refunds, not about English."""
    message = tracker.latest_message or {}
    text = message.get("text") or ""
    spans = [
        (e["start"], e["end"])
        for e in message.get("entities") or []
        if e.get("entity") == "language" and isinstance(e.get("start"), int) and "end" in e
    ]
    return without_language_named(text, spans)


def answer_language(tracker: Tracker) -> str:
    """The answer language; French (Québec's common language) until the first turn sets it."""
    return tracker.get_slot("language") or "fr"


def _need_entry(kb: Any, question: str) -> str | None:
    entry_id = need_entry(question)
    return entry_id if entry_id is not None and entry_id in kb else None


async def answer_from_knowledge_base(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    kb: KnowledgeBase,
    question: str,
    about: str | None = None,
) -> list[EventType]:
    """Answer ``question`` in the user's language with its sources; events for the tracker.

    With no confident answer, the nearest entries are offered as buttons (never given as the
    answer); a button brings back the entry the person picked. ``about``: the entry on what the
    person was just asked (a question asked back inside a form): when no entry is sure, it is the
    answer if it is among the nearest entries.
    """
    lang = answer_language(tracker)
    chosen = chosen_entry(tracker)
    need = None
    try:
        # Search touches spaCy: keep the event loop free.
        if chosen is not None:
            entry_id = chosen if chosen in kb else None
        else:
            hit = await asyncio.to_thread(
                kb.best, question, lang, context_entry_id=tracker.get_slot("kb_last_entry")
            )
            entry_id = hit.entry_id if hit else None
            asked = question_part(question) if entry_id is None else None
            if asked is not None:
                # "…un dépanneur à Rimouski, c'tu mieux une coop ou une compagnie?": the project's
                # words drown the question's; the question alone, then the screening offered.
                hit = await asyncio.to_thread(
                    kb.best, asked, lang, context_entry_id=tracker.get_slot("kb_last_entry")
                )
                entry_id = hit.entry_id if hit else None
            if entry_id is None:
                # "I can't pay the rent this month": the resources that help, never "no answer".
                entry_id = need = _need_entry(kb, question)
            if entry_id is None and about is not None and about in kb:
                # Unsure, but the entry on what was just asked is among the nearest, or the
                # question points at what was asked ("the difference between the two?"): that.
                near = await asyncio.to_thread(kb.search, question, lang, NEAREST_FOR_ABOUT)
                nearest = about in [h.entry_id for h in near]
                entry_id = about if nearest or points_at_the_question(question) else None
        buttons = []
        if entry_id is None and chosen is None:
            buttons = await asyncio.to_thread(suggestion_buttons, kb, question, lang)
    except Exception as error:  # noqa: BLE001 - the user gets a clear message instead
        log_failure(logger, "knowledge base unavailable", error)
        dispatcher.utter_message(response="utter_kb_unavailable")
        return []
    # A question asked back about the question itself ("c'est quoi la différence entre un vote
    # par membre pis selon l'argent?") is answered by the entry on that question, which weighs its
    # options; its sides are the question's options, not topics of their own (« selon l'argent »
    # brought the financing entry too).
    own_question = about is not None and entry_id == about
    if (
        chosen is None
        and not own_question
        and (entry_id is None or not is_comparison_entry(entry_id))
    ):
        sides = comparison_sides(question)
        pair = await asyncio.to_thread(_both_sides, kb, sides, lang) if sides else None
        if pair is not None and len(pair) == 1:
            entry_id = pair[0]
        elif pair is not None:
            # "worker co-op or solidarity co-op?": one answer per side, not one side alone.
            for side in pair:
                _utter_entry(dispatcher, kb.get(side), lang)
            if _offers_screening(tracker, question) is not Suitability.NONE:
                dispatcher.utter_message(response="utter_offer_screening")
            return [SlotSet("kb_last_entry", pair[-1])]
    # A person who cannot pay the rent gets the help, not the offer of a questionnaire.
    offer = Suitability.NONE
    if chosen is None and need is None:
        offer = _offers_screening(tracker, question)
    place_only = entry_id is not None and kb.get(entry_id).kind == "region"
    # "je veux ouvrir une coop de ménage avec des amies" asks nothing: the entry its words are
    # nearest (how many founders) is no answer to it; the screening is.
    statement = offer is Suitability.PROJECT and need is None and not is_question(question)
    if (
        (offer is Suitability.ASKS_FIT and (entry_id is None or place_only))
        or (offer is Suitability.PROJECT and entry_id is None)
        or statement
    ):
        # "Would a co-op work for our garage?" asks for the screening, not for a topic; nor,
        # when it names a city, for the list of organisations there (the screening asks). A
        # project told with the co-op named that no entry answers gets the screening too, not
        # "no sure answer".
        dispatcher.utter_message(response="utter_offer_screening")
        return []
    if entry_id is None and chosen is None and need is None and tells_a_project(tracker, question):
        # "je veux ouvrir un resto avec des amis": a project without the co-op named, which no
        # entry answers, gets the screening offered, not "no sure answer" (as a message the NLU
        # did not understand does: action_default_fallback).
        dispatcher.utter_message(response="utter_offer_screening")
        return []
    if (
        entry_id is None
        and chosen is None
        and not buttons
        and introduces_oneself(tracker, question)
    ):
        # « salut, chu arrivée du Maroc y a 6 mois » asks nothing: the welcome, as a first
        # message not understood gets, not "no sure answer to this question".
        dispatcher.utter_message(response="utter_greet")
        return []
    if entry_id is None:
        if chosen is None:
            # The nearest entry's topic, even unsure, tells content writers where the gap is.
            near = await asyncio.to_thread(kb.search, question, lang, 1)
            topic = kb.get(near[0].entry_id).topic if near else None
            await asyncio.to_thread(_count_unanswered, question, lang, topic)
        if buttons:
            dispatcher.utter_message(response="utter_kb_suggestions", buttons=buttons)
        else:
            # Also a button of an entry removed since it was shown.
            dispatcher.utter_message(response="utter_kb_no_answer")
        return []
    entry = kb.get(entry_id)
    if entry.topic == CRISIS_TOPIC:
        from bot.actions.resources import crisis_help

        return crisis_help(dispatcher, tracker, kb)
    if entry.kind == "region":
        # "Who can help me in Gatineau?" is a question about the organisations there.
        from bot.actions.resources import list_resources

        return list_resources(dispatcher, tracker, kb)
    _utter_entry(dispatcher, entry, lang)
    if entry.topic in HUMAN_TOPICS:
        dispatcher.utter_message(response="utter_offer_human")
    elif offer is not Suitability.NONE:
        dispatcher.utter_message(response="utter_offer_screening")
    return [SlotSet("kb_last_entry", entry.id)]


class ActionAnswerQuestion(UsesKnowledgeBase, Action):
    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kb = await self.knowledge_base_or_apology(dispatcher)
        if kb is None:
            return []
        return await answer_from_knowledge_base(dispatcher, tracker, kb, question_asked(tracker))


# "Tell me more", « dis-m'en plus », "more details please": a request for more is this short.
TELL_MORE_WORDS = 4


class ActionTellMore(UsesKnowledgeBase, Action):
    def name(self) -> str:
        return "action_tell_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        entry_id = tracker.get_slot("kb_last_entry")
        text = question_asked(tracker)
        if not entry_id and not text.startswith("/") and len(text.split()) > TELL_MORE_WORDS:
            # "j'ai pas de papiers encore, je peux quand même?" read as "tell me more" with
            # nothing said before: a question of its own, not "I have no more details".
            kb_or_none = await self.knowledge_base_or_apology(dispatcher)
            if kb_or_none is None:
                return []
            return await answer_from_knowledge_base(dispatcher, tracker, kb_or_none, text)
        if not entry_id:
            dispatcher.utter_message(response="utter_kb_nothing_more")
            return []
        try:
            kb = await self.knowledge_base()
            entry = kb.get(entry_id)
        except Exception as error:  # noqa: BLE001
            log_failure(logger, "knowledge base unavailable", error)
            dispatcher.utter_message(response="utter_kb_unavailable")
            return []
        dispatcher.utter_message(
            response="utter_kb_more",
            answer=entry.text("long", answer_language(tracker)),
            sources=format_sources(entry),
        )
        return []
