"""The bridge's own sentences, one JSON file per language; every other answer comes from Rasa."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LANGUAGES = ("fr", "en")
_DIR = Path(__file__).resolve().parent


@cache
def catalogue(language: str) -> dict[str, str]:
    return json.loads((_DIR / f"{language}.json").read_text(encoding="utf-8"))


def text(key: str, language: str | None) -> str:
    """The sentence in ``language``, or in both (French first) when the language is unknown."""
    if language in LANGUAGES:
        return catalogue(language)[key]
    return "\n\n".join(catalogue(code)[key] for code in LANGUAGES)
