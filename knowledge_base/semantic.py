"""Semantic side of the search: each entry's texts as sentence vectors, compared with a question.

An entry's passages are its title with its short answer, and each question it lists, in both
languages (people mix them: "c'est quoi le membership"); an entry scores the cosine of its
closest passage. The entry classifier also learns each listed question encoded as a question
(e5's "query:" side, the side a person's question is encoded on). Vectors are cached on disk by
the hash of each text, the side and the encoder's name, so a start with unchanged content
encodes nothing and an edited entry re-encodes only its changed texts.

The cache folder is ``COOPILOTE_CACHE_DIR`` (knowledge_base/cache.py).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from knowledge_base.cache import cache_dir, text_key, write_atomically
from knowledge_base.encoder import Encoder
from knowledge_base.schema import Entry
from knowledge_base.text import LANGS

if TYPE_CHECKING:  # scikit-learn is imported only when the classifier is trained
    from sklearn.linear_model import LogisticRegression

logger = logging.getLogger(__name__)
# Questions remembered with their vector: the action ranks a question more than once (answer,
# suggestions, topic of an unanswered question) and people repeat themselves.
QUERY_CACHE_SIZE = 512
# Passage vectors kept on disk at most (about 1.5 kB each); the content has about 1,600.
MAX_CACHED = 20_000


def passages_of(entry: Entry) -> list[str]:
    """The texts an entry is found by: title + short answer, and its questions, fr and en."""
    texts = []
    for lang in LANGS:
        texts.append(f"{entry.text('title', lang)}. {entry.text('short', lang)}")
        texts += entry.items("questions", lang)
    return texts


def questions_of(entry: Entry) -> list[str]:
    """The questions an entry lists, fr and en: the classifier also learns them as questions."""
    return [q for lang in LANGS for q in entry.items("questions", lang)]


def _cache_file(prefix: str, encoder: Encoder, folder: Path | None) -> Path:
    """The cache file of ``prefix`` for ``encoder``: named by it, so no encoder reads another's."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in encoder.name)
    return (folder or cache_dir()) / f"{prefix}-{safe}.npz"


@dataclass
class EncodingReport:
    """How many passages a build needed, and how many it encoded rather than read from disk."""

    passages: int
    encoded: int
    seconds: float

    def __add__(self, other: EncodingReport) -> EncodingReport:
        return EncodingReport(
            self.passages + other.passages,
            self.encoded + other.encoded,
            self.seconds + other.seconds,
        )

    def summary(self) -> str:
        """One line for the log."""
        return (
            f"{self.passages} passages, {self.encoded} encoded "
            f"({self.passages - self.encoded} from the cache) in {self.seconds:.1f} s"
        )


