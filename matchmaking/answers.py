"""The words people type for the partner profile's questions (``answers.yml``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from matchmaking.errors import DataFileError

ANSWERS_FILE = Path(__file__).resolve().parent / "answers.yml"
SECTIONS = ("skip", "yes_extra", "choices", "sectors", "languages", "other_languages")


@cache
def answer_words(path: Path = ANSWERS_FILE) -> dict[str, Any]:
    """The word lists, checked once: every section present, every word a string."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or any(s not in document for s in SECTIONS):
        raise DataFileError(f"{path}: needs the sections {', '.join(SECTIONS)}")

    def strings(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                strings(value, f"{where}.{key}")
        elif not isinstance(node, list) or not all(isinstance(w, str) for w in node):
            raise DataFileError(f"{path}: {where} must be a list of strings")

    for section in SECTIONS:
        strings(document[section], section)
    return document
