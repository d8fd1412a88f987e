"""The words people type for the partner profile's questions (``answers.yml``)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from matchmaking.errors import DataFileError

ANSWERS_FILE = Path(__file__).resolve().parent / "answers.yml"
SECTIONS = (
    "skip",
    "yes_extra",
    "choices",
    "sectors",
    "languages",
    "other_languages",
    "age_words",
    "age_openers",
    "under_age",
    "over_age",
)
# The age from which a person may have a partner profile (profiles.create_profile checks it too).
ADULT_AGE = 18
# The oldest age taken for one; a larger number is something else.
OLDEST = 120


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


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces: how typed answers are compared with the lists."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(normalise(w)) for w in sorted(words, key=len, reverse=True))


def read_age(text: str) -> bool | None:
    """Whether the answer says the person is 18 or over (None when it gives no age).

    "j'ai 16 ans" and "I'm 34" are ages; "I am under 18", « pas encore 18 ans » are under the
    limit whatever the number; "plus de 18" is over it; "oui, j'ai 3 enfants" gives no age (the
    caller reads its yes or no).
    """
    words = answer_words()
    t = normalise(text)
    number = r"(\d{1,3})"

    def limit(section: str) -> re.Match[str] | None:
        opener = _alternatives(words[section])
        return re.search(rf"(?<![\w'])(?:{opener})\s+(?:l'age de |the age of )?{number}(?!\d)", t)

    under = limit("under_age")
    if under and int(under.group(1)) >= ADULT_AGE:
        return False
    over = limit("over_age")
    if over and int(over.group(1)) >= ADULT_AGE - 1:
        return True
    after = rf"{number}\s*(?:{_alternatives(words['age_words'])})(?![a-z])"
    openers = _alternatives(words["age_openers"])
    # "j'ai 3 enfants": a word after the number makes it no age.
    before = rf"(?<![\w'])(?:{openers})\s+{number}(?!\d)(?!\s*[a-z])"
    alone = rf"^\W*{number}\W*$"
    for pattern in (after, before, alone):
        found = re.search(pattern, t)
        if found and 0 < int(found.group(1)) < OLDEST:
            return int(found.group(1)) >= ADULT_AGE
    return None
