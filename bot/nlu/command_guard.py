"""NLU component: a command word inside an answer is not the command.

"un café zéro gaspillage", "a bus-stop kiosk", « arrêter de travailler pour un patron » or "a
cleaning company owned by us cleaners" may be classified as a request to stop or start over, and
« selon l'argent investi » as a request to erase one's data: a word of theirs looks like one. A
message stands as one of the guarded requests only when it is the request itself: every word of
it is a word people use to make that request (the words of the intent's training examples, learnt
at training time, plus courtesy words) and it names the request (one of its keywords). Otherwise
the intent is replaced by the best unguarded one, with the same confidence: the message is
something else, most often an answer.

``switch_language`` stands only with the language it names (the ``language`` entity): "30k-ish"
is not a request to speak English.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

WORDS_FILE = Path(__file__).with_name("command_guard.yml")


def _words_file() -> dict[str, Any]:
    """The guard's words and patterns (command_guard.yml), checked: a typo fails at import."""
    document = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    lists = (
        "courtesy",
        "distress_generic",
        "benign_compounds",
        "distress_outright",
        "partner_words",
        "seeking_words",
        "profile_words",
        "language_prefixes",
        "switch_verb",
        "in_language",
        "who_helps",
        "place_named",
        "project_words",
        "money_needed",
        "about_the_assistant",
    )
    for key in lists:
        values = document.get(key)
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise ValueError(f"{WORDS_FILE}: {key} must be a list of words")
    guarded = document.get("guarded")
    if not isinstance(guarded, dict) or not all(isinstance(v, list) for v in guarded.values()):
        raise ValueError(f"{WORDS_FILE}: guarded must map intents to lists of words")
    return document


_WORDS = _words_file()
# The requests that interrupt what the person is doing, and the words that name each one (after
# folding: lower case, no accents). A message must hold one of them to stand as the request.
GUARDED: dict[str, tuple[str, ...]] = {
    intent: tuple(words) for intent, words in _WORDS["guarded"].items()
}
# Distress interrupts everything, so it is never second-guessed when the model is sure or when a
# word of the message is a word people in distress used in the training examples; but a lone
# answer that only looks like one to the character n-grams ("livraison" read as distress at 0.63
# inside the screening) is not distress.
DISTRESS = "distress"
DISTRESS_SURE = 0.85
# Words too common to say anything about distress, and compounds whose parts people in distress
# also use (« sécurité alimentaire »).
_GENERIC = frozenset(_WORDS["distress_generic"])
BENIGN_COMPOUNDS = tuple(_WORDS["benign_compounds"])
# A question about fit that names no partner is the screening's; a question that says no wish to
# find or meet anyone is a question (command_guard.yml).
PARTNERS = "find_partners"
SCREENING = "start_screening"
GREET = "greet"
PARTNER_WORDS = tuple(_WORDS["partner_words"])
SEEKING_WORDS = tuple(_WORDS["seeking_words"])
# "Is there a real person I can talk to about our shop as a co-op?" is read as the screening (it
# names a project and a co-op); a message that asks for a person is a request for a person
# (handoff/answers.yml). Only these readings give way: an answer to a yes/no question stays one.
HUMAN = "request_human"
HUMAN_SURE = 0.8
GIVES_WAY_TO_HUMAN = frozenset(
    {
        "start_screening",
        "find_partners",
        "ask_cooperative_question",
        "ask_resources",
        "tell_me_more",
        "greet",
        "help",
        "out_of_scope",
        "bot_challenge",
        # « est-ce que je peux parler avec quelqu'un de vrai? …, merci, thanks » read as thanks
        "thank",
    }
)
# "pis si la coop fait faillite, est-ce que je peux perdre mon condo?" read, unsure, as the
# screening: a question that asks nothing about fit, tells no project and holds none of the
# screening's words is a question (screening/requests.yml `screening_words`).
QUESTION = "ask_cooperative_question"
NLU_FALLBACK = "nlu_fallback"
# The partner profile's commands speak of the profile or of meeting people; a question that says
# none of these ("we want to call it 'La Raíz Colectiva', is that allowed?" read as
# resume_match_profile at 0.64) is a question.
PROFILE_INTENTS = frozenset(
    {
        "show_match_profile",
        "edit_match_profile",
        "pause_match_profile",
        "resume_match_profile",
        "delete_match_profile",
    }
)
PROFILE_WORDS = tuple(_WORDS["profile_words"])
OUT_OF_SCOPE = "out_of_scope"
SHORT_ANSWER_WORDS = 4
RESOURCES = "ask_resources"
# "Who can help me start a co-op in Gatineau?": who helps, somewhere named, is the organisations
# of the region (command_guard.yml).
_WHO_HELPS = re.compile("|".join(_WORDS["who_helps"]), re.IGNORECASE)
_PLACE_NAMED = re.compile("|".join(_WORDS["place_named"]))
_PROJECT_WORDS = re.compile("|".join(_WORDS["project_words"]))
_MONEY_NEEDED = re.compile("|".join(_WORDS["money_needed"]))
_ABOUT_THE_ASSISTANT = re.compile("|".join(_WORDS["about_the_assistant"]))
HELP = "help"
# "if we take on a new guy in our worker coop, can we test him out before he's a full member?"
# read as the screening at 0.76 (dev12): below 0.85 such a question is the knowledge base's.
SCREENING_UNSURE = 0.85
LANGUAGE_INTENT = "switch_language"
LANGUAGE_ENTITY = "language"
# Courtesy and filler words a request may carry whatever the intent.
COURTESY = frozenset(_WORDS["courtesy"])
MIN_FUZZY_LENGTH = 5
# A typo of a distress word is only recognised in words this long or longer: « chaque ferme
# livre » is one letter from « vivre » and brought the crisis resources into the screening.
DISTRESS_FUZZY_LENGTH = 6
_WORD = re.compile(r"[^\W\d_]+|\d+")
VOCABULARY_FILE = "command_vocabulary.json"


