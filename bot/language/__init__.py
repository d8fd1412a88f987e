"""Which language a message is written in, and which language the assistant should answer in.

Pure Python (no Rasa import): the NLU component and the slot-extraction action both use it.
"""

from bot.language.choice import LanguageChoice, choose_language, language_from_metadata
from bot.language.detection import Detection, detect

__all__ = ["Detection", "LanguageChoice", "choose_language", "detect", "language_from_metadata"]
