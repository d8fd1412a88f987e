"""Language identification of one chat message with lingua, plus a small lexicon for short words."""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

LEXICON_PATH = Path(__file__).with_name("lexicon.yml")

# Languages newcomers to Québec commonly write in; lingua compares only these, which keeps it fast
# and stops a short French word from being called, say, Estonian.
OTHER_LANGUAGES = (
    Language.SPANISH,
    Language.PORTUGUESE,
    Language.ARABIC,
    Language.GERMAN,
    Language.ITALIAN,
    Language.CHINESE,
    Language.PERSIAN,
    Language.RUSSIAN,
    Language.UKRAINIAN,
    Language.VIETNAMESE,
    Language.TURKISH,
    Language.HINDI,
    Language.TAGALOG,
    Language.ROMANIAN,
    Language.POLISH,
)
# lingua decides among the languages written in the Latin alphabet only: a message mostly in
# another script is told by its script (``_NON_LATIN``, ``_SCRIPTS``), without the models of
# Arabic, Chinese, Persian, Russian, Ukrainian and Hindi in memory.
LATIN_OTHER_LANGUAGES = tuple(
    language
    for language in OTHER_LANGUAGES
    if language
    not in (
        Language.ARABIC,
        Language.CHINESE,
        Language.PERSIAN,
        Language.RUSSIAN,
        Language.UKRAINIAN,
        Language.HINDI,
    )
)
# A foreign language is claimed only on a message long enough for lingua to be reliable, and only
# when the message holds more of that language's function words (spaCy's stop-word lists) than
# French or English ones: lingua alone calls "what is a coop" or a typo-ridden line Tagalog.
MIN_WORDS_FOR_OTHER = 3
OTHER_CONFIDENCE = 0.6
# Scripts that are neither French nor English whatever the length of the message, with the
# language each most likely means (ISO 639-1, for the record); the one holding most of the
# message's letters names it.
_SCRIPTS = (
    ("ar", re.compile(r"[\u0600-\u06FF\u0750-\u077F]")),
    ("ru", re.compile(r"[\u0400-\u04FF]")),
    ("hi", re.compile(r"[\u0900-\u097F]")),
    ("ja", re.compile(r"[\u3040-\u30FF]")),
    ("zh", re.compile(r"[\u4E00-\u9FFF]")),
    ("ko", re.compile(r"[\uAC00-\uD7AF]")),
    ("he", re.compile(r"[\u0590-\u05FF]")),
    ("th", re.compile(r"[\u0E00-\u0E7F]")),
)
_NON_LATIN = re.compile("|".join(pattern.pattern for _, pattern in _SCRIPTS))
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Detection:
    """``language`` is "fr", "en", "other" or None (undecided); ``confidence`` is in 0–1."""

    language: str | None
    confidence: float
    words: int
    other: str | None = None  # ISO 639-1 code when language == "other"

    def as_dict(self) -> dict:
        return {
            "language": self.language,
            "confidence": round(self.confidence, 3),
            "words": self.words,
            "other": self.other,
        }


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    return re.sub(r"[^\w' -]+", " ", text).strip()


@lru_cache(maxsize=1)
def _lexicon_data() -> dict:
    return yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, str]:
    data = {k: v for k, v in _lexicon_data().items() if k in ("fr", "en")}
    return {_fold(str(word)): lang for lang, words in data.items() for word in words}


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    data = _lexicon_data()["function_words"]
    return {lang: frozenset(_fold(str(w)) for w in words) for lang, words in data.items()}


# A message's grammar decides only when it is clear: at least this many grammar words of the
# winning language, and this many more than of the other one.
GRAMMAR_MIN = 2
GRAMMAR_LEAD = 1.5
# One grammar word of one language and none of the other still decides when the character
# statistics are unsure: "grants for immigrant entrepreneurs?" (French at 0.74 by its nouns).
WEAK_GRAMMAR_UNSURE = 0.8
# How sure such a decision is: enough for a first message's language, not to switch a
# conversation already in the other one (bot/language/choice.py).
WEAK_GRAMMAR_CONFIDENCE = 0.7


def grammar_language(words: list[str], weak: bool = False) -> str | None:
    """French or English by the grammar words of the message, when they clearly agree.

    ``weak``: one grammar word of a language and none of the other is enough.
    """
    function = _function_words()
    counts = {"fr": 0.0, "en": 0.0}
    for word in words:
        folded = _fold(word)
        if folded in function["fr"] or folded in function["en"]:
            for lang in counts:
                counts[lang] += folded in function[lang]
        elif re.match(r"^(?:d|l|j|qu|n|s|c|m|t)'", folded):  # "d'habitation", "l'argent"
            counts["fr"] += 0.5
    for lang, other in (("fr", "en"), ("en", "fr")):
        if counts[lang] >= GRAMMAR_MIN and counts[lang] - counts[other] >= GRAMMAR_LEAD:
            return lang
        if weak and counts[lang] >= 1 and counts[other] == 0:
            return lang
    return None