def fold(text: str) -> list[str]:
    """Lower-case words without accents; "qu'on" gives "qu" and "on"."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _WORD.findall(text)


def _one_edit(a: str, b: str, shortest: int = MIN_FUZZY_LENGTH) -> bool:
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < shortest:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def is_the_request(text: str, intent: str, vocabulary: dict[str, set[str]]) -> bool:
    """Whether ``text`` is the guarded request ``intent`` itself, not a sentence containing it.

    An intent the model learnt no vocabulary for (a model trained before it was guarded) stands.
    """
    if not vocabulary.get(intent):
        return True
    known = vocabulary[intent] | COURTESY
    words: list[str] = []
    for word in fold(text):
        if word not in known:  # one typo away from a word of the request ("recomencer")
            word = next((k for k in sorted(known) if _one_edit(word, k)), "")
            if not word:
                return False
        words.append(word)
    keywords = GUARDED[intent]
    return bool(words) and any(w.startswith(k) for w in words for k in keywords)


# A language named in a longer message is a request to switch only with words that ask for it
# ("can we continue in French?"); "I translate Arabic, French and English. Could a co-op work
# for me?" names languages and asks something else. A short message ("French please") is one.
SWITCH_MAX_BARE_WORDS = 6
_SWITCH_VERB = re.compile("|".join(_WORDS["switch_verb"]))
_IN_LANGUAGE = re.compile("|".join(_WORDS["in_language"]))
# "can we do this in English please" asks for the language without a verb of speaking; in a
# longer message "in French" is more likely what the message is about ("is a Spanish name allowed
# or do we have to put it all in French?").
SWITCH_MAX_IN_LANGUAGE_WORDS = 10


def asks_to_switch(text: str) -> bool:
    """Whether a message naming a language asks to switch to it (see SWITCH_MAX_BARE_WORDS)."""
    words = fold(text)
    joined = " ".join(words)
    if len(words) <= SWITCH_MAX_BARE_WORDS or _SWITCH_VERB.search(joined):
        return True
    return len(words) <= SWITCH_MAX_IN_LANGUAGE_WORDS and bool(_IN_LANGUAGE.search(joined))


def asks_after_the_switch(text: str) -> bool:
    """A language switch followed by a question in the same message ("ok english then. whats a
    ristourne"): a sentence or clause of it that names no language is a question."""
    parts = [part for part in re.split(r"(?<=[.!?;,])\s+", text) if part.strip()]
    return len(parts) > 1 and any(
        is_question(part) and not any(w.startswith(_LANGUAGE_PREFIXES) for w in fold(part))
        for part in parts
    )


def asks_fit_without_partners(text: str) -> bool:
    """A question whether the co-op form suits the person's project that does not speak of
    partners or members ("Is a coop right for us?" after "with people from my community")."""
    from screening.requests import Suitability, suitability_request

    if suitability_request(text) is not Suitability.ASKS_FIT:
        return False
    return not any(word.startswith(PARTNER_WORDS) for word in fold(text))


def asks_without_seeking(text: str) -> bool:
    """A question that says no wish to find or meet anyone ("what is a co-op's membership? who
    can join?"), not a request for partners ("how do I find people to start a co-op with?")."""
    if not is_question(text):
        return False
    return not any(word.startswith(SEEKING_WORDS) for word in fold(text))


# What the language entity holds when it names a language: the codes its synonyms map to, or
# the words themselves, typos included (command_guard.yml).
_LANGUAGE_PREFIXES = tuple(_WORDS["language_prefixes"])


def names_a_language(value: Any) -> bool:
    """Whether the language entity's value names French or English."""
    if not isinstance(value, str):
        return False
    folded = " ".join(fold(value))
    return folded in ("fr", "en") or folded.startswith(_LANGUAGE_PREFIXES)


# People counted, in a message that says none of the words of danger, despair or harm
# (command_guard.yml), is no distress.
DISTRESS_OUTRIGHT = tuple(_WORDS["distress_outright"])


def counts_people(text: str) -> bool:
    """Whether ``text`` counts people ("my wife, a friend and myself", "nous sommes 4")."""
    from screening.counting import count_founders

    return count_founders(text, said_of_people=True) is not None


def says_distress_outright(text: str) -> bool:
    """Whether a word of ``text`` speaks of danger, despair or harm (see DISTRESS_OUTRIGHT)."""
    return any(word.startswith(DISTRESS_OUTRIGHT) for word in fold(text))


def speaks_of_the_profile(text: str) -> bool:
    """Whether ``text`` says a word of the partner profile's commands (see PROFILE_WORDS)."""
    return any(word.startswith(PROFILE_WORDS) for word in fold(text))


def names_a_coop(text: str) -> bool:
    """Whether ``text`` names the co-op (screening/requests.yml's words): "we are only 2 sisters,
    is it enough people for make a coop?" read as out of scope (0.92) is for the knowledge base,
    which says itself when it has no answer."""
    from screening.requests import names_the_coop

    return names_the_coop(text)


def tells_a_project(text: str) -> bool:
    """A business of the person's own told in words: starting or running one (the screening's
    venture words) and naming it (a project word or a sector's), not only wanting to "run a
    marathon"."""
    from screening.parsing import sector_of_project
    from screening.requests import describes_project

    if not describes_project(text):
        return False
    folded = " ".join(fold(text))
    return bool(_PROJECT_WORDS.search(folded)) or sector_of_project(text) is not None


def is_question(text: str) -> bool:
    from screening.parsing import is_question as question

    return question(text)


def states_a_need(text: str) -> bool:
    """Rent or food the person cannot pay for, said in plain words (knowledge_base/needs.yml)."""
    from knowledge_base.needs import need_entry

    return need_entry(text) is not None


def asks_only_fit(text: str) -> bool:
    """A question whether a co-op suits the person's project that asks nothing else
    (screening/requests.py)."""
    from screening.requests import asks_only_fit as only_fit

    return only_fit(text)


def asks_about_personal_risk(text: str) -> bool:
    """What a member risks ("if the co-op goes bankrupt, can I lose my condo?"), read as the
    screening even when sure, is for the knowledge base (screening/requests.yml)."""
    from screening.requests import asks_about_personal_risk as risk

    return risk(text)


def asks_fit(text: str) -> bool:
    """Whether ``text`` asks if a co-op suits the person's project (screening/requests.py)."""
    from screening.requests import Suitability, suitability_request

    return suitability_request(text) is Suitability.ASKS_FIT


def asks_something_else(text: str) -> bool:
    from screening.requests import asks_something_else as other

    return other(text)


def asks_for_a_person(text: str) -> bool:
    from handoff.answers import asks_for_a_person as asks

    return asks(text)


def mentions_distress(text: str, vocabulary: dict[str, set[str]]) -> bool:
    """Whether a word of ``text`` (not a generic one) is a word of the distress examples; True
    for a model that learnt no distress vocabulary."""
    known = vocabulary.get(DISTRESS)
    if not known:
        return True
    telling = {w for w in known if len(w) >= 4 and w not in _GENERIC}
    folded = f" {' '.join(fold(text))} "
    for compound in BENIGN_COMPOUNDS:
        folded = folded.replace(f" {compound} ", " ")
    for word in folded.split():
        if len(word) < 4 or word in _GENERIC:
            continue
        if word in telling or any(_one_edit(word, k, DISTRESS_FUZZY_LENGTH) for k in telling):
            return True
    return False


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class CommandGuard(GraphComponent):
    def __init__(
        self, model_storage: ModelStorage, resource: Resource, vocabulary: dict[str, set[str]]
    ):
        self._storage, self._resource, self.vocabulary = model_storage, resource, vocabulary

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CommandGuard:
        return cls(model_storage, resource, {})

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CommandGuard:
        try:
            with model_storage.read_from(resource) as folder:
                raw = json.loads((folder / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except (ValueError, OSError):
            raw = {}
        return cls(model_storage, resource, {k: set(v) for k, v in raw.items()})

    def train(self, training_data: TrainingData) -> Resource:
        """The words of each guarded intent's examples: what its requests are made of."""
        vocabulary: dict[str, set[str]] = {intent: set() for intent in (*GUARDED, DISTRESS)}
        for example in training_data.intent_examples:
            intent = example.get(INTENT)
            if intent in vocabulary:
                vocabulary[intent].update(fold(example.get(TEXT) or ""))
        self.vocabulary = vocabulary
        with self._storage.write_to(self._resource) as folder:
            (folder / VOCABULARY_FILE).write_text(
                json.dumps({k: sorted(v) for k, v in vocabulary.items()}), encoding="utf-8"
            )
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if not text or text.startswith("/"):  # a button's payload says what it means
                continue
            confidence = (message.get(INTENT) or {}).get("confidence", 0.0)
            if intent not in (DISTRESS, QUESTION, HUMAN) and states_a_need(text):
                # "we have nothing to eat tonight" read as resuming a form: the 211 entry.
                self._put_first(message, QUESTION)
            elif intent == GREET and tells_a_project(text):
                # « Bonjour! On est 4 coiffeuses à Laval pis on veut ouvrir un salon en coop,
                # ça marcherait-tu? » read as a greeting (0.66 by a model trained 2026-12-05):
                # the project is the message; the screening when it asks about fit.
                self._put_first(message, SCREENING if asks_fit(text) else QUESTION)
            elif intent in GUARDED and not is_the_request(text, intent, self.vocabulary):
                self._replace(message, intent)
            elif intent == DISTRESS and (
                (confidence < DISTRESS_SURE and not mentions_distress(text, self.vocabulary))
                or (counts_people(text) and not says_distress_outright(text))
            ):
                self._replace(message, intent)
            elif intent in GIVES_WAY_TO_HUMAN and asks_for_a_person(text):
                self._put_first(message, HUMAN)
            elif intent == HUMAN and confidence < HUMAN_SURE and asks_for_a_person(text):
                # "ok so who can tell me if my papers are ok for that?" read as a person at 0.24,
                # then as not understood: it asks for one in so many words.
                self._put_first(message, HUMAN, at_least=HUMAN_SURE)
            elif intent == PARTNERS and asks_fit_without_partners(text):
                self._put_first(message, SCREENING)
            elif intent == PARTNERS and asks_without_seeking(text):
                self._put_first(message, QUESTION)
            elif (
                intent == SCREENING and confidence < SCREENING_UNSURE and asks_something_else(text)
            ):
                self._put_first(message, QUESTION)
            elif (
                intent == SCREENING and asks_about_personal_risk(text) and asks_something_else(text)
            ):
                self._put_first(message, QUESTION)
            elif intent == SCREENING and _MONEY_NEEDED.search(" ".join(fold(text))):
                # "I need money to start my business": financing, then the screening offered.
                self._put_first(message, QUESTION)
            elif (
                # "who could help me with a coop project in Baie-Comeau?": the organisations
                # there, not the questionnaire the words "coop project" call for.
                intent in (QUESTION, RESOURCES, NLU_FALLBACK, SCREENING)
                and _WHO_HELPS.search(text)
                and _PLACE_NAMED.search(text)
            ):
                self._put_first(message, RESOURCES, at_least=0.8)
            elif intent == QUESTION and asks_only_fit(text):
                # « est-ce qu'une coop me convient? » read as a question about co-ops: it asks
                # for the screening and nothing else.
                self._put_first(message, SCREENING)
            elif intent in PROFILE_INTENTS and not speaks_of_the_profile(text):
                if is_question(text):
                    self._put_first(message, QUESTION)
                else:
                    self._replace(message, intent)
            elif intent in (QUESTION, OUT_OF_SCOPE) and _ABOUT_THE_ASSISTANT.search(
                " ".join(fold(text))
            ):
                # "Hi there, I'm new in Canada, just checking what this chat is about": what the
                # assistant can do, not "no sure answer".
                self._put_first(message, HELP)
            elif intent == OUT_OF_SCOPE and names_a_coop(text):
                self._put_first(message, QUESTION)
            elif intent == OUT_OF_SCOPE and tells_a_project(text) and not is_question(text):
                # "jai un projet de food truck avec 2 chums a Gatineau" (0.77 out of scope): the
                # organisations of the place named and the screening offered (list_resources),
                # or, with no place, the screening offered (the fallback reads the project).
                if _PLACE_NAMED.search(text):
                    self._put_first(message, RESOURCES, at_least=0.8)
                else:
                    self._put_first(message, NLU_FALLBACK)
            elif intent == LANGUAGE_INTENT and (
                not any(
                    e.get("entity") == LANGUAGE_ENTITY and names_a_language(e.get("value"))
                    for e in message.get(ENTITIES) or []
                )
                or not asks_to_switch(text)
            ):
                self._replace(message, intent)
            elif intent == LANGUAGE_INTENT and asks_after_the_switch(text):
                # "ok english then. whats a ristourne": the question is answered, in the language
                # it names (bot/actions/answer_question.py), which the conversation goes on in.
                self._put_first(message, QUESTION)
        return messages

    @staticmethod
    def _put_first(message: Message, intent: str, at_least: float = 0.0) -> None:
        """``intent`` becomes the reading, as sure as the one it replaces, which takes the
        confidence ``intent`` had: the two swap places (left both at the same confidence, the
        FallbackClassifier after this component reads the message as ambiguous)."""
        replaced = message.get(INTENT) or {}
        confidence = replaced.get("confidence", 0.0)
        ranking = message.get(INTENT_RANKING_KEY) or []
        had = next((r.get("confidence", 0.0) for r in ranking if r.get("name") == intent), 0.0)
        rest = []
        for r in ranking:
            if r.get("name") == intent:
                continue
            if r.get("name") == replaced.get("name"):
                r = {**r, "confidence": had}
            rest.append(r)
        rest.sort(key=lambda r: -r.get("confidence", 0.0))
        best = {"name": intent, "confidence": max(confidence, at_least)}
        message.set(INTENT, best, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [best, *rest], add_to_output=True)

    @staticmethod
    def _replace(message: Message, intent: str) -> None:
        confidence = (message.get(INTENT) or {}).get("confidence", 0.0)
        # The replacement is never a request that needs what this message lacks: another guarded
        # request, or a language switch without the language named.
        ranking = [
            r
            for r in message.get(INTENT_RANKING_KEY) or []
            if r.get("name") not in (intent, LANGUAGE_INTENT)
        ]
        # Nor distress, which interrupts everything: a word misread as a command ("mécanique
        # auto" as stop_form) must not become a crisis message whose runner-up it was.
        last = (*GUARDED, DISTRESS)
        # Nor a reading this message cannot be: a person asked for without asking for one, a yes
        # or no in a long message, a profile command without the profile ("I'm a freelance
        # translator (Arabic, French and English)… could it work for someone like me?" read as a
        # switch had request_human, deny and delete_match_profile before start_screening).
        text = message.get(TEXT) or ""
        unfit = set(last)
        if not asks_for_a_person(text):
            unfit.add(HUMAN)
        if len(fold(text)) > SHORT_ANSWER_WORDS:
            unfit.update(("affirm", "deny"))
        if not speaks_of_the_profile(text):
            unfit.update(PROFILE_INTENTS)
        ranking = [r for r in ranking if r.get("name") not in unfit] + [
            r for r in ranking if r.get("name") in unfit
        ]
        if not ranking:
            return
        # Sure that it is not the command, hence as sure of the next reading as of the first.
        best = {"name": ranking[0]["name"], "confidence": confidence}
        message.set(INTENT, best, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [best, *ranking[1:]], add_to_output=True)
