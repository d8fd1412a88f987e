"""Whether a message asks for a person (an advisor, a human), whatever else it names.

"Is there a real person I can talk to about our bubble tea shop as a co-op?" names a project and
a co-op, and the NLU may read it as the screening; the person asked for someone. The patterns are
data (``requests.yml``); the NLU guard (bot/nlu/command_guard.py) uses this function.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

REQUESTS_FILE = Path(__file__).resolve().parent / "requests.yml"


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`-]", " ", text)
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    with REQUESTS_FILE.open(encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    patterns = (doc or {}).get("patterns") or {}
    found: list[re.Pattern[str]] = []
    for language in ("fr", "en"):
        items = patterns.get(language)
        if not isinstance(items, list) or not all(isinstance(p, str) for p in items):
            raise ValueError(f"{REQUESTS_FILE}: patterns.{language} must be a list of strings")
        found.extend(re.compile(p) for p in items)
    return tuple(found)


def asks_for_a_person(text: str) -> bool:
    """Whether ``text`` asks to talk to, or be contacted by, a person."""
    normal = _normal(text)
    return any(p.search(normal) for p in _patterns())
