"""Bilingual YAML text catalogues: one loader, and one set of checks, for every package's texts.yml.

A catalogue maps sections to codes to ``{fr: text, en: text}`` (``screening/texts.yml``,
``matchmaking/texts.yml``, ``handoff/texts.yml``, ``bot/channels/texts.yml``); a section may also
be a single pair (``shared_queue: {fr: …, en: …}``). Every text needs both languages, and both
must have the same ``{placeholders}``, or the file is refused when read, naming the entry.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import yaml

__all__ = ["LANGUAGES", "CatalogueError", "load", "placeholders"]

LANGUAGES = ("fr", "en")


class CatalogueError(ValueError):
    """A catalogue file is malformed; ``entry`` names the entry (``section.code``), never a text.

    Attributes:
        code: ``catalogue_invalid``, for callers that map codes to their own words.
    """

    code = "catalogue_invalid"

    def __init__(self, path: Path, entry: str, problem: str) -> None:
        super().__init__(f"{path}: {entry}{problem}")
        self.path = path
        self.entry = entry


def placeholders(template: str) -> set[str]:
    """The names of the ``{name}`` placeholders in ``template``.

    Args:
        template: A catalogue text.

    Returns:
        The placeholder names (``{"max_bytes"}`` for ``"larger than {max_bytes} bytes"``).
    """
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _is_pair(value: Any) -> bool:
    """A mapping of languages to texts (not of codes): it names a language, nests nothing."""
    return (
        isinstance(value, dict)
        and any(lang in value for lang in LANGUAGES)
        and not any(isinstance(v, dict) for v in value.values())
    )


def _check_pair(path: Path, entry: str, texts: Any) -> None:
    if not isinstance(texts, dict) or any(
        not isinstance(texts.get(lang), str) or not texts[lang].strip() for lang in LANGUAGES
    ):
        raise CatalogueError(path, entry, " needs a fr and an en text")
    if placeholders(texts["fr"]) != placeholders(texts["en"]):
        raise CatalogueError(path, entry, ": fr and en differ in placeholders")


def load(path: Path) -> dict[str, Any]:
    """Reads and checks the catalogue at ``path``.

    Args:
        path: A YAML file of sections; each section maps codes to ``{fr, en}`` or is one pair.

    Returns:
        The document as read: section -> code -> language -> text (or section -> language -> text
        for a single pair).

    Raises:
        CatalogueError: the file is not a mapping of sections, or a text lacks its French or
            English version, or the two versions differ in placeholders.
    """
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise CatalogueError(path, "(document)", ": must be a mapping of sections")
    for section, entries in document.items():
        if _is_pair(entries):
            _check_pair(path, str(section), entries)
            continue
        if not isinstance(entries, dict):
            raise CatalogueError(path, str(section), ": must be a mapping of codes")
        for code, texts in entries.items():
            _check_pair(path, f"{section}.{code}", texts)
    return document