@lru_cache(maxsize=32)
def _stop_words(iso_code: str) -> frozenset[str]:
    """spaCy's stop words for ``iso_code``, read from its list without importing spaCy.

    ``import spacy.lang.es.stop_words`` would import spaCy itself (about 100 MB and two seconds
    in the Rasa process, at the first message in another language); the lists are plain Python
    files of words.
    """
    spec = importlib.util.find_spec("spacy")
    if (
        spec is None
        or not spec.submodule_search_locations
        or not re.fullmatch(r"[a-z]{2}", iso_code)
    ):
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "lang" / iso_code / "stop_words.py"
    if not path.is_file():
        return frozenset()
    namespace: dict[str, object] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102 - spaCy's own list
    words = namespace.get("STOP_WORDS")
    return (
        frozenset(w.lower() for w in words) if isinstance(words, (set, frozenset)) else frozenset()
    )


def _looks_foreign(words: list[str], iso_code: str) -> bool:
    ours = _stop_words("fr") | _stop_words("en")
    theirs = _stop_words(iso_code) - ours
    lowered = [w.lower() for w in words]
    return sum(w in theirs for w in lowered) > max(0, sum(w in ours for w in lowered) - 1) and any(
        w in theirs for w in lowered
    )


def _lexicon_language(folded: str) -> str | None:
    """A message made only of words from one language's list of short words ("allo allo")."""
    lexicon = _lexicon()
    whole = lexicon.get(folded) or lexicon.get(folded.rstrip("!?. "))
    if whole:
        return whole
    found = {lexicon.get(word) for word in folded.split()}
    return found.pop() if len(found) == 1 and None not in found else None


@lru_cache(maxsize=1)
def _fr_en_detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.ENGLISH).build()


@lru_cache(maxsize=1)
def _any_detector() -> LanguageDetector:
    languages = (Language.FRENCH, Language.ENGLISH, *LATIN_OTHER_LANGUAGES)
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def warm_up() -> None:
    """Load the models now rather than on the first user's message."""
    _lexicon()
    for language in OTHER_LANGUAGES:  # each list is read once, not at someone's first message
        _stop_words(language.iso_code_639_1.name.lower())
    detect("Bonjour, je voudrais fonder une coopérative avec des amis")
    detect("Hello, I would like to start a cooperative with friends")


# Proper names say nothing of the language a person writes in ("Saint-Laurent, in Montréal" is
# English): a capitalised word inside a sentence, or a capitalised compound anywhere
# ("Trois-Rivières"), is left out. "I", "OK" and acronyms have no lower-case letter after the first.
_SPACES = re.compile(r"(\s+)")
_SENTENCE_END = (".", "!", "?", ":")
_EDGES = "\"'«»“”‘’()[]{}.,;:!?¡¿"


def _is_name(word: str) -> bool:
    return len(word) > 1 and word[0].isupper() and any(c.islower() for c in word[1:])


def without_names(text: str) -> str:
    """``text`` without the proper names that carry no language (places, people)."""
    kept, starts_sentence = [], True
    for token in _SPACES.split(text):
        if not token or token.isspace():
            kept.append(token)
            continue
        word = token.strip(_EDGES)
        parts = [p for p in word.split("-") if p]
        compound = len(parts) > 1 and all(_is_name(p) for p in parts)
        kept.append(" " if compound or (_is_name(word) and not starts_sentence) else token)
        starts_sentence = token.endswith(_SENTENCE_END)
    return "".join(kept)


def detect(text: str) -> Detection:
    text = without_names(text)
    words = _WORD.findall(text)
    if not words:
        return Detection(None, 0.0, 0)
    letters = sum(len(w) for w in words)
    non_latin = len(_NON_LATIN.findall(text))
    if non_latin and non_latin >= letters / 2:
        return Detection("other", 1.0, len(words), _iso_of_script(text))

    # Stretched words ("hiii", "allooo") are the same word to a reader.
    folded = _REPEATS.sub(r"\1", _fold(text))
    lexical = _lexicon_language(folded)
    if lexical:
        return Detection(lexical, 1.0, len(words))

    if len(words) >= MIN_WORDS_FOR_OTHER:
        others = [
            value
            for value in _any_detector().compute_language_confidence_values(text)
            if value.language not in (Language.FRENCH, Language.ENGLISH)
        ]
        if sum(value.value for value in others) >= OTHER_CONFIDENCE:
            # lingua may hesitate between close languages (Spanish, Portuguese): any of its top
            # three candidates whose function words are in the message settles it.
            for value in others[:3]:
                iso = value.language.iso_code_639_1.name.lower()
                if _looks_foreign(words, iso):
                    return Detection("other", sum(v.value for v in others), len(words), iso)

    grammar = grammar_language(words)
    if grammar is not None and len(words) >= MIN_WORDS_FOR_OTHER:
        # Borrowed nouns ("le membership", "une coop de travail") fool character statistics;
        # the grammar of the sentence does not.
        return Detection(grammar, 0.95, len(words))
    values = _fr_en_detector().compute_language_confidence_values(text)
    best = values[0]
    lang = "fr" if best.language == Language.FRENCH else "en"
    if best.value < WEAK_GRAMMAR_UNSURE:
        weak = grammar_language(words, weak=True)
        if weak is not None and weak != lang:
            return Detection(weak, WEAK_GRAMMAR_CONFIDENCE, len(words))
    return Detection(lang, best.value, len(words))


def _iso_of_script(text: str) -> str | None:
    """The language the message's main script most likely means ("ar" for Arabic letters)."""
    counts = [(len(pattern.findall(text)), iso) for iso, pattern in _SCRIPTS]
    count, iso = max(counts)
    return iso if count else None
