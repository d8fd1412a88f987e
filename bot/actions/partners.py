"""Finding partners in the chat (issue 18): thin adapters between the tracker and matchmaking/.

The profile form (``match_profile_form``) asks whether the person is 18 or over and for their
consent to this purpose first, and stops there on a "no": nothing is stored before both. Every
other answer is optional ("skip" / « passer »): for a new profile it means no answer, for a
change it keeps the current one. Free answers are read here (codes out); the profile's rules,
the consent and age gates, introductions and deletion are in matchmaking/ and privacy/, called
in a thread.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Any, ParamSpec, TypeVar

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions import form_failures
from bot.actions.answer_question import answer_language
from bot.actions.kb_provider import UsesKnowledgeBase
from matchmaking.answers import answer_words, normalise
from matchmaking.answers import read_age as read_adult_age
from screening import parsing

logger = logging.getLogger(__name__)
DATE_LOCALES = {"fr": "fr_CA", "en": "en_CA"}

FORM = "match_profile_form"
# The version of the consent question's wording (utter_ask_match_consent, both languages):
# change it whenever that text changes. Recorded with the profile, beside the notice's version.
CONSENT_WORDING_VERSION = "match-consent-2026-12-03"
SKIP = "skip"
UNKNOWN = "unknown"
EDITING_SLOT = "match_editing"
CHECKED_SLOT = "match_checked"
GATE_SLOTS = ("match_adult", "match_consent")
# Slot of the form -> field of matchmaking.create_profile / update_profile.
SLOT_FIELDS = {
    "match_intent": "intent",
    "match_project_text": "project_text",
    "match_sector": "sector",
    "match_region": "region_code",
    "match_reach": "reach",
    "match_role": "role",
    "match_skills": "skills",
    "match_languages": "languages",
    "match_availability": "availability",
    "match_contact_method": "contact_method",
    "match_contact_value": "contact_value",
}
FORM_SLOTS = (*GATE_SLOTS, *SLOT_FIELDS)
MAX_PROJECT_TEXT = 500
MAX_SKILLS, MAX_SKILL = 10, 60


def _has(text: str, word: str) -> bool:
    """``word`` starts a word of ``text`` (both normalised)."""
    return re.search(rf"(?<![a-z]){re.escape(word)}", text) is not None


def is_skip(text: str) -> bool:
    t = normalise(text).strip(" .!")
    return t in answer_words()["skip"] or t == f"/choose {SKIP}"


def read_yes_no(text: str) -> str | None:
    """``yes``, ``no`` or None for a typed answer to a yes/no question."""
    t = normalise(text)
    answer = parsing.parse_governance(text)
    if answer in ("yes", "no"):
        return answer
    if any(_has(t, w) for w in answer_words()["yes_extra"]):
        return "yes"
    return None


def read_age(text: str) -> str | None:
    """``yes`` (18 or over), ``no`` (under 18) or None, from an age ("j'ai 16 ans", "under 18")
    or else "oui" / "non" ("oui, j'ai 3 enfants" is a yes: 3 is no age)."""
    adult = read_adult_age(text)
    if adult is not None:
        return "yes" if adult else "no"
    return read_yes_no(text)


def read_choice(slot: str, text: str) -> str | None:
    """The code of a choice question typed in words ("temps partiel" -> ``part_time``)."""
    t = normalise(text)
    words = answer_words()["choices"].get(slot, {})
    if t in words:
        return t
    found = [code for code, keys in words.items() if any(_has(t, normalise(k)) for k in keys)]
    return found[0] if len(found) == 1 else None


def read_sector(text: str) -> str | None:
    """The sector's code from its label (fr or en) or a usual word; None when none or several."""
    from matchmaking import label, load_rules

    t = normalise(text)
    codes = load_rules().sectors
    if t in codes:
        return t
    scores: dict[str, int] = {}
    for code in codes:
        keys = {normalise(label("sector", code, lang)) for lang in ("fr", "en")}
        keys |= {normalise(k) for k in answer_words()["sectors"].get(code, ())}
        hits = sum(1 for k in keys if _has(t, k.strip()))
        if hits:
            scores[code] = hits
    if not scores:
        return None
    best = max(scores.values())
    winners = [code for code, hits in scores.items() if hits == best]
    if len(winners) > 1 and "services" in winners:
        winners.remove("services")  # "services de garde" is childcare, not services
    return winners[0] if len(winners) == 1 else None


