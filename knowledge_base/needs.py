"""Needs outside the co-op's scope said in plain words: the entry of the resources that help.

A person who cannot pay the rent or buy food is directed to the community resources (the 211
entry) even when the search is not sure of their words; the patterns are in needs.yml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge_base.text import fold

NEEDS_FILE = Path(__file__).with_name("needs.yml")


@lru_cache(maxsize=1)
def _needs() -> list[tuple[str, re.Pattern[str]]]:
    with NEEDS_FILE.open(encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    needs = []
    for item in doc:
        patterns = item["patterns"]
        needs.append((str(item["entry"]), re.compile(r"\b(?:" + "|".join(patterns) + r")\b")))
    return needs


def need_entry(text: str) -> str | None:
    """The entry for a need ``text`` says in plain words (rent, food), or None."""
    folded = " ".join(fold(text).split())
    for entry_id, pattern in _needs():
        if pattern.search(folded):
            return entry_id
    return None
