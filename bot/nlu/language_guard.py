"""NLU component: flags messages written in a language the assistant does not speak.

It runs after the intent classifier. For a message clearly in another language (Spanish, Arabic…)
it replaces the intent with ``unsupported_language`` so that the bot answers, in French and
English, which languages it speaks. For every message it adds ``language_detection`` to the parse
data; ``action_validate_slot_mappings`` reads it to set the ``language`` slot.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.detection import detect, warm_up

UNSUPPORTED_INTENT = "unsupported_language"
DETECTION_KEY = "language_detection"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageGuard(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageGuard:
        warm_up()
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            # Button payloads ("/help") are not words in any language.
            if not text or text.startswith("/"):
                continue
            detection = detect(text)
            message.set(DETECTION_KEY, detection.as_dict(), add_to_output=True)
            if detection.language == "other":
                message.set(
                    INTENT, {"name": UNSUPPORTED_INTENT, "confidence": 1.0}, add_to_output=True
                )
                message.set(
                    INTENT_RANKING_KEY,
                    [{"name": UNSUPPORTED_INTENT, "confidence": 1.0}],
                    add_to_output=True,
                )
        return messages