def read_languages(text: str) -> list[str]:
    """Language codes named in ``text`` ("français, espagnol" -> ["fr", "es"])."""
    t = normalise(text)
    named = answer_words()["languages"]
    codes = [c for c, words in named.items() if any(_has(t, w) for w in words[:-1])]
    if not codes:  # a bare code ("fr, es") only when nothing else is named
        tokens = set(re.split(r"[\s,;/]+", t))
        codes = [c for c, words in named.items() if words[-1] in tokens]
    if any(_has(t, w) for w in answer_words()["other_languages"]):
        codes.append("other")
    return codes


def read_skills(text: str) -> list[str]:
    items = [s.strip(" .") for s in re.split(r"[,;\n]|\bet\b|\band\b", text)]
    return [s[:MAX_SKILL] for s in items if s][:MAX_SKILLS]


def profile_fields(tracker: Tracker) -> dict[str, Any]:
    """The answers given, as matchmaking fields (skipped and unanswered questions left out).

    A way of reaching the person goes with its value or not at all."""
    fields: dict[str, Any] = {}
    for slot, field in SLOT_FIELDS.items():
        value = tracker.get_slot(slot)
        if value in (None, "", SKIP, UNKNOWN):
            continue
        if field in ("skills", "languages"):
            value = [v.strip() for v in str(value).split(",") if v.strip()]
        fields[field] = value
    if ("contact_method" in fields) != ("contact_value" in fields):
        fields.pop("contact_method", None)
        fields.pop("contact_value", None)
    return fields


def _reset(tracker: Tracker) -> list[EventType]:
    """Clear the form's answers (only those set: a cleared slot is not an answer to read)."""
    slots = (*FORM_SLOTS, EDITING_SLOT)
    return [SlotSet(slot, None) for slot in slots if tracker.get_slot(slot) is not None]


def _channel(tracker: Tracker) -> str:
    """Where the person talks to us: the Telegram bridge's conversations are "tg-<chat id>"."""
    if tracker.sender_id.startswith("tg-"):
        return "telegram"
    return (tracker.get_latest_input_channel() or "rest")[:40]


def _error_response(error: Exception) -> tuple[str, dict[str, Any]]:
    """The response for a matchmaking error, by its code."""
    code = getattr(error, "code", "")
    if code == "minor_refused":
        return "utter_match_refused_minor", {}
    if code == "consent_required":
        return "utter_match_refused_consent", {}
    if code == "invalid_field":
        field = getattr(error, "field", "") or "?"
        if field == "age":
            return "utter_match_adult_unknown", {}
        return "utter_match_invalid_field", {"field": field}
    if code == "not_found":
        return "utter_match_no_profile", {}
    return "utter_match_store_unavailable", {}


_P = ParamSpec("_P")
_T = TypeVar("_T")


