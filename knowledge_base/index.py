"""The search index of one language.

BM25 (bm25s) over the entries, with the score normalised to 0–1, a bonus for questions that name
an entry's title or keyword, a bonus for a question nearly identical to one an entry lists
(TF-IDF cosine, scikit-learn), and one-typo spelling repair.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from knowledge_base.analysis_cache import AnalysisCache
from knowledge_base.schema import Entry, RegionEntry
from knowledge_base.text import Analyzer, bigrams


def _import_bm25s() -> ModuleType:
    """bm25s without JAX.

    When JAX is installed (TensorFlow's dependencies bring it), bm25s
    imports and initialises it for a top-k selection we never use (only ``get_scores``): about
    130 MiB and tens of seconds of the action server's start. Unless something imported JAX
    already, bm25s sees it as missing and uses NumPy; JAX stays importable afterwards.
    """
    if "jax" in sys.modules:
        import bm25s

        return bm25s
    sys.modules["jax"] = None  # type: ignore[assignment]  # "import jax" raises ImportError
    try:
        import bm25s
    finally:
        del sys.modules["jax"]
    return bm25s


bm25s = _import_bm25s()


@dataclass
class Settings:
    """Tuned on tests/knowledge_base/data/devset_tuning.yml only (scripts/eval_kb.py)."""

    # Title and keywords say what an entry is about: they count more than body text.
    title_repeat: int = 3
    keyword_repeat: int = 4
    # The questions people ask for an entry (`questions`): each distinct word of them counts this
    # many times, so that a word every question repeats ("coop") does not swamp the others.
    question_repeat: int = 2
    short_repeat: int = 1
    k1: float = 1.2
    b: float = 0.75
    # A pair of neighbouring query words found together ("work permit"), relative to one word.
    bigram_weight: float = 0.5
    # Words sharing their first `prefix_length` letters ("survive"/"survival") match at this
    # weight: the lemmatisers do not join derived words, and no stemmer is installed.
    prefix_length: int = 6
    prefix_weight: float = 0.0
    # A query word the entries never use weighs this share of the rarest known word in the
    # ceiling: unknown words are the main sign of an out-of-scope question.
    unknown_weight: float = 0.6
    # The other language's title and keywords, this many times: people mix languages ("c'est
    # quoi le patronage refund", "what is a ristourne").
    other_repeat: int = 1
    # How much a question that contains all of an entry's title or of one keyword phrase gains.
    label_boost: float = 1.0
    # Words this long or longer may be repaired when the entries do not know them (one typo).
    min_typo_length: int = 5
    # A question nearly identical to one of an entry's `questions` (or its title) is the best
    # evidence there is: from a cosine of `question_match` (TF-IDF of lemmas and lemma pairs) the
    # entry gains up to `question_bonus`. Gated that high, it fixes an entry's own questions going
    # to a neighbour without changing how paraphrases rank (4-fold check, scripts/eval_kb.py).
    question_match: float = 0.7
    question_bonus: float = 0.15


# title, keywords, short, long (+ cities), other language, questions, in this order per entry
_FIELDS = 6
_QUESTIONS = 5


class LanguageIndex:
    """The entries of every kind indexed in one language, with ``Settings`` weighting each field.

    Texts are analysed by ``analyse``, through the on-disk analysis cache in ``cache_folder``.
    """

    def __init__(
        self,
        entries: list[Entry],
        analyse: Analyzer,
        settings: Settings,
        cache_folder: Path | None = None,
    ):
        self.analyse, self.settings = analyse, settings
        s, lang = settings, analyse.lang
        fields: list[tuple[str, int]] = []
        for e in entries:
            cities = " . ".join(e.cities) if isinstance(e, RegionEntry) else ""
            fields += [
                (e.text("title", lang), s.title_repeat),
                (" . ".join(e.items("keywords", lang)), s.keyword_repeat),
                (e.text("short", lang), s.short_repeat),
                (e.text("long", lang) + " . " + cities, 1),
            ]
            other = "en" if lang == "fr" else "fr"
            other_text = " . ".join([e.text("title", other), *e.items("keywords", other)])
            fields.append((other_text, s.other_repeat))
            fields.append((" . ".join(e.items("questions", lang)), s.question_repeat))
        questions, question_owners = _owned(
            entries, lambda e: [*e.items("questions", lang), e.text("title", lang)]
        )
        labels, label_owners = _owned(
            entries, lambda e: [e.text("title", lang), *e.items("keywords", lang)]
        )
        # One cached analysis of every text: an unchanged start reads it all from disk.
        everything, self.report = AnalysisCache(analyse, cache_folder).analyse(
            [text for text, _ in fields] + questions + labels
        )
        analysed = everything[: len(fields)]
        corpus: list[list[str]] = []
        for i, ((_, repeat), groups) in enumerate(zip(fields, analysed, strict=True)):
            if i % _FIELDS == 0:
                corpus.append([])
            extra = bigrams(groups) if s.bigram_weight else []
            if s.prefix_weight:
                extra += [p for g in groups if (p := self._prefix(g[0]))]
            terms = [t for g in groups for t in g] + extra
            if i % _FIELDS == _QUESTIONS:
                terms = list(dict.fromkeys(terms))  # each word once: see question_repeat
            corpus[-1] += terms * repeat
        self.titles = [
            {t for g in analysed[i] for t in g} for i in range(0, len(analysed), _FIELDS)
        ]
        self.bm25 = bm25s.BM25(k1=s.k1, b=s.b, method="lucene")
        self.bm25.index([c or ["\u2205"] for c in corpus], show_progress=False)
        self.size = n = len(corpus)
        df: dict[str, int] = {}
        for doc in corpus:
            for term in set(doc):
                df[term] = df.get(term, 0) + 1
        # Same idf as bm25s' "lucene" method, needed for the normalising ceiling.
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.df = df
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5) * s.unknown_weight
        # The ceiling of a query is what an entry of average length would score holding each
        # query word as often as a title word does (title_repeat times). Raw BM25 grows with the
        # number and rarity of the query's words; divided by this ceiling it becomes the share of
        # the question's evidence an entry holds, which reads the same for "NEQ?" and for a long
        # question, so one threshold serves both.
        tf = float(s.title_repeat)
        self.saturation = tf * (s.k1 + 1) / (tf + s.k1)
        self.vocab = self.bm25.vocab_dict
        rest = everything[len(fields) :]
        self.labels = self._labels(len(entries), label_owners, rest[len(questions) :])
        self.spelling = self._deletions(df)
        self._questions_index(question_owners, rest[: len(questions)])

    def _questions_index(self, owners: list[int], analysed: list[list[tuple[str, ...]]]) -> None:
        self.question_owners = np.array(owners, dtype=np.int64)
        self.question_vectorizer = TfidfVectorizer(
            tokenizer=str.split,
            token_pattern=None,
            ngram_range=(1, 2),
            sublinear_tf=True,
            lowercase=False,
        )
        docs = [lemmas(groups) for groups in analysed]
        self.question_matrix = self.question_vectorizer.fit_transform(docs)

    def question_bonus(self, groups: tuple[tuple[str, ...], ...]) -> np.ndarray:
        """Per entry, the bonus of its listed question closest to the query (0 below the gate)."""
        bonus = np.zeros(self.size, dtype=np.float32)
        s = self.settings
        if not s.question_bonus or not groups:
            return bonus
        query = self.question_vectorizer.transform([lemmas(groups)])
        cosine = (self.question_matrix @ query.T).toarray().ravel()
        np.maximum.at(bonus, self.question_owners, cosine.astype(np.float32))
        return s.question_bonus * np.clip((bonus - s.question_match) / (1 - s.question_match), 0, 1)

    @staticmethod
    def _labels(
        size: int, owners: list[int], analysed: list[list[tuple[str, ...]]]
    ) -> list[list[frozenset[str]]]:
        """Per entry, the term sets of its title and of each keyword phrase."""
        labels: list[list[frozenset[str]]] = [[] for _ in range(size)]
        for owner, groups in zip(owners, analysed, strict=True):
            if groups:
                # A word counts as present when any of its forms is: keep the lemma as its name.
                labels[owner].append(frozenset(g[0] for g in groups))
        return labels

    def _deletions(self, df: dict[str, int]) -> dict[str, list[str]]:
        """Each known word, and each form of it with one letter deleted -> the known words."""
        out: dict[str, list[str]] = {}
        for term in sorted(df, key=lambda t: -df[t]):  # most common first: preferred on a tie
            if derived(term) or len(term) < self.settings.min_typo_length or term.isdigit():
                continue
            for variant in {term} | {term[:i] + term[i + 1 :] for i in range(len(term))}:
                out.setdefault(variant, []).append(term)
        return out

    def repair(self, weights: dict[str, float]) -> dict[str, float]:
        """Replace a word the entries do not know by a known word one typo away, if any.

        A typo here is a missing, extra or swapped letter ("consomateur"); a wrong letter is not
        repaired, as it turns real words into others ("paris" -> "parts", "demain" -> "demand").
        """
        out: dict[str, float] = {}
        for term, weight in weights.items():
            if (
                term not in self.vocab
                and not derived(term)
                and len(term) >= self.settings.min_typo_length
            ):
                term = self._repair_word(term)
            out[term] = max(out.get(term, 0.0), weight)
        return out

    def _prefix(self, term: str) -> str:
        n = self.settings.prefix_length
        return "~" + term[:n] if len(term) > n and term.isalpha() else ""

    def expand(self, weights: dict[str, float]) -> dict[str, float]:
        """The query's words after spelling repair, plus their prefixes."""
        out = self.repair(weights)
        if self.settings.prefix_weight:
            for term, weight in list(out.items()):
                prefix = "" if derived(term) else self._prefix(term)
                if prefix:
                    out[prefix] = max(out.get(prefix, 0.0), weight * self.settings.prefix_weight)
        return out

    def _repair_word(self, term: str) -> str:
        # An unaccented plural or feminine the tagger could not lemmatise ("privilegiees"):
        # drop the ending before looking for a typo.
        for ending in ("es", "s", "e", "x"):
            stem = term[: -len(ending)]
            if term.endswith(ending) and stem in self.vocab:
                return stem
        candidates = [term] + [term[:i] + term[i + 1 :] for i in range(len(term))]
        known = (k for c in candidates for k in self.spelling.get(c, ()))
        return next((k for k in known if _one_typo(term, k)), term)

    def scores(
        self, weights: dict[str, float], extra: dict[str, float]
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """Raw BM25 of every entry, its part from ``extra`` terms, and the query's ceiling.

        The ceiling is what the query's own terms would score at best, unknown words included.

        ``extra`` terms (from the previous answer) add to the scores but not to the ceiling: they
        help choose between entries, not decide whether the question itself was understood.
        """
        total = np.zeros(self.size, dtype=np.float32)
        added = np.zeros(self.size, dtype=np.float32)
        ceiling = 0.0
        for term, weight in weights.items():
            if term in self.vocab:
                total += weight * self.bm25.get_scores([term])
                ceiling += weight * self.idf[term] * self.saturation
            elif not derived(term):  # an unseen pair or prefix is no sign of an unknown topic
                ceiling += weight * self.unknown_idf * self.saturation
        for term, weight in extra.items():
            if term in self.vocab and term not in weights:
                added += weight * self.bm25.get_scores([term])
        return total, added, ceiling

    def label_cover(self, weights: dict[str, float], candidates: np.ndarray) -> np.ndarray:
        """For each candidate entry, how well one of its labels and the question name each other.

        A label is the title or a keyword phrase. The measure is the idf share of the label found
        in the question times the share of the question found in the label. Both matter: "coop"
        alone names the entry "What is a co-op?", not "The consumer co-op", and every co-op
        question contains "coop".
        """
        terms = {t for t in weights if not derived(t)}
        mass = sum(self.idf.get(t, self.unknown_idf) * weights[t] for t in terms)
        cover = np.zeros(self.size, dtype=np.float32)
        if mass <= 0:
            return cover
        for i in candidates:
            best = 0.0
            for label in self.labels[i]:
                total = sum(self.idf.get(t, 0.0) for t in label)
                shared = sum(self.idf.get(t, 0.0) for t in label & terms)
                if total > 0 and shared > 0:
                    best = max(best, (shared / total) * min(1.0, shared / mass))
            cover[i] = best
        return cover


def _owned(
    entries: list[Entry], texts_of: Callable[[Entry], Iterable[str]]
) -> tuple[list[str], list[int]]:
    """The texts ``texts_of(entry)`` gives for each entry, and the position of each one's entry."""
    pairs = [(text, i) for i, e in enumerate(entries) for text in texts_of(e)]
    return [text for text, _ in pairs], [i for _, i in pairs]


def _one_typo(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one missing/extra letter or two swapped neighbours."""
    if abs(len(a) - len(b)) == 1:
        short, long_ = sorted((a, b), key=len)
        return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
    if len(a) == len(b) and a != b:
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    return False


def lemmas(groups: Iterable[Sequence[str]]) -> str:
    """The lemma of each word group, space-separated (what the question index compares)."""
    return " ".join(g[0] for g in groups)


def derived(term: str) -> bool:
    """Bigrams ("a_b") and prefixes ("~abcdef") are made by the index; words are alphanumeric."""
    return not term.isalnum()
