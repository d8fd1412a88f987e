"""Handoff to a person: consent per purpose, contact, organisation, then the stored dossier.

The reference is shown only after handoff.store has committed the dossier; when the store is
unreachable the user is told so and gets public contacts instead, and nothing is claimed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions import form_failures
from bot.actions.answer_question import (
    answer_from_knowledge_base,
    answer_language,
    question_asked,
    tells_a_project,
)
from bot.actions.errors import log_failure
from bot.actions.kb_provider import UsesKnowledgeBase
from bot.actions.resources import format_resources
from bot.actions.texts import domain_text, previous_bot_responses, user_turns
from handoff import routing
from handoff.answers import (
    asks_something,
    availability_with_contact,
    organisation_names,
    parse_age_group,
    parse_consent,
    parse_contact_method,
    parse_need,
    parse_organisation,
    wished_contact_method,
)
from handoff.config import contact_days, max_dossiers_per_day
from handoff.contact import find_contact
from handoff.dossier import (
    ConsentAnswers,
    ConsentMissing,
    DailyLimitReached,
    DossierRequest,
    StoreUnavailable,
)
from handoff.dossier import consent_wording_version as wording_fingerprint
from handoff.store import create_dossier_in_thread
from handoff.transcript import snapshot
from screening.requests import Suitability, suitability_request

logger = logging.getLogger(__name__)
FORM_SLOTS = (
    "handoff_consent_summary",
    "handoff_consent_transcript",
    "handoff_contact_method",
    "handoff_contact_value",
    "handoff_availability",
    "handoff_need",
    "handoff_age_group",
    "handoff_region",
    "handoff_organisation",
    "handoff_refused_method",
)
CONSENT_RESPONSES = (
    "utter_handoff_explain",
    "utter_ask_handoff_form_handoff_consent_summary",
    "utter_ask_handoff_form_handoff_consent_transcript",
)
SHARED_QUEUE = "shared"


def consent_wording_version(domain: dict[str, Any]) -> str:
    """The fingerprint (handoff.dossier) of the consent sentences this domain shows."""
    responses = domain.get("responses", {})
    return wording_fingerprint({name: responses.get(name) for name in CONSENT_RESPONSES})


def trigger_of(tracker: Tracker) -> str:
    previous = previous_bot_responses(tracker)
    if "utter_screening_notice" in previous:
        return "after_screening"
    if "utter_offer_handoff_after_fallbacks" in previous:
        return "repeated_fallback"
    if "utter_offer_human" in previous:
        return "sensitive_topic"
    return "user_request"


def _need(tracker: Tracker, kb: Any) -> str:
    entry_id = tracker.get_slot("kb_last_entry")
    topic = kb.get(entry_id).topic if entry_id and entry_id in kb else None
    return routing.need_of(tracker.get_slot("handoff_need"), topic)


class ActionStartHandoff(Action):
    def name(self) -> str:
        return "action_start_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_handoff_explain")
        events: list[EventType] = [SlotSet(slot, None) for slot in FORM_SLOTS]
        return [*events, SlotSet("handoff_trigger", trigger_of(tracker))]


def _availability(text: str, tracker: Tracker) -> dict[str, Any]:
    """The availability said with the contact ("819 555 0142 after 5pm"): not asked again."""
    if tracker.get_slot("handoff_availability"):
        return {}
    said = availability_with_contact(text)
    return {"handoff_availability": said} if said else {}


class ValidateHandoffForm(UsesKnowledgeBase, FormValidationAction):
    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = ["handoff_consent_summary", "handoff_consent_transcript"]
        summary = tracker.get_slot("handoff_consent_summary")
        transcript = tracker.get_slot("handoff_consent_transcript")
        if summary == "no" and transcript == "no":
            return slots
        if summary == "yes":
            slots.append("handoff_contact_method")
            if tracker.get_slot("handoff_contact_method") != "none":
                slots += ["handoff_contact_value", "handoff_availability"]
        # After a screening (offered right after it, or asked for later in the conversation) the
        # need is the co-op project; otherwise ask, and ask the age group only where an
        # organisation's eligibility depends on it.
        screened = tracker.get_slot("coop_fit") is not None
        if tracker.get_slot("handoff_trigger") != "after_screening" and not screened:
            slots.append("handoff_need")
            if tracker.get_slot("handoff_need") == "integration":
                slots.append("handoff_age_group")
        if tracker.get_slot("region") is None:
            slots.append("handoff_region")
        return [*slots, "handoff_organisation"]

    async def validate_handoff_need(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        need = parse_need(str(value or ""))
        if need is not None:
            return {"handoff_need": need, **form_failures.answered(tracker, "handoff_need")}
        give_up, counts = form_failures.failed(tracker, "handoff_need")
        if give_up:  # never a third time: the routing's default need, said plainly
            dispatcher.utter_message(response="utter_handoff_need_taken_as_default")
            return {"handoff_need": routing.need_of(None, None), **counts}
        dispatcher.utter_message(response="utter_invalid_handoff_choice")
        return {"handoff_need": None, **counts}

    async def validate_handoff_age_group(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        group = parse_age_group(str(value or ""))
        if group is None:
            dispatcher.utter_message(response="utter_invalid_handoff_choice")
        return {"handoff_age_group": group}

    def _consent(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Only an explicit yes is consent; a question gets what is shared, then the question."""
        text = str(value or "")
        answer = parse_consent(text, shared=slot.rsplit("_", 1)[-1])
        if answer is not None:
            return {slot: answer, **form_failures.answered(tracker, slot)}
        if asks_something(text):
            dispatcher.utter_message(response=f"utter_{slot}_explained")
            return {slot: None}
        give_up, counts = form_failures.failed(tracker, slot)
        if give_up:  # no clear yes after two tries: nothing is shared
            dispatcher.utter_message(response="utter_handoff_consent_taken_as_no")
            return {slot: "no", **counts}
        dispatcher.utter_message(response="utter_invalid_handoff_yes_no")
        return {slot: None, **counts}

    async def validate_handoff_consent_summary(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        result = self._consent("handoff_consent_summary", value, dispatcher, tracker)
        # "can someone call me back?": once the summary may be shared, the way to be reached that
        # the request said (and the number given with it) is taken, not asked again.
        if result.get("handoff_consent_summary") == "yes" and not tracker.get_slot(
            "handoff_contact_method"
        ):
            wished, given = _wished_contact(tracker)
            if wished:
                result["handoff_contact_method"] = wished
            if given:
                result["handoff_contact_value"] = given
        return result

    async def validate_handoff_consent_transcript(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._consent("handoff_consent_transcript", value, dispatcher, tracker)

    async def validate_handoff_contact_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        chosen, refused_now = parse_contact_method(text)
        refused = refused_now or tracker.get_slot("handoff_refused_method")
        if chosen is None:
            # The address or number itself ("fatou.d@example.ca") says which way to reach them.
            chosen = next((m for m in ("email", "phone") if find_contact(m, text)), None)
        if chosen is not None and chosen != refused:
            # "email then: ada.o@example.org": the address given with the choice is not asked.
            given = find_contact(chosen, text)
            return {
                "handoff_contact_method": chosen,
                "handoff_refused_method": refused,
                **({"handoff_contact_value": given} if given else {}),
                **(_availability(text, tracker) if given else {}),
            }
        if refused_now:  # the other method, or none, is offered next (never the refused one)
            return {"handoff_contact_method": None, "handoff_refused_method": refused}
        give_up, counts = form_failures.failed(tracker, "handoff_contact_method")
        if give_up:  # never a third time: the request goes without contact details
            dispatcher.utter_message(response="utter_handoff_contact_skipped")
            return {"handoff_contact_method": "none", **counts}
        if not refused:  # after a refusal the question itself offers the other way or none
            dispatcher.utter_message(response="utter_invalid_handoff_contact_method")
        return {"handoff_contact_method": None, **counts}

    async def validate_handoff_contact_value(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        method = tracker.get_slot("handoff_contact_method") or "email"
        text = str(value or "")
        given = find_contact(method, text)  # also inside a sentence: "it's ada@example.org"
        if given:
            return {"handoff_contact_value": given, **_availability(text, tracker)}
        # A change of mind instead of the number or address: "finalement je préfère pas donner
        # mon numéro, écrivez-moi par courriel" — never asked for the refused one again.
        chosen, refused = parse_contact_method(text)
        # A sentence, not a mistyped value: "not-an-email" is an address to ask again.
        sentence = len(text.split()) >= 3
        if sentence and (refused == method or (chosen is not None and chosen != method)):
            other = chosen if chosen is not None and chosen != method else None
            return {
                "handoff_contact_method": other,
                "handoff_refused_method": method,
                "handoff_contact_value": None,
            }
        dispatcher.utter_message(response=f"utter_invalid_handoff_{method}")
        return {"handoff_contact_value": None}

    async def validate_handoff_availability(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if len(text) < 2 or text.startswith("/"):
            dispatcher.utter_message(response="utter_invalid_handoff_availability")
            return {"handoff_availability": None}
        return {"handoff_availability": text[:200]}

    async def validate_handoff_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        from knowledge_base import RegionMatch, city_meant

        kb = await self.knowledge_base()
        text = str(value or "")
        found = kb.find_region(text)
        # Asked where in Québec they are, "Québec" is the city, not the province.
        found = city_meant(found, text, within_quebec=True) or found
        if not isinstance(found, RegionMatch):
            dispatcher.utter_message(response="utter_invalid_handoff_region")
            return {"handoff_region": None}
        return {"handoff_region": found.code, "region": found.code}

    async def validate_handoff_organisation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        kb = await self.knowledge_base()
        text = str(value or "").strip()
        if text == SHARED_QUEUE or (text in kb and kb.get(text).kind == "resource"):
            return {"handoff_organisation": text, **form_failures.answered(tracker, "org")}
        offered = _offered(tracker, kb)
        names = [(key, _names(kb, key)) for key in offered]
        chosen = parse_organisation(text, names)
        if chosen is not None:
            return {"handoff_organisation": chosen, **form_failures.answered(tracker, "org")}
        give_up, counts = form_failures.failed(tracker, "org")
        if give_up and offered:  # the proposal stands: a person can refer them elsewhere
            lang = answer_language(tracker)
            dispatcher.utter_message(
                response="utter_handoff_organisation_taken",
                organisation=kb.get(offered[0]).text("title", lang),
            )
            return {"handoff_organisation": offered[0], **counts}
        dispatcher.utter_message(response="utter_invalid_handoff_organisation")
        return {"handoff_organisation": None, **counts}


def _offered(tracker: Tracker, kb: Any) -> list[str]:
    """The organisations offered, the one routing proposes first."""
    resources = kb.entries("resource")
    need, region = _need(tracker, kb), _region(tracker)
    age = routing.AGE_OF_GROUP.get(tracker.get_slot("handoff_age_group") or "")
    first = routing.choose_organisation(need, region, age, resources=resources).organisation_key
    others = routing.alternatives(need, region, age, resources=resources, exclude=first)
    return [key for key in [first, *others] if key]


def _names(kb: Any, key: str) -> list[str]:
    entry = kb.get(key)
    return organisation_names([entry.text("title", lang) for lang in ("fr", "en")])


def _region(tracker: Tracker) -> str | None:
    code = tracker.get_slot("handoff_region") or tracker.get_slot("region")
    return None if code in (None, "all") else code


class ActionAskHandoffContactValue(Action):
    def name(self) -> str:
        return "action_ask_handoff_contact_value"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        method = tracker.get_slot("handoff_contact_method") or "email"
        dispatcher.utter_message(response=f"utter_ask_handoff_{method}")
        return []


class ActionAskHandoffContactMethod(Action):
    """Email or phone; after one was refused, only the other one or none."""

    def name(self) -> str:
        return "action_ask_handoff_form_handoff_contact_method"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        refused = tracker.get_slot("handoff_refused_method")
        if refused in ("email", "phone"):
            dispatcher.utter_message(response=f"utter_ask_handoff_other_method_{refused}")
        else:
            dispatcher.utter_message(response="utter_ask_handoff_form_handoff_contact_method")
        return []


class ActionAskHandoffOrganisation(UsesKnowledgeBase, Action):
    """Proposes the organisation that routing chooses, with the alternatives as buttons."""

    def name(self) -> str:
        return "action_ask_handoff_organisation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = answer_language(tracker)
        kb = await self.knowledge_base()
        keys = _offered(tracker, kb)
        first = keys[0] if keys else None
        buttons = [
            {"title": kb.get(key).text("title", lang), "payload": f'/choose{{"choice": "{key}"}}'}
            for key in keys
        ]
        name = kb.get(first).text("title", lang) if first else None
        if not keys:
            # No organisation for the place: the shared queue, named by the domain.
            title = domain_text(domain, "utter_handoff_shared_queue_button", lang)
            buttons = [{"title": title, "payload": f'/choose{{"choice": "{SHARED_QUEUE}"}}'}]
        dispatcher.utter_message(
            response="utter_ask_handoff_organisation",
            organisation=name or domain_text(domain, "utter_handoff_shared_queue", lang),
            buttons=buttons,
        )
        return []


def _public_contacts(tracker: Tracker, kb: Any, lang: str) -> str:
    return format_resources(routing.public_contacts(kb.resources_for(_region(tracker))), lang)


class ActionSubmitHandoff(UsesKnowledgeBase, Action):
    def name(self) -> str:
        return "action_submit_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = answer_language(tracker)
        kb = await self.knowledge_base()
        share_summary = tracker.get_slot("handoff_consent_summary") == "yes"
        share_transcript = tracker.get_slot("handoff_consent_transcript") == "yes"
        # Contact details are not kept in the conversation once used.
        cleanup = [SlotSet(slot, None) for slot in FORM_SLOTS]
        if not share_summary and not share_transcript:
            dispatcher.utter_message(response="utter_handoff_nothing_shared")
            dispatcher.utter_message(text=_public_contacts(tracker, kb, lang))
            return cleanup
        organisation = tracker.get_slot("handoff_organisation")
        organisation_key = None if organisation in (None, SHARED_QUEUE) else organisation
        try:
            request = DossierRequest(
                channel=tracker.get_latest_input_channel() or "rest",
                sender_id=tracker.sender_id,
                language=lang,
                trigger=tracker.get_slot("handoff_trigger") or "user_request",
                consent=ConsentAnswers(
                    share_summary=share_summary,
                    share_transcript=share_transcript,
                    wording_version=consent_wording_version(domain),
                    notice_version=tracker.get_slot("privacy_notice_version"),
                ),
                region_code=_region(tracker),
                organisation_key=organisation_key,
                reason=tracker.get_slot("kb_last_entry"),
                project_summary=tracker.get_slot("screening_project"),
                screening_summary=tracker.get_slot("screening_summary"),
                contact_method=_contact_method(tracker),
                contact_value=tracker.get_slot("handoff_contact_value")
                if _contact_method(tracker)
                else None,
                availability=tracker.get_slot("handoff_availability"),
                transcript=snapshot(tracker.events) if share_transcript else None,
            )
            created = await create_dossier_in_thread(request, max_dossiers_per_day())
        except DailyLimitReached:
            logger.info("handoff not stored: daily limit of the person reached")
            dispatcher.utter_message(response="utter_handoff_daily_limit")
            dispatcher.utter_message(text=_public_contacts(tracker, kb, lang))
            return cleanup
        except (StoreUnavailable, ConsentMissing, ValueError) as error:
            logger.error("handoff not stored: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_handoff_store_failed")
            dispatcher.utter_message(text=_public_contacts(tracker, kb, lang))
            return cleanup
        name = (
            kb.get(created.organisation_key).text("title", lang)
            if created.organisation_key and created.organisation_key in kb
            else None
        )
        if name is None:
            name = domain_text(domain, "utter_handoff_shared_queue", lang)
        dispatcher.utter_message(
            response="utter_handoff_confirmed"
            if share_summary
            else "utter_handoff_confirmed_no_contact",
            reference=created.reference,
            organisation=name,
            days=contact_days(),
        )
        return [*cleanup, SlotSet("handoff_reference", created.reference)]


def _wished_contact(tracker: Tracker) -> tuple[str | None, str | None]:
    """The way to be reached that the person asked for since the request for a person, and the
    number or address given with it ("can someone call me back, 450 555 0134").

    Reads the person's messages back to the one before the handoff started (the request itself,
    or the yes to an offer of a person); the most recent message that wishes a way decides.
    """
    texts = _since_the_request(tracker)
    method = next((m for m in map(wished_contact_method, texts) if m), None)
    if method is None:
        return None, None
    return method, next((v for v in (find_contact(method, t) for t in texts) if v), None)


def _since_the_request(tracker: Tracker) -> list[str]:
    """The person's messages since the one before the handoff started, latest first."""
    texts: list[str] = []
    started = False
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == "action_start_handoff":
            started = True
        elif event.get("event") == "user":
            texts.append(str(event.get("text") or ""))
            if started:
                break
    return texts


def _contact_method(tracker: Tracker) -> str | None:
    method = tracker.get_slot("handoff_contact_method")
    return None if method in (None, "none") else method


class ActionDefaultFallback(UsesKnowledgeBase, Action):
    """Asks to rephrase (a first message: the welcome); after two misunderstandings in a row,
    offers a person. A question the knowledge base answers surely gets that answer."""

    def name(self) -> str:
        return "action_default_fallback"

    async def _sure_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, suggest: bool = True
    ) -> list[EventType] | None:
        """The knowledge base's answer to a question it is sure of, or its nearest topics to
        pick from when it has some; None otherwise.

        "is it possible for her to be director?" (after "she has an open work permit") was not
        understood, though one entry answers it surely; « faut tu être citoyen pour être dans le
        CA? » got "say it another way" though two entries are near it; a vague "is that ok?"
        still gets "say it another way".
        """
        from screening.parsing import is_question

        question = question_asked(tracker)
        if not is_question(question):
            return None
        lang = answer_language(tracker)
        try:
            kb = await self.knowledge_base()
            hit = await asyncio.to_thread(
                kb.best, question, lang, context_entry_id=tracker.get_slot("kb_last_entry")
            )
            near = []
            if hit is None and suggest:
                near = await asyncio.to_thread(kb.suggestions, question, lang)
        except Exception as error:  # noqa: BLE001 - the message is then not understood
            log_failure(logger, "knowledge base unavailable to the fallback", error)
            return None
        if hit is None and not near:
            return None
        return await answer_from_knowledge_base(dispatcher, tracker, kb, question)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        from rasa_sdk.events import UserUtteranceReverted

        text = (tracker.latest_message or {}).get("text") or ""
        project = tells_a_project(tracker, text)
        if project and suitability_request(text) is not Suitability.ASKS_FIT:
            # "we are only 2 sisters, is it enough people for make a coop? how many minimum?":
            # a question beside the project, which the knowledge base answers surely, is
            # answered (the screening is offered with the answer), not only met with the offer.
            answered = await self._sure_answer(dispatcher, tracker, suggest=False)
            if answered is not None:
                return answered
        if project:
            # "un resto syrien avec traiteur", "is a co-op ok for a cleaning company??": a
            # project, even in a first message; offer what fits it. Not reverted: the message
            # was understood enough, and the rule that starts the screening on a typed yes
            # ("Yes after a message not understood") needs this action in the history.
            dispatcher.utter_message(response="utter_offer_screening")
            return []
        answered = await self._sure_answer(dispatcher, tracker)
        if answered is not None:
            return answered
        if user_turns(tracker) <= 1:
            # A first message not understood gets the welcome and the main choices, as a person
            # at a front desk would answer, rather than "could you say it another way?".
            dispatcher.utter_message(response="utter_greet")
        else:
            dispatcher.utter_message(response="utter_default")
        if "utter_default" in previous_bot_responses(tracker):
            dispatcher.utter_message(response="utter_offer_handoff_after_fallbacks")
        # The revert drops what this turn set, the language and the privacy notice's record
        # included: keep them, or the notice would be shown again at the next message.
        kept = ("language", "language_source", "privacy_notice_version")
        return [UserUtteranceReverted(), *(SlotSet(s, tracker.get_slot(s)) for s in kept)]
