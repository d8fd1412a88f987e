"""Reading a free answer by its meaning when the word lists find nothing.

The answer is compared with example sentences of each possible answer (prototypes.yml) through a
sentence encoder that the caller passes in (this package imports neither Rasa nor the knowledge
base): "we'll put in our own money" reads as no outside investors. A reading is kept only when
one answer is clearly the closest; the caller says what it understood, so the person can correct.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import yaml

PROTOTYPES_FILE = Path(__file__).with_name("prototypes.yml")
# multilingual-e5 cosines sit between about 0.75 (unrelated) and 0.95 (a paraphrase): a reading
# needs its best example at MIN_COSINE or more, ahead of the best example of any other answer by
# MIN_LEAD (chosen on the examples of tests/screening/test_screening_understanding.py).
MIN_COSINE = 0.85
MIN_LEAD = 0.025


class SentenceEncoder(Protocol):
    """What knowledge_base.encoder.Encoder offers (queries and passages as unit vectors)."""

    name: str

    def queries(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of the answers people type."""

    def passages(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of the examples they are compared with."""


@dataclass(frozen=True)
class Reading:
    """An answer read by meaning: the code, what was understood, and how sure the reading is."""

    code: str
    label: dict[str, str]  # what was understood, per language
    cosine: float
    lead: float


@lru_cache(maxsize=1)
def prototypes() -> dict[str, dict[str, Any]]:
    """Question -> answer code -> examples and label, from prototypes.yml, read once."""
    return yaml.safe_load(PROTOTYPES_FILE.read_text(encoding="utf-8"))


class MeaningReader:
    """Answers' codes by meaning, for the questions of prototypes.yml."""

    def __init__(self, encoder: SentenceEncoder):
        self.encoder = encoder
        self._examples: dict[str, tuple[list[str], np.ndarray]] = {}
        for question, answers in prototypes().items():
            codes, texts = [], []
            for code, answer in answers.items():
                for example in answer["examples"]:
                    codes.append(str(code))
                    texts.append(example)
            self._examples[question] = (codes, encoder.passages(texts))

    def read(self, question: str, text: str) -> Reading | None:
        """The answer ``text`` gives to ``question`` (a field of screening.Answers), or None."""
        if question not in self._examples or not text.strip():
            return None
        codes, matrix = self._examples[question]
        cosines = matrix @ self.encoder.queries([text])[0]
        best: dict[str, float] = {}
        for code, cosine in zip(codes, cosines, strict=True):
            best[code] = max(best.get(code, -1.0), float(cosine))
        ranked = sorted(best.items(), key=lambda item: -item[1])
        code, cosine = ranked[0]
        lead = cosine - (ranked[1][1] if len(ranked) > 1 else -1.0)
        if cosine < MIN_COSINE or lead < MIN_LEAD:
            return None
        return Reading(code, prototypes()[question][code]["label"], cosine, lead)