async def _call(function: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    return await asyncio.to_thread(function, *args, **kwargs)


# -- the form ------------------------------------------------------------------------------
class ActionStartMatchProfile(Action):
    """Starts the profile's questions: a new profile, or a change of the person's profile."""

    def name(self) -> str:
        return "action_start_match_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        from matchmaking import profiles_of

        events = _reset(tracker)
        try:
            mine = await _call(profiles_of, tracker.sender_id)
        except Exception as error:  # noqa: BLE001 - the form works without; nothing is stored yet
            logger.warning("matchmaking profiles unavailable: %s", type(error).__name__)
            mine = []
        if mine:
            reference = mine[-1].reference
            dispatcher.utter_message(response="utter_match_editing", reference=reference)
            # Consent and age were given with the profile: not asked again for a change.
            return [
                *events,
                SlotSet(EDITING_SLOT, reference),
                SlotSet("match_adult", "yes"),
                SlotSet("match_consent", "yes"),
            ]
        dispatcher.utter_message(response="utter_match_intro")
        return events


class ActionAskMatchConsent(Action):
    """The consent question, with the retention period and the notice's address."""

    def name(self) -> str:
        return "action_ask_match_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        from privacy import notice
        from privacy.config import retention_days, web_url

        dispatcher.utter_message(
            response="utter_ask_match_consent",
            days=retention_days()["match_profile"],
            privacy_url=notice.page_url(web_url(), answer_language(tracker)),
        )
        return []


class ActionAskMatchContactValue(Action):
    def name(self) -> str:
        return "action_ask_match_contact_value"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        method = tracker.get_slot("match_contact_method")
        dispatcher.utter_message(
            response="utter_ask_match_phone" if method == "phone" else "utter_ask_match_email"
        )
        return []


def answering_languages(tracker: Tracker) -> bool:
    """The person is answering "which languages do you speak?" with language names (the
    language of the conversation does not change)."""
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    return (
        intent == "switch_language"
        and (tracker.active_loop or {}).get("name") == FORM
        and tracker.get_slot("requested_slot") == "match_languages"
    )


_Form = TypeVar("_Form", bound=FormValidationAction)
_Validator = Callable[
    [_Form, Any, CollectingDispatcher, Tracker, DomainDict], Awaitable[dict[str, Any]]
]


def _answers_only(method: _Validator[_Form]) -> _Validator[_Form]:
    """A slot cleared (None) in this turn is not an answer: nothing to read, nothing said."""

    async def validate(
        self: _Form,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if value is None:
            return {}
        return await method(self, value, dispatcher, tracker, domain)

    validate.__name__ = method.__name__
    return validate


class ValidateMatchProfileForm(UsesKnowledgeBase, FormValidationAction):
    """Reads each answer; "skip" is an answer; two unreadable answers skip the question."""

    def name(self) -> str:
        return "validate_match_profile_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = list(domain_slots)
        if tracker.get_slot("match_adult") in ("no", UNKNOWN):
            return slots[: slots.index("match_adult") + 1]  # a minor: nothing more is asked
        if tracker.get_slot("match_consent") == "no":
            return slots[: slots.index("match_consent") + 1]  # no consent: nothing more asked
        if tracker.get_slot("match_contact_method") in (SKIP, UNKNOWN):
            slots.remove("match_contact_value")
        return slots

    async def extract_match_languages(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """ "Français et anglais" answers the question; it is not a request to switch language
        (the switch_language intent is kept out of the slot's from_text mapping)."""
        if answering_languages(tracker):
            return {"match_languages": (tracker.latest_message or {}).get("text") or None}
        return {}

    def _not_read(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, safe: str = SKIP
    ) -> dict[str, Any]:
        give_up, counts = form_failures.failed(tracker, slot)
        if give_up:
            if safe == SKIP:
                dispatcher.utter_message(response="utter_match_skipped_unread")
            return {slot: safe, **counts}
        dispatcher.utter_message(response="utter_match_not_understood")
        return {slot: None, **counts}

    @staticmethod
    def _read(slot: str, tracker: Tracker, value: Any) -> dict[str, Any]:
        return {slot: value, **form_failures.answered(tracker, slot)}

    def _skip(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        return self._read(slot, tracker, SKIP)

    @_answers_only
    async def validate_match_adult(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = read_age(str(value or ""))
        if answer is None:
            return self._not_read("match_adult", dispatcher, tracker, safe=UNKNOWN)
        return self._read("match_adult", tracker, answer)

    @_answers_only
    async def validate_match_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        answer = read_yes_no(text)
        if answer is None and is_skip(text):
            answer = "no"
        if answer is None:
            # Without a clear yes nothing is kept.
            return self._not_read("match_consent", dispatcher, tracker, safe="no")
        return self._read("match_consent", tracker, answer)

    async def _choice(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        text = str(value or "")
        if is_skip(text) or parsing.says_unsure(text):
            return self._skip(slot, tracker)
        code = read_choice(slot, text)
        if code is None:
            return self._not_read(slot, dispatcher, tracker)
        return self._read(slot, tracker, code)

    @_answers_only
    async def validate_match_intent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._choice("match_intent", value, dispatcher, tracker)

    @_answers_only
    async def validate_match_reach(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._choice("match_reach", value, dispatcher, tracker)

    @_answers_only
    async def validate_match_role(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._choice("match_role", value, dispatcher, tracker)

    @_answers_only
    async def validate_match_availability(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._choice("match_availability", value, dispatcher, tracker)

    @_answers_only
    async def validate_match_contact_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._choice("match_contact_method", value, dispatcher, tracker)

    @_answers_only
    async def validate_match_project_text(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if is_skip(text):
            return self._skip("match_project_text", tracker)
        if not text or text.startswith("/"):
            return self._not_read("match_project_text", dispatcher, tracker)
        return self._read("match_project_text", tracker, text[:MAX_PROJECT_TEXT])

    @_answers_only
    async def validate_match_sector(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if is_skip(text) or parsing.says_unsure(text):
            return self._skip("match_sector", tracker)
        code = await _call(read_sector, text)
        if code is None:
            return self._not_read("match_sector", dispatcher, tracker)
        return self._read("match_sector", tracker, code)

    @_answers_only
    async def validate_match_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The screening's reader: a region's code, or a city or region named in the text."""
        from knowledge_base import Ambiguous

        text = str(value or "").strip()
        if is_skip(text) or parsing.says_unsure(text):
            return self._skip("match_region", tracker)
        if re.fullmatch(r"\d{2}", text) and 1 <= int(text) <= 17:
            return self._read("match_region", tracker, text)
        kb = await self.knowledge_base()
        found = kb.find_region(text)
        if isinstance(found, Ambiguous):
            dispatcher.utter_message(response="utter_match_region_ambiguous")
            return {"match_region": None}
        if found is None:
            return self._not_read("match_region", dispatcher, tracker)
        return self._read("match_region", tracker, found.code)

    @_answers_only
    async def validate_match_skills(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if is_skip(text):
            return self._skip("match_skills", tracker)
        skills = read_skills(text)
        if not skills or text.startswith("/"):
            return self._not_read("match_skills", dispatcher, tracker)
        return self._read("match_skills", tracker, ", ".join(skills))

    @_answers_only
    async def validate_match_languages(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        if is_skip(text):
            return self._skip("match_languages", tracker)
        codes = read_languages(text)
        if not codes:
            return self._not_read("match_languages", dispatcher, tracker)
        return self._read("match_languages", tracker, ",".join(codes))

    @_answers_only
    async def validate_match_contact_value(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        from handoff.contact import InvalidContactError, normalise_contact

        text = str(value or "").strip()
        if is_skip(text):
            return self._skip("match_contact_value", tracker)
        method = tracker.get_slot("match_contact_method")
        try:
            normalise_contact(str(method), text)
        except InvalidContactError:
            give_up, counts = form_failures.failed(tracker, "match_contact_value")
            if give_up:
                dispatcher.utter_message(response="utter_match_skipped_unread")
                return {"match_contact_value": SKIP, **counts}
            dispatcher.utter_message(response="utter_match_invalid_contact")
            return {"match_contact_value": None, **counts}
        return self._read("match_contact_value", tracker, text)


def _save(tracker: Tracker, lang: str) -> tuple[str, str]:
    """Create or change the profile (matchmaking's gates decide); (response, reference)."""
    from matchmaking import ConsentGiven, create_profile, update_profile
    from matchmaking.profiles import check_age
    from privacy import notice

    fields = profile_fields(tracker)
    editing = tracker.get_slot(EDITING_SLOT)
    if editing:
        return "utter_match_profile_updated", update_profile(editing, fields, by="person").reference
    adult = tracker.get_slot("match_adult")
    if adult != "yes":
        check_age(None, False if adult == "no" else None)  # raises: nothing stored
    consent = ConsentGiven(
        granted=tracker.get_slot("match_consent") == "yes",
        wording_version=CONSENT_WORDING_VERSION,
        notice_version=notice.version(),
    )
    view = create_profile(tracker.sender_id, _channel(tracker), lang, consent, adult=True, **fields)
    return "utter_match_profile_saved", view.reference


class ActionSaveMatchProfile(Action):
    def name(self) -> str:
        return "action_save_match_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        from matchmaking import MatchmakingError

        lang = answer_language(tracker)
        try:
            response, reference = await _call(_save, tracker, lang)
        except MatchmakingError as error:
            logger.info("matchmaking profile not saved: %s", getattr(error, "code", "?"))
            response, params = _error_response(error)
            dispatcher.utter_message(response=response, **params)
            return _reset(tracker)
        except Exception as error:  # noqa: BLE001 - the person is told; no data in the log
            logger.error("matchmaking profile not saved: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_match_store_unavailable")
            return _reset(tracker)
        dispatcher.utter_message(response=response, reference=reference)
        return _reset(tracker)


# -- showing, pausing, deleting --------------------------------------------------------------
def _labels(section: str, codes: Iterable[str], lang: str) -> str:
    from matchmaking import label

    return ", ".join(label(section, c, lang) for c in codes)


def _region_name(code: str | None) -> str:
    from matchmaking import load_regions

    return load_regions().name(code) if code else ""


def _name(key: str, lang: str) -> str:
    from matchmaking import label

    return label("field", key, lang)


def profile_details(profile: Any, lang: str) -> str:
    """The person's own profile, one line per answer (their contact included: it is theirs)."""
    from matchmaking import label

    none = _name("not_given", lang)
    text = none
    if profile.project_text:
        reviewed = "reviewed" if profile.text_reviewed_by else "not_reviewed"
        text = f"« {profile.project_text} » ({_name(reviewed, lang)})"
    contact = none
    if profile.contact_method:
        contact = f"{_name(profile.contact_method, lang)} : {profile.contact_value}"
    lines = [
        ("intent", label("intent", profile.intent, lang) or none),
        ("project_text", text),
        ("sector", label("sector", profile.sector, lang) or none),
        ("region", _region_name(profile.region_code) or none),
        ("reach", label("reach", profile.reach, lang) or none),
        ("role", label("role", profile.role, lang) or none),
        ("skills", ", ".join(profile.skills) or none),
        ("languages", _labels("language", profile.languages, lang) or none),
        ("availability", label("availability", profile.availability, lang) or none),
        ("contact", contact),
    ]
    return "\n".join(f"- {_name(key, lang)} : {value}" for key, value in lines)


def other_side_summary(summary: dict[str, Any], lang: str) -> str:
    """What the person may be told about the other side of an introduction (from
    ``IntroductionView.summary_for``): codes as words, and the sentence only when given."""
    from matchmaking import label

    lines: list[tuple[str, str]] = []
    if summary.get("kind") == "project":
        lines.append(("title", summary.get("title") or ""))
        if summary.get("roles_sought"):
            lines.append(("roles_sought", _labels("role", summary["roles_sought"], lang)))
    else:
        if summary.get("intent"):
            lines.append(("intent", label("intent", summary["intent"], lang)))
        if summary.get("role"):
            lines.append(("role", label("role", summary["role"], lang)))
    if summary.get("text"):
        lines.append(("project_text", f"« {summary['text']} »"))
    if summary.get("sector"):
        lines.append(("sector", label("sector", summary["sector"], lang)))
    if summary.get("region_code"):
        lines.append(("region", _region_name(summary["region_code"])))
    if summary.get("languages"):
        lines.append(("languages", _labels("language", summary["languages"], lang)))
    return "\n".join(f"- {_name(key, lang)} : {value}" for key, value in lines if value)


def side_of(introduction: Any, sender_id: str) -> str | None:
    """``a`` or ``b``: which side of ``introduction`` this person is (None: not theirs)."""
    if introduction.side_a.sender_id == sender_id:
        return "a"
    other = introduction.side_b_profile
    if other is not None and other.sender_id == sender_id:
        return "b"
    return None


def waiting_introductions(sender_id: str) -> list[tuple[Any, str]]:
    """The introductions waiting for this person's answer, with their side."""
    from matchmaking import introductions_of, profiles_of
    from matchmaking.introductions import OPEN_STATES

    waiting = []
    for profile in profiles_of(sender_id):
        for introduction in introductions_of(profile.reference):
            side = side_of(introduction, sender_id)
            answered = introduction.answer_a if side == "a" else introduction.answer_b
            if side and introduction.state in OPEN_STATES and answered is None:
                waiting.append((introduction, side))
    return waiting


def _introduction_buttons(reference: str, lang: str) -> list[dict[str, str]]:
    yes, no = _name("introduction_yes", lang), _name("introduction_no", lang)
    return [
        {"title": yes, "payload": f'/answer_introduction{{"choice": "yes:{reference}"}}'},
        {"title": no, "payload": f'/answer_introduction{{"choice": "no:{reference}"}}'},
    ]


def show_introduction(
    dispatcher: CollectingDispatcher, introduction: Any, side: str, lang: str
) -> None:
    dispatcher.utter_message(
        response="utter_match_introduction",
        reference=introduction.reference,
        summary=other_side_summary(introduction.summary_for(side, lang), lang),
        buttons=_introduction_buttons(introduction.reference, lang),
    )


class ActionShowMatchProfile(Action):
    def name(self) -> str:
        return "action_show_match_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        from matchmaking import profiles_of

        lang = answer_language(tracker)
        try:
            mine = await _call(profiles_of, tracker.sender_id)
            waiting = await _call(waiting_introductions, tracker.sender_id) if mine else []
        except Exception as error:  # noqa: BLE001 - the person is told; no data in the log
            logger.error("matchmaking profile not shown: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_match_store_unavailable")
            return []
        if not mine:
            dispatcher.utter_message(response="utter_match_no_profile")
            return []
        for profile in mine:
            dispatcher.utter_message(
                response="utter_match_profile_shown",
                reference=profile.reference,
                status=_name(profile.status, lang),
                details=profile_details(profile, lang),
            )
        for introduction, side in waiting:
            show_introduction(dispatcher, introduction, side, lang)
        paused = all(p.status == "paused" for p in mine)
        dispatcher.utter_message(
            response="utter_match_profile_actions_paused"
            if paused
            else "utter_match_profile_actions_active"
        )
        return []


def _set_status(sender_id: str, status: str) -> list[str]:
    """Pause or reactivate the person's profiles; an active profile asked to stay active is
    kept (its inactivity counts again from now). The references changed."""
    from matchmaking import profiles_of, set_profile_status
    from matchmaking.profiles import keep_profile

    references = []
    for profile in profiles_of(sender_id):
        if status == "active" and profile.status == "active":
            keep_profile(profile.reference, by="person")
        else:
            set_profile_status(profile.reference, status, by="person")
        references.append(profile.reference)
    return references


class ActionPauseMatchProfile(Action):
    status = "paused"
    response = "utter_match_profile_paused"

    def name(self) -> str:
        return "action_pause_match_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        from matchmaking import MatchmakingError

        try:
            references = await _call(_set_status, tracker.sender_id, self.status)
        except MatchmakingError as error:
            response, params = _error_response(error)
            dispatcher.utter_message(response=response, **params)
            return []
        except Exception as error:  # noqa: BLE001
            logger.error("matchmaking status not changed: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_match_store_unavailable")
            return []
        if not references:
            dispatcher.utter_message(response="utter_match_no_profile")
            return []
        dispatcher.utter_message(response=self.response, reference=", ".join(references))
        return []


class ActionResumeMatchProfile(ActionPauseMatchProfile):
    status = "active"
    response = "utter_match_profile_resumed"

    def name(self) -> str:
        return "action_resume_match_profile"


def _delete(sender_id: str) -> list[str]:
    from privacy.erasure import erase_match_profiles

    return erase_match_profiles(sender_id, by="person")


class ActionDeleteMatchProfile(Action):
    """The person's profiles and their introductions (privacy's profile-only erasure, in the
    destruction log); the conversation stays."""

    def name(self) -> str:
        return "action_delete_match_profile"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            references = await _call(_delete, tracker.sender_id)
        except Exception as error:  # noqa: BLE001 - the person is told; no data in the log
            logger.error("matchmaking profile not deleted: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_match_store_unavailable")
            return []
        if not references:
            dispatcher.utter_message(response="utter_match_no_profile")
            return [SlotSet(EDITING_SLOT, None)]
        dispatcher.utter_message(
            response="utter_match_profile_deleted", references=", ".join(references)
        )
        return [SlotSet(EDITING_SLOT, None)]


# -- introductions and projects -------------------------------------------------------------
def parse_answer(choice: str | None) -> tuple[str, str] | None:
    """("yes"|"no", "MI-…") from a button's choice "yes:MI-XXXX-XXXX"."""
    match = re.fullmatch(r"(yes|no):(MI-[0-9A-Z]{4}-[0-9A-Z]{4})", (choice or "").strip())
    return (match.group(1), match.group(2)) if match else None


def _answer(sender_id: str, choice: str | None, text: str) -> tuple[str, str]:
    """Record the person's answer; (response, introduction reference)."""
    from matchmaking import get_introduction, record_answer

    parsed = parse_answer(choice)
    if parsed is None:
        # Typed: only when exactly one introduction waits, and the answer is a clear yes or no.
        waiting = waiting_introductions(sender_id)
        answer = read_yes_no(text)
        if len(waiting) != 1 or answer is None:
            return "utter_match_no_introduction", ""
        parsed = (answer, waiting[0][0].reference)
    answer, reference = parsed
    side = side_of(get_introduction(reference), sender_id)
    if side is None:  # not this person's: a forged button is told nothing about it
        return "utter_match_no_introduction", ""
    view = record_answer(reference, side, answer, by="person")
    if view.state == "declined":
        return "utter_match_introduction_declined", reference
    if view.state == "accepted_by_both":
        return "utter_match_introduction_accepted", reference
    return "utter_match_introduction_yes_waiting", reference


class ActionAnswerIntroduction(Action):
    def name(self) -> str:
        return "action_answer_introduction"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        from matchmaking import MatchmakingError

        choice = next(tracker.get_latest_entity_values("choice"), None)
        text = (tracker.latest_message or {}).get("text") or ""
        try:
            response, reference = await _call(_answer, tracker.sender_id, choice, text)
        except MatchmakingError as error:
            code = getattr(error, "code", "")
            if code in ("transition_refused", "not_found"):
                dispatcher.utter_message(response="utter_match_introduction_closed")
            else:
                dispatcher.utter_message(response="utter_match_store_unavailable")
            return []
        except Exception as error:  # noqa: BLE001
            logger.error("introduction answer not recorded: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_match_store_unavailable")
            return []
        dispatcher.utter_message(response=response, reference=reference)
        return []


def _projects(
    sender_id: str,
    region_slot: str | None,
    asked_region: str | None = None,
    asked_sector: str | None = None,
) -> tuple[str | None, list[Any]]:
    """(region code, open projects near it): the region and sector the message names ("food
    projects in Laval?"), else the person's profile, else the screening's region."""
    from matchmaking import profiles_of, projects_near

    if asked_region:
        return asked_region, projects_near(asked_region, asked_sector)
    mine = [p for p in profiles_of(sender_id) if p.region_code]
    if mine:
        profile = mine[-1]
        region = str(profile.region_code)
        return region, projects_near(
            region, asked_sector or profile.sector, neighbouring=profile.reach == "neighbouring"
        )
    if region_slot and re.fullmatch(r"\d{2}", region_slot):
        return region_slot, projects_near(region_slot, asked_sector, neighbouring=True)
    return None, []


async def _asked_region(text: str, get_knowledge_base: Callable[[], Awaitable[Any]]) -> str | None:
    """The region a message names ("in Laval", « à Sherbrooke »), if exactly one; the knowledge
    base is read only when the message has words."""
    from knowledge_base import RegionMatch

    if not text or text.startswith("/"):
        return None
    kb = await get_knowledge_base()
    found = kb.find_region(text)
    return found.code if isinstance(found, RegionMatch) else None


def project_lines(projects: Iterable[Any], lang: str) -> str:
    from matchmaking import label, redact

    lines = []
    for project in projects:
        parts = [redact(project.title, lang) or "", _region_name(project.region_code)]
        if project.sector:
            parts.append(label("sector", project.sector, lang))
        if project.roles_sought:
            parts.append(
                f"{_name('roles_sought', lang).lower()} : "
                f"{_labels('role', project.roles_sought, lang)}"
            )
        lines.append("- " + " — ".join(parts))
    return "\n".join(lines)


class ActionListPartnerProjects(UsesKnowledgeBase, Action):
    def name(self) -> str:
        return "action_list_partner_projects"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = answer_language(tracker)
        region_slot = tracker.get_slot("screening_region") or tracker.get_slot("region")
        text = (tracker.latest_message or {}).get("text") or ""
        sector = None if text.startswith("/") else read_sector(text)
        try:
            asked = await _asked_region(text, self.knowledge_base)
            region, projects = await _call(_projects, tracker.sender_id, region_slot, asked, sector)
        except Exception as error:  # noqa: BLE001
            logger.error("projects not listed: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_match_store_unavailable")
            return []
        if region is None:
            dispatcher.utter_message(response="utter_match_projects_need_region")
        elif not projects:
            dispatcher.utter_message(
                response="utter_match_no_projects_near", region=_region_name(region)
            )
        else:
            dispatcher.utter_message(
                response="utter_match_projects_near",
                region=_region_name(region),
                projects=project_lines(projects[:5], lang),
            )
        return []


# -- at the person's next visit ----------------------------------------------------------------
def visit_notices(sender_id: str) -> tuple[list[Any], list[str]]:
    """(inactivity reminders due for this person's profiles, references of the introductions
    waiting for their answer).

    The reminders are marked sent by the caller once they are in the reply."""
    from matchmaking import profiles_of
    from privacy.retention import match_profile_reminders

    if not profiles_of(sender_id):
        return [], []
    due = [r for r in match_profile_reminders() if r.sender_id == sender_id]
    return due, [introduction.reference for introduction, _ in waiting_introductions(sender_id)]


def mark_sent(references: list[str]) -> None:
    from appdb import session_scope, utcnow
    from matchmaking.lifecycle import mark_reminded

    with session_scope() as session:
        mark_reminded(session, references, utcnow())


def format_date(value: date, lang: str) -> str:
    """``3 décembre 2026`` / ``December 3, 2026``: Babel's long date (month names are data)."""
    from babel.dates import format_date as babel_date

    return babel_date(value, "long", locale=DATE_LOCALES.get(lang, DATE_LOCALES["fr"]))


# The visit check queries the database: at most once every CHECK_EVERY per conversation. The
# introductions waiting are recalled once a day, and one proposed later the same day is announced
# at the next check.
CHECK_EVERY = timedelta(minutes=10)


def _last_check(value: Any) -> tuple[datetime | None, set[str]]:
    """(when the chat last looked, the introductions already announced) from ``match_checked``:
    "<ISO time> <reference> …" (an older value, a bare day, reads as that day's midnight)."""
    parts = str(value or "").split()
    try:
        when = datetime.fromisoformat(parts[0]) if parts else None
    except ValueError:
        return None, set()
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when, set(parts[1:])


async def tell_at_visit(
    dispatcher: CollectingDispatcher, tracker: Tracker, lang: str
) -> dict[str, Any]:
    """The inactivity reminder (once: it is marked sent) and the introductions waiting that were
    not announced yet; looked up at most every ``CHECK_EVERY``.

    The slot value to record (``match_checked``: the time and the introductions announced)."""
    now = datetime.now(timezone.utc)
    last, announced = _last_check(tracker.get_slot(CHECKED_SLOT))
    if last is not None and now - last < CHECK_EVERY:
        return {}
    if last is None or last.date() != now.date():
        announced = set()  # the introductions still waiting are recalled once a day
    try:
        due, waiting = await _call(visit_notices, tracker.sender_id)
        for reminder in due:
            dispatcher.utter_message(
                text=reminder_text(reminder, lang),
                buttons=reminder_buttons(lang),
                metadata={"utter_action": "utter_match_reminder"},
            )
        if due:
            await _call(mark_sent, [r.reference for r in due])
        if set(waiting) - announced:
            dispatcher.utter_message(
                text=_domain_text("utter_match_introductions_waiting", lang),
                buttons=[{"title": _name_button(lang), "payload": "/show_match_profile"}],
                metadata={"utter_action": "utter_match_introductions_waiting"},
            )
    except Exception as error:  # noqa: BLE001 - never in the way of the conversation
        logger.warning("matchmaking visit check failed: %s", type(error).__name__)
        return {}
    return {CHECKED_SLOT: " ".join([now.isoformat(timespec="seconds"), *sorted(waiting)])}


# The language may be decided in the same turn, so these are composed here from the domain file.
def _domain_text(response: str, lang: str) -> str:
    from bot.actions.texts import domain_text

    return domain_text(_domain(), response, lang)


def _domain() -> dict[str, Any]:
    from bot.actions.domain import local_domain

    return local_domain()


def reminder_text(reminder: Any, lang: str) -> str:
    """The inactivity reminder of a ``privacy.retention`` due reminder, in ``lang``."""
    return _domain_text("utter_match_reminder", lang).format(
        reference=reminder.reference, date=format_date(reminder.deleted_after.date(), lang)
    )


def reminder_buttons(lang: str) -> list[dict[str, str]]:
    for variation in _domain()["responses"]["utter_match_reminder"]:
        if any(c.get("value") == lang for c in variation.get("condition") or []):
            return list(variation.get("buttons") or [])
    return []


def _name_button(lang: str) -> str:
    return _name("my_profile", lang)


class MatchVisitMixin:
    """For ``action_validate_slot_mappings``: runs on every user turn (custom slot mapping)."""

    async def extract_match_checked(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        lang = tracker.get_slot("language") or "fr"
        return await tell_at_visit(dispatcher, tracker, lang)
