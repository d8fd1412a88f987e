"""Which language a message is written in, and which language the assistant should answer in.

Pure Python (no Rasa import): the NLU component and the slot-extraction action both use it.
"""

from bot.language.choice import (
    DEFAULT_LANGUAGE,
    LanguageChoice,
    choose_language,
    language_from_accept_language,
    language_from_metadata,
)
from bot.language.detection import Detection, detect

__all__ = [
    "DEFAULT_LANGUAGE",
    "Detection",
    "LanguageChoice",
    "choose_language",
    "detect",
    "language_from_accept_language",
    "language_from_metadata",
]
