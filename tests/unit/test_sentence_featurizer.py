"""The sentence encoder's vector as a dense NLU feature (bot/nlu/sentence_featurizer.py)."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.sentence_featurizer import SentenceEncoderFeaturizer


def _featurizer(encoder: str = "hashing") -> SentenceEncoderFeaturizer:
    config = {**SentenceEncoderFeaturizer.get_default_config(), "encoder": encoder}
    return SentenceEncoderFeaturizer(config, "sentence_encoder")


def _sentence(message: Message) -> np.ndarray:
    sequence, sentence = message.get_dense_features("text")
    assert sequence is None  # one vector per message, no per-token features
    assert sentence is not None
    return sentence.features


def test_each_message_gets_one_unit_vector():
    messages = [Message(data={"text": t}) for t in ("would a co-op suit us?", "bonjour")]
    _featurizer().process(messages)
    for message in messages:
        vector = _sentence(message)
        assert vector.shape == (1, 256)  # the hashing encoder's dimension
        assert np.isclose(np.linalg.norm(vector), 1.0)


def test_paraphrases_are_closer_than_other_messages():
    texts = ["est-ce qu'une coop nous convient", "une coop nous convient-elle", "au revoir"]
    messages = [Message(data={"text": t}) for t in texts]
    _featurizer().process(messages)
    a, b, c = (_sentence(m)[0] for m in messages)
    assert a @ b > a @ c


def test_training_examples_are_featurized_and_empty_texts_skipped():
    examples = [Message(data={"text": "start over", "intent": "start_over"}), Message(data={})]
    _featurizer().process_training_data(TrainingData(training_examples=examples))
    assert _sentence(examples[0]).shape == (1, 256)
    assert examples[1].get_dense_features("text") == (None, None)


def test_an_encoder_is_required():
    with pytest.raises(ValueError, match="needs an encoder"):
        _featurizer("none")
