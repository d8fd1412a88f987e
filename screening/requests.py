"""Whether a message asks if the cooperative form suits the person's own project.

"Would a co-op make sense for our hair salon?" and « une coop ça marcherait pour notre garage? »
are read by the NLU as questions about cooperatives; the knowledge base answers what a co-op is,
but the person asked for the screening. ``suitability_request`` tells the answer action to offer
the screening (or to offer it instead of topic suggestions when no entry answers). The words are
in ``requests.yml``, matched on the same normalised text as the screening's own parsers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

import yaml

from screening.lexicon import lexicon, words_pattern

REQUESTS_FILE = Path(__file__).resolve().parent / "requests.yml"


class Suitability(Enum):
    """How strongly a message asks about the co-op form for the person's own project."""

    NONE = "none"
    # Names the co-op and the person's own project ("we want to open a bakery as a co-op").
    PROJECT = "project"
    # Also asks about fit ("would a co-op work for our bakery?"): a request for the screening.
    ASKS_FIT = "asks_fit"


_KEYS = (
    "coop", "own_project", "venture", "fit_alone", "fit", "screening_words", "not_a_project",
    "other_questions", "personal_risk", "comparatives",
)  # fmt: skip


@dataclass(frozen=True)
class _Patterns:
    coop: re.Pattern[str]
    own_project: re.Pattern[str]
    venture: re.Pattern[str]
    fit_alone: re.Pattern[str]
    fit: re.Pattern[str]
    screening_words: re.Pattern[str]
    not_a_project: re.Pattern[str]
    other_questions: re.Pattern[str]
    personal_risk: re.Pattern[str]
    comparatives: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    with REQUESTS_FILE.open(encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    for key in _KEYS:
        words = doc.get(key)
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ValueError(f"{REQUESTS_FILE}: {key} must be a list of strings")
    return _Patterns(*(words_pattern(doc[key]) for key in _KEYS))


def _normal(text: str) -> str:
    """The text the word lists are matched on: normalised like the answers, hyphens as spaces."""
    return lexicon().normalize(text).replace("-", " ")


def names_the_coop(text: str) -> bool:
    """Whether ``text`` names the co-op ("coop", "co-op", « coopérative », « formule coop »)."""
    return _patterns().coop.search(_normal(text)) is not None


def asks_about_personal_risk(text: str) -> bool:
    """Whether ``text`` asks what a member personally risks ("can I lose my condo?")."""
    return _patterns().personal_risk.search(_normal(text)) is not None


def suitability_request(text: str) -> Suitability:
    """How ``text`` asks about the cooperative form for the writer's own project."""
    normal = _normal(text)
    patterns = _patterns()
    if not patterns.coop.search(normal):
        return Suitability.NONE
    if patterns.fit_alone.search(normal):
        return Suitability.ASKS_FIT
    if not patterns.own_project.search(normal):
        return Suitability.NONE
    if patterns.fit.search(normal):
        return Suitability.ASKS_FIT
    if patterns.venture.search(normal):
        return Suitability.PROJECT
    return Suitability.NONE


def describes_project(text: str) -> bool:
    """Whether ``text`` speaks of starting or running a business.

    Such as "un resto syrien avec traiteur", "we want to open a bakery": a message the NLU did not
    understand but that the screening would.
    """
    from screening.parsing import sector_of_project

    normal = _normal(text)
    patterns = _patterns()
    if patterns.venture.search(normal):
        return True
    # "me and my sister, a daycare in Longueuil": one's own, and a business by its sector.
    return bool(patterns.own_project.search(normal)) and sector_of_project(text) is not None


# Words shorter than this say nothing about a project on their own ("on", "a", "pi").
_SHORTEST_WORD = 3


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
    from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP

    return frozenset(lexicon().normalize(w) for w in EN_STOP | FR_STOP)


def tells_project(text: str) -> bool:
    """Whether ``text`` says what the project is, not only that there is one.

    "on est 3 coiffeuses, un salon à Laval en coop?" does, "I want to start a co-op, would that
    work?" does not: the screening then confirms it rather than asking "tell me about your
    project".
    """
    from screening.parsing import sector_of_project

    normal = _normal(text)
    patterns = _patterns()
    if not patterns.venture.search(normal) and suitability_request(text) is Suitability.NONE:
        return False
    if sector_of_project(text) is not None:  # « si ma coop de ménage marche »: a cleaning business
        return True
    strip = (
        patterns.fit_alone,
        patterns.fit,
        patterns.coop,
        patterns.own_project,
        patterns.screening_words,
    )
    for pattern in strip:
        normal = pattern.sub(" ", normal)
    stop = _stop_words()
    return any(
        len(word) >= _SHORTEST_WORD
        and word not in stop
        and not patterns.not_a_project.fullmatch(word)
        for word in re.findall(r"[a-z]+", normal)
    )


# Sentences end with their punctuation; the split keeps it with the sentence. Clauses are
# split at commas ("salut, on veut ouvrir un traiteur, une coop ça serait-tu une bonne idée?").
_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_CLAUSES = re.compile(r",\s+")
# Words that open a message without being part of what it says ("ok je veux voir si…").
_FILLERS = re.compile(
    r"^(?:(?:ok|okay|oke|bon|alors|euh+|ben|bin|so|well|um+|hi|hey|hello|salut|bonjour|allo|allô)"
    r"(?![\w'’-])[\s,.!:;-]*)+",
    re.IGNORECASE,
)
# A part of this many words or fewer that tells no project is a greeting ("Hey!", « Bonjour, »).
_GREETING_WORDS = 2
# What follows "is a co-op good for" names a project in this many words ("a food truck with 2
# friends"), or in fewer when they name a sector ("a bakery"); "my project" does not.
_PROJECT_WORDS = 4
# A question this short that tells no project only asks about it ("Would that make sense?").
_SHORT_QUESTION_WORDS = 6


def _aside(part: str) -> bool:
    """A greeting, or a question about fit that tells no project: not the project's words."""
    if tells_project(part):
        return False
    words = len(part.split())
    question = part.rstrip().endswith("?")
    names_coop = _patterns().coop.search(_normal(part)) is not None
    return (
        words <= _GREETING_WORDS
        or (question and (words <= _SHORT_QUESTION_WORDS or names_coop))
        or suitability_request(part) is not Suitability.NONE
    )


# The project inside the question about fit itself: "is a co-op good for a food truck with 2
# friends?" is described by "a food truck with 2 friends", « une coop ça marcherait-tu pour un
# traiteur? » by « un traiteur ».
_FIT_FOR = re.compile(
    r"(?:(?:is|would|could|will|does|can) (?:a |the )?co-?op\w* (?:be )?"
    r"(?:good|ok|okay|fine|suitable|a good idea|a good fit|the right choice|make sense|work|fit)"
    r"|(?:est-ce qu'|est ce qu')?(?:une |la )?co(?:-?op)\w* (?:ça |ca |cela )?(?:c'est |serait )?"
    r"(?:marcherait|fonctionnerait|conviendrait|serait bonne|bon|bonne|correct|une bonne idée)"
    r"(?:-tu|-ti| tu| ti)?)"
    r" (?:for|pour) (?P<project>(?:a|an|our|my|un|une|mon|ma|notre|nos) .+?)\s*[?!.]*$",
    re.IGNORECASE,
)


def _names_a_project(words: str) -> bool:
    """Whether ``words`` (after "good for") name a project, not only "my project"."""
    from screening.parsing import sector_of_project

    return (
        tells_project(words)
        or sector_of_project(words) is not None
        or len(words.split()) >= _PROJECT_WORDS
    )


def project_description(text: str) -> str | None:
    """The words of ``text`` that describe the project, or None when it tells none.

    The greeting and the question about fit are left out, as sentences or as clauses: "Hey!
    We're 4 newcomers and we want to start a bike repair shop. Should we set up as a co-op?" is
    described by its middle sentence, « salut, on veut ouvrir un traiteur, une coop ça serait-tu
    une bonne idée? » by its middle clause; said back to the person before the screening uses it.
    """
    if not tells_project(text):
        return None
    kept = []
    for sentence in _SENTENCES.split(text.strip()):
        inside = _FIT_FOR.search(_FILLERS.sub("", sentence))
        if inside is not None and _names_a_project(inside["project"]):
            kept.append(inside["project"])
            continue
        clauses = _CLAUSES.split(sentence)
        while len(clauses) > 1 and _aside(clauses[0]):
            clauses.pop(0)
        while len(clauses) > 1 and _aside(clauses[-1]):
            clauses.pop()
        part = ", ".join(clauses)
        if tells_project(part) or not _aside(part):
            kept.append(part)
    described = " ".join(kept) or text.strip()
    return _FILLERS.sub("", described) or described


def question_part(text: str) -> str | None:
    """The question a message asks beside the project it tells, when it is one of its own.

    "…un dépanneur à Rimouski, c'tu mieux une coop ou une compagnie?" asks "c'tu mieux une coop
    ou une compagnie?". None when the message tells no project, asks nothing else, or only asks
    whether a co-op fits (the screening's question).
    """
    from screening.parsing import is_question

    described = project_description(text)
    if not described:
        return None
    rest = [
        clause.strip()
        for sentence in _SENTENCES.split(text.strip())
        for clause in _CLAUSES.split(sentence)
        if clause.strip() and clause.strip() not in described
    ]
    asked = ", ".join(rest)
    if not asked or asked == text.strip() or not is_question(asked):
        return None
    normal = _normal(asked)
    patterns = _patterns()
    own = patterns.other_questions.search(normal) or patterns.comparatives.search(normal)
    return asked if own else None


def asks_only_fit(text: str) -> bool:
    """Whether ``text`` asks whether a co-op suits the person's project and nothing else.

    « est-ce qu'une coop me convient? » and "should we set up as a co-op?" do: the screening
    starts. "would a co-op work for our salon, and how is it different from a corporation?" also
    asks something else: it gets the short answer, then the screening offered.
    """
    if suitability_request(text) is not Suitability.ASKS_FIT:
        return False
    normal = _normal(text)
    return not _patterns().other_questions.search(normal)


def asks_something_else(text: str) -> bool:
    """Whether ``text`` is a question that is not a request for the screening.

    It asks nothing about fit, tells no project and holds none of the screening's words ("if the
    co-op goes bankrupt, can I lose my condo?").
    """
    from screening.parsing import is_question

    if not is_question(text) or suitability_request(text) is not Suitability.NONE:
        return False
    normal = _normal(text)
    patterns = _patterns()
    return not patterns.venture.search(normal) and not patterns.screening_words.search(normal)
