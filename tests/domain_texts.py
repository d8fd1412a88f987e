"""Reads the domain's responses so that tests can tell which language a bot reply is in."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_DIR = ROOT / "bot" / "domain"


@lru_cache(maxsize=1)
def responses() -> dict[str, list[dict]]:
    merged: dict[str, list[dict]] = {}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (data.get("responses") or {}).items():
            merged.setdefault(name, []).extend(variations)
    return merged


def variation_language(variation: dict) -> str | None:
    for condition in variation.get("condition") or []:
        if condition.get("name") == "language":
            return condition.get("value")
    return None


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile("^" + "(.+)".join(re.escape(part) for part in parts) + "$", re.DOTALL)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, str | None, re.Pattern]]:
    return [
        (name, variation_language(variation), _pattern(variation["text"]))
        for name, variations in responses().items()
        for variation in variations
        if "text" in variation
    ]


def classify(text: str) -> tuple[str, str | None] | None:
    """(response name, language) of the domain variation that produced ``text``, if any."""
    for name, language, pattern in _patterns():
        if pattern.match(text):
            return name, language
    return None


NOTICE = "utter_privacy_notice"


def is_notice(text: str) -> bool:
    """The privacy notice, sent before the first answer of every conversation."""
    found = classify(text)
    return found is not None and found[0] == NOTICE
