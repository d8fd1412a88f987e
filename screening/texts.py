"""Bilingual explanations of the screening codes (texts.yml), for the caller to show or reuse.

The sentences live in the data file; this module only finds one and fills its placeholders.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import catalogues
from catalogues import placeholders

TEXTS_FILE = Path(__file__).resolve().parent / "texts.yml"
SECTIONS = ("coop_types", "reasons", "next_steps", "to_settle", "readback", "sectors", "capital")
LANGS = catalogues.LANGUAGES
PLACEHOLDERS = frozenset({"minimum", "founders"})


@lru_cache(maxsize=1)
def load_texts() -> dict[str, dict[str, dict[str, str]]]:
    """Section -> code -> language -> text, read from texts.yml once per process.

    Raises:
        catalogues.CatalogueError: a code lacks its French or English text, or the two differ
            in placeholders (a ValueError).
    """
    doc = catalogues.load(TEXTS_FILE)
    return {section: doc.get(section, {}) for section in SECTIONS}


def text(section: str, code: str, lang: str, **values: Any) -> str:
    """The explanation of ``code`` in ``lang``, its placeholders filled from ``values``.

    Placeholders the caller does not give stay visible as ``{name}`` rather than failing, so a
    missing value shows up in review, not as a crash.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    template = load_texts()[section][code][lang]
    filled = {name: values.get(name, "{" + name + "}") for name in placeholders(template)}
    return template.format(**filled)
