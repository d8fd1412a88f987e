"""Rasa's DIETClassifier, loaded without training it on one example first.

To load a trained DIET, Rasa 3.6 (``RasaModel.load``) compiles it with an optimizer and fits it on
one example so that its weights exist, then reads the trained weights over them. Fitting traces
the whole training graph, the entity layer's conditional random field and its gradients
included: with the ``language`` entity, that took 30 of the Rasa server's 45 s of start and
350 MB at its peak on this project's 2-core machine (docs/benchmarks.md). Predicting creates
every weight that predicting uses, so this loader runs one example through the model eagerly
(no graph traced), reads the trained weights, and then prepares and traces prediction as Rasa
does. The optimizer's state in the checkpoint is not read: nothing trains a loaded model here
(a model loaded to be fine-tuned takes Rasa's own path).

Training is Rasa's, unchanged. tests/unit/test_nlu_diet.py checks that a model loaded this way
gives the same intents, confidences and entities as one loaded by Rasa.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET
from rasa.nlu.classifiers.diet_classifier import DIETClassifier as RasaDIETClassifier
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


class QuickLoadingDIET(DIET):
    """DIET whose weights are made by predicting one example rather than fitting on it."""

    @classmethod
    def load(  # type: ignore[override]
        cls,
        model_file_name: str,
        model_data_example: RasaModelData,
        predict_data_example: RasaModelData | None = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        """The model with its trained weights, ready to predict (see the module's docstring)."""
        if finetune_mode or predict_data_example is None:
            return super().load(
                model_file_name,
                model_data_example,
                predict_data_example,
                finetune_mode,
                *args,
                **kwargs,
            )
        model = cls(*args, **kwargs)
        # One eager prediction creates the weights prediction needs (random for now); eager, so
        # that no graph captures the label embeddings computed from those random weights.
        model._run_eagerly = True
        model.run_inference(predict_data_example)
        model._run_eagerly = bool(kwargs.get("config", {}).get("run_eagerly"))
        # The training-only state in the checkpoint (the optimizer's) is left unread.
        model.load_weights(model_file_name).expect_partial()
        # The label embeddings again, from the trained weights; then the graph is traced once,
        # as Rasa does, so that the first message does not wait for it.
        model.prepare_for_predict()
        model.prepared_for_prediction = True
        model._tf_predict_step = None
        model.run_inference(predict_data_example)
        return model


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class DIETClassifier(RasaDIETClassifier):
    """Rasa's DIETClassifier, trained the same, loaded by ``QuickLoadingDIET``."""

    @staticmethod
    def model_class() -> type[RasaModel]:
        return QuickLoadingDIET