class VectorCache:
    """Vectors of one encoder on disk (numpy ``.npz``), keyed by a hash of the text.

    ``side`` is how the texts are encoded: ``passages`` (what is searched) or ``queries`` (as a
    person's question is); each side has its own file.
    """

    def __init__(self, encoder: Encoder, folder: Path | None = None, side: str = "passages"):
        if side not in ("passages", "queries"):
            raise ValueError(f"unknown side {side!r}")
        self.encoder = encoder
        self.side = side
        self.path = _cache_file(f"kb-{side}", encoder, folder)

    key = staticmethod(text_key)

    def _read(self) -> dict[str, np.ndarray]:
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, KeyError, ValueError) as error:
            if self.path.exists():  # a damaged file is rebuilt, not fatal
                logger.warning("passage vector cache unreadable, rebuilding: %s", error)
            return {}
        if vectors.ndim != 2 or vectors.shape[1] != self.encoder.dim:
            return {}
        return dict(zip(keys.tolist(), vectors, strict=True))

    def _write(self, known: dict[str, np.ndarray]) -> None:
        keys = np.array(sorted(known))
        vectors = np.stack([known[k] for k in keys]) if len(keys) else np.zeros((0, 1))
        write_atomically(
            self.path, lambda out: np.savez(out, keys=keys, vectors=vectors.astype(np.float32))
        )

    def vectors(self, texts: Sequence[str]) -> tuple[np.ndarray, EncodingReport]:
        """The vectors of ``texts`` in order, encoding (and storing) only those not cached."""
        start = time.perf_counter()
        known = self._read()
        keys = [self.key(t) for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            encode = self.encoder.passages if self.side == "passages" else self.encoder.queries
            fresh = encode([by_key[k] for k in missing])
            known.update(zip(missing, fresh, strict=True))
            if len(known) > MAX_CACHED:
                # Old texts are dropped only past a bound: two contents in turn (a test's small
                # one, the real one) must not evict each other's vectors on every start.
                known = {k: known[k] for k in set(keys)}
            self._write(known)
        matrix = (
            np.stack([known[k] for k in keys]).astype(np.float32)
            if keys
            else np.zeros((0, self.encoder.dim), dtype=np.float32)
        )
        report = EncodingReport(len(set(keys)), len(missing), time.perf_counter() - start)
        return matrix, report


# Regularisation of the entry classifier. 2026-12-05: trained on the passages and, again, on each
# listed question encoded as a question, C=30 with the thresholds of knowledge_base/search.py
# chosen together (4-fold check and the first two tuning files, three refusals per wrong answer;
# the third file judged): third file 92.5 % right, 1.3 % wrong (passages only, C=10: 89.4 % and
# 2.2 %). Trained in about 5 s, once per content.
CLASSIFIER_C = 30.0
CLASSIFIER_MAX_ITER = 2000


@dataclass(frozen=True)
class LinearClassifier:
    """A trained logistic regression reduced to its weights: what scoring a question needs.

    Kept on disk next to the passage vectors (``EntryClassifiers``), so that a start with
    unchanged content neither fits it again (about 2 s of CPU) nor imports scikit-learn.
    """

    coef: np.ndarray  # (classes, dim), or (1, dim) when there are two classes
    intercept: np.ndarray
    classes: np.ndarray  # the owner index of each class

    @classmethod
    def of(cls, model: LogisticRegression) -> LinearClassifier:
        """The weights of a fitted scikit-learn model."""
        return cls(
            model.coef_.astype(np.float64),
            model.intercept_.astype(np.float64),
            model.classes_.astype(np.int64),
        )

    def predict_proba(self, vector: np.ndarray) -> np.ndarray:
        """Each class's probability for one vector, as scikit-learn's ``predict_proba`` gives."""
        decision = self.coef @ vector.astype(np.float64) + self.intercept
        if len(decision) == 1:  # two classes: one-vs-rest on the second
            positive = 1.0 / (1.0 + np.exp(-decision[0]))
            return np.array([1.0 - positive, positive])
        decision -= decision.max()
        odds = np.exp(decision)
        return odds / odds.sum()


class EntryClassifiers:
    """Trained classifiers on disk, keyed by a hash of their training data and settings."""

    def __init__(self, encoder: Encoder, folder: Path | None = None):
        self.path = _cache_file("kb-classifier", encoder, folder)

    @staticmethod
    def key(matrix: np.ndarray, owners: np.ndarray) -> str:
        """What the classifier depends on: the vectors, their owners and the settings."""
        digest = hashlib.sha256()
        digest.update(f"{matrix.shape}|{CLASSIFIER_C}|{CLASSIFIER_MAX_ITER}".encode())
        digest.update(np.ascontiguousarray(matrix, dtype=np.float32).tobytes())
        digest.update(np.ascontiguousarray(owners, dtype=np.int64).tobytes())
        return digest.hexdigest()[:32]

    def read(self, key: str) -> LinearClassifier | None:
        """The classifier stored for ``key``, or None (none stored, another key, unreadable)."""
        try:
            with np.load(self.path, allow_pickle=False) as data:
                if str(data["key"]) != key:
                    return None
                return LinearClassifier(data["coef"], data["intercept"], data["classes"])
        except (OSError, KeyError, ValueError) as error:
            if self.path.exists():
                logger.warning("entry classifier cache unreadable, training again: %s", error)
            return None

    def write(self, key: str, model: LinearClassifier) -> None:
        """Store ``model`` under ``key`` (one classifier per encoder: the current content's)."""
        write_atomically(
            self.path,
            lambda out: np.savez(
                out,
                key=np.array(key),
                coef=model.coef,
                intercept=model.intercept,
                classes=model.classes,
            ),
        )


class SemanticIndex:
    """How close a question is to each entry in meaning, measured two ways.

    The cosine of the question with each entry's closest passage, and the probability of each
    entry given by a classifier trained on the passage vectors (scikit-learn's logistic
    regression): the closest passage sees one neighbour, the classifier what all of an entry's
    texts share.
    """

    def __init__(self, entries: Sequence[Entry], encoder: Encoder, folder: Path | None = None):
        self.encoder = encoder
        texts, owners = [], []
        for i, entry in enumerate(entries):
            for text in passages_of(entry):
                texts.append(text)
                owners.append(i)
        self.size = len(entries)
        self.owners = np.array(owners, dtype=np.int64)
        self.matrix, self.report = VectorCache(encoder, folder).vectors(texts)
        questions, asked_by = [], []
        for i, entry in enumerate(entries):
            for text in questions_of(entry):
                questions.append(text)
                asked_by.append(i)
        as_asked, report = VectorCache(encoder, folder, side="queries").vectors(questions)
        self.report += report
        #: Whether this build fitted the classifier (False: read from the cache, or none).
        self.classifier_trained = False
        self.classifier = self._classifier(
            encoder,
            folder,
            np.concatenate([self.matrix, as_asked]),
            np.concatenate([self.owners, np.array(asked_by, dtype=np.int64)]),
        )
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _classifier(
        self, encoder: Encoder, folder: Path | None, matrix: np.ndarray, owners: np.ndarray
    ) -> LinearClassifier | None:
        """The entry classifier of ``matrix``'s rows, labelled by ``owners``.

        Read from the cache, else trained and stored.
        """
        if len(set(owners.tolist())) < 2:
            return None
        store = EntryClassifiers(encoder, folder)
        key = store.key(matrix, owners)
        model = store.read(key)
        if model is None:
            model = self._train(matrix, owners)
            store.write(key, model)
            self.classifier_trained = True
        return model

    @staticmethod
    def _train(matrix: np.ndarray, owners: np.ndarray) -> LinearClassifier:
        from sklearn.linear_model import LogisticRegression

        fitted = LogisticRegression(C=CLASSIFIER_C, max_iter=CLASSIFIER_MAX_ITER)
        return LinearClassifier.of(fitted.fit(matrix, owners))

    def query_vector(self, question: str) -> np.ndarray:
        """The question's vector, kept for the most recent questions (they repeat)."""
        with self._lock:
            vector = self._queries.get(question)
            if vector is not None:
                self._queries.move_to_end(question)
                return vector
        vector = self.encoder.queries([question])[0]
        with self._lock:
            self._queries[question] = vector
            while len(self._queries) > QUERY_CACHE_SIZE:
                self._queries.popitem(last=False)
        return vector

    def scores(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        """Per entry, the cosine of its closest passage and the classifier's probability.

        The cosine is −1 for an entry without a passage; the probability is 0 for an entry the
        classifier does not know.
        """
        best = np.full(self.size, -1.0, dtype=np.float32)
        probability = np.zeros(self.size, dtype=np.float32)
        if self.size and len(self.matrix):
            vector = self.query_vector(question)
            np.maximum.at(best, self.owners, (self.matrix @ vector).astype(np.float32))
            if self.classifier is not None:
                found = self.classifier.predict_proba(vector)
                probability[self.classifier.classes] = found
        return best, probability
