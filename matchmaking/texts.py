"""The texts of the package's codes (``texts.yml``), in French and English."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import catalogues
from matchmaking.errors import DataFileError
from matchmaking.regions import load_regions

TEXTS_FILE = Path(__file__).resolve().parent / "texts.yml"


@cache
def catalogue(path: Path = TEXTS_FILE) -> dict[str, dict[str, dict[str, str]]]:
    """Section -> code -> language -> text, read from ``path`` once.

    Raises:
        DataFileError: the file is not a mapping of sections, or a code lacks its French or
            English text, or the two differ in placeholders (``catalogues.load``'s checks).
    """
    try:
        return catalogues.load(path)
    except catalogues.CatalogueError as error:
        raise DataFileError(str(error)) from error


def label(section: str, code: str | None, lang: str) -> str:
    """The text of a code (``label("sector", "food", "en")``); the code itself when unknown."""
    if code is None:
        return ""
    entry = catalogue().get(section, {}).get(code)
    if entry is None:
        return code
    return entry.get(lang) or entry["fr"]


def _param(name: str, value: Any, lang: str) -> str:
    if name == "region":
        return load_regions().name(str(value))
    if name == "sector":
        return label("sector", str(value), lang)
    if name == "role":
        return label("role", str(value), lang)
    if name == "languages":
        return ", ".join(label("language", str(v), lang) for v in value)
    if name == "skill":
        # A skill is the person's free text: no phone number or address in a reason.
        from matchmaking.redaction import redact

        return redact(str(value), lang) or ""
    return str(value)


def render(code: str, params: dict[str, Any], lang: str) -> str:
    """One reason of a suggestion, in ``lang`` (``fr`` or ``en``)."""
    template = label("reason", code, lang)
    values = {name: _param(name, value, lang) for name, value in params.items()}
    try:
        return template.format(**values)
    except KeyError as error:
        raise DataFileError(f"{TEXTS_FILE}: reason.{code}: unknown placeholder {error}") from None
