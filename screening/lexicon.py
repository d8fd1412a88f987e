"""Text normalisation and the compiled vocabulary (vocabulary.yml) behind the free-text parsers.

Deterministic on purpose: the same answer always gives the same reading, and every word the
parsers know is in the data file, where a reviewer can see it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

VOCABULARY_FILE = Path(__file__).resolve().parent / "vocabulary.yml"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "´": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
# Words (with inner apostrophes: "j'ai", "don't"), money signs, and clause punctuation, which
# is kept as a token so that a negation does not reach across a comma.
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*'?|[$+&%]|[,.;:!?]")
_PUNCTUATION = frozenset(",.;:!?")
_NEGATION_REACH = 3


def strip_accents(text: str) -> str:
    """``text`` without accents or ligatures, apostrophes made straight; the case is kept."""
    text = text.translate(_APOSTROPHES).translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lowercase, without accents: "Sûr" and "sur" read the same (users often skip accents)."""
    return strip_accents(text).lower()


def tokens(text: str) -> list[str]:
    """The folded words, money signs and clause punctuation of ``text``, in order.

    Punctuation is kept as a token so that a negation does not reach across a comma.
    """
    return _TOKEN.findall(fold(text))


def words_pattern(alternatives: Iterable[str]) -> re.Pattern[str]:
    """One regex matching any alternative as whole words, longest alternatives first."""
    ordered = sorted({strip_accents(a) for a in alternatives}, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(ordered) + r")(?![a-z0-9])")


def _osa_distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one typo ("trios")."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]


def _words(doc: Mapping[str, Any], *path: str) -> list[str]:
    node: Any = doc
    for key in path:
        node = node[key]
    if not isinstance(node, list) or not all(isinstance(w, str) for w in node):
        # YAML reads a bare `no` or `on` as a boolean: fail here rather than match nothing.
        raise ValueError(f"{VOCABULARY_FILE}: {'.'.join(path)} must be a list of strings")
    return node


def _opening(alternatives: Iterable[str]) -> re.Pattern[str]:
    """Alternatives that must open the text."""
    return re.compile(r"^(?:" + "|".join(strip_accents(a) for a in alternatives) + r")(?![a-z0-9])")


@dataclass(frozen=True)
class Choice:
    """One answer code of a question, and the pattern of the words that give it."""

    value: str
    pattern: re.Pattern[str]


class Lexicon:
    """The vocabulary, compiled once; ``normalize`` and the matchers read answers with it."""

    def __init__(self, doc: Mapping[str, Any]):
        self.doc = doc
        self._typos = {fold(k): fold(v) for k, v in doc["typos"].items()}
        self._typo_pattern = words_pattern(re.escape(k) for k in self._typos)
        self._fuzzy = frozenset(_words(doc, "fuzzy_words"))
        self.negators = frozenset(_words(doc, "negators"))
        self.unsure = words_pattern(_words(doc, "unsure"))
        self.hedges = words_pattern(_words(doc, "hedges"))
        self.not_ready_yet = words_pattern(_words(doc, "not_ready_yet"))
        self.self_employed = words_pattern(_words(doc, "self_employed"))
        self.choices = {
            name: [Choice(str(c["value"]), words_pattern(c["patterns"])) for c in options]
            for name, options in doc["choices"].items()
        }
        self.capital_levels = [
            Choice(str(c["value"]), words_pattern(c["patterns"])) for c in doc["capital"]["levels"]
        ]
        self.capital_bands: Mapping[str, int] = doc["capital"]["bands"]
        numbers = doc["numbers"]
        self.number_phrases = {fold(k): int(v) for k, v in numbers["phrases"].items()}
        self.phrase_pattern = words_pattern(re.escape(k) for k in self.number_phrases)
        self.number_words = {fold(k): int(v) for k, v in numbers["words"].items()}
        self.articles = frozenset(_words(doc, "numbers", "articles"))
        self.question_starts = _opening(_words(doc, "questions", "starts"))
        self.not_questions = _opening(_words(doc, "questions", "not_questions"))
        self.question_words = words_pattern(_words(doc, "questions", "words"))
        self.question_tags = words_pattern(_words(doc, "questions", "tags"))
        self.correction_markers = words_pattern(_words(doc, "corrections", "markers"))
        self.restart_mentions = words_pattern(_words(doc, "restart_mentions"))
        self.about_the_question = words_pattern(_words(doc, "about_the_question"))
        self.question_entries: Mapping[str, str] = {
            str(k): str(v) for k, v in doc["question_entries"].items()
        }
        self.readback_yes = words_pattern(_words(doc, "readback", "yes"))
        self.readback_no = words_pattern(_words(doc, "readback", "no"))
        self.project_sectors = {
            str(code): words_pattern(_words(doc, "project_sectors", code))
            for code in doc["project_sectors"]
        }
        self.correction_cues = {
            field: words_pattern(patterns) for field, patterns in doc["corrections"]["cues"].items()
        }

    def section(self, *path: str) -> list[str]:
        """The list of words at ``path`` in vocabulary.yml.

        Raises:
            ValueError: the node is not a list of strings (YAML reads a bare ``no`` as false).
        """
        return _words(self.doc, *path)

    def _fix_word(self, word: str) -> str:
        # Only longer words: short ones ("for", "sur", "tree") are too often another real word.
        if len(word) < 6 or not word.isalpha() or word in self._fuzzy:
            return word
        best: list[tuple[int, str]] = []
        for target in self._fuzzy:
            if target.startswith(word) or word.startswith(target):
                return word  # an inflection ("membre" / "membres"), not a typo
            allowed = 2 if len(target) >= 10 else 1
            if abs(len(target) - len(word)) > allowed:
                continue
            distance = _osa_distance(word, target)
            if distance <= allowed:
                best.append((distance, target))
        if not best:
            return word
        best.sort()
        if len(best) > 1 and best[0][0] == best[1][0] and best[0][1] != best[1][1]:
            return word  # two equally close words: do not guess
        return best[0][1]

    def normalize(self, text: str) -> str:
        """Folded tokens joined by single spaces, typos and Québec spoken forms put right."""
        joined = " ".join(tokens(text))
        joined = self._typo_pattern.sub(lambda m: self._typos[m.group(0)], joined)
        fixed = []
        for token in joined.split():
            head, apostrophe, tail = token.rpartition("'")
            if apostrophe and tail:
                fixed.append(head + apostrophe + self._fix_word(tail))
            else:
                fixed.append(self._fix_word(token))
        return " ".join(fixed)

    def negated(self, text: str, start: int) -> bool:
        """Whether one of the few words before ``start``, in the same clause, is a negation."""
        before = text[:start].split()[-_NEGATION_REACH:]
        for word in reversed(before):
            if word in _PUNCTUATION:
                return False
            if word in self.negators:
                return True
        return False

    def find(self, pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
        """The first match that is not negated; a match opening with a negation is taken as is."""
        for match in pattern.finditer(text):
            first_word = match.group(0).split()[0] if match.group(0).split() else ""
            if first_word in self.negators or not self.negated(text, match.start()):
                return match
        return None


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The vocabulary of vocabulary.yml, compiled once per process."""
    with VOCABULARY_FILE.open(encoding="utf-8") as handle:
        return Lexicon(yaml.safe_load(handle))
