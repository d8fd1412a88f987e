"""The matching rules (``rules.yml``), validated when loaded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from matchmaking.errors import DataFileError

RULES_FILE = Path(__file__).resolve().parent / "rules.yml"
POINT_NAMES = (
    "same_region",
    "neighbouring_region",
    "same_sector",
    "complementary_intent",
    "cofounders",
    "role_sought",
    "same_role",
    "supporter",
    "shared_language",
    "skill_sought",
    "availability_fit",
)


@dataclass(frozen=True)
class Rules:
    """The codes, hard filters, points and similarity settings of ``rules.yml``."""

    intents: tuple[str, ...]
    roles: tuple[str, ...]
    reaches: tuple[str, ...]
    availabilities: tuple[str, ...]
    languages: tuple[str, ...]
    sectors: tuple[str, ...]
    filters: dict[str, bool]
    points: dict[str, float]
    availability_fits: frozenset[frozenset[str]]
    similarity_weight: float
    similarity_floor: float
    similarity_ceiling: float
    similarity_reason: float
    min_score: float

    def availability_fit(self, a: str | None, b: str | None) -> bool:
        """Whether two availabilities go together ("flexible" goes with any, unknown with none)."""
        if not a or not b:
            return False
        if "flexible" in (a, b):
            return True
        return frozenset((a, b)) in self.availability_fits


def _codes(document: dict[str, Any], name: str, source: str) -> tuple[str, ...]:
    values = document.get(name)
    if not isinstance(values, list) or not values:
        raise DataFileError(f"{source}: {name}: a non-empty list")
    return tuple(str(v) for v in values)


def parse(document: Any, source: str = str(RULES_FILE)) -> Rules:
    """The rules of a loaded ``rules.yml`` document.

    Raises:
        DataFileError: a part is missing or malformed; the message names ``source`` and the field.
    """
    if not isinstance(document, dict):
        raise DataFileError(f"{source}: not a mapping")
    points = document.get("points") or {}
    missing = [name for name in POINT_NAMES if not isinstance(points.get(name), (int, float))]
    if missing:
        raise DataFileError(f"{source}: points.{missing[0]}: a number")
    availabilities = _codes(document, "availabilities", source)
    fits = []
    for pair in document.get("availability_fits") or []:
        if not isinstance(pair, list) or len(pair) != 2 or not set(pair) <= set(availabilities):
            raise DataFileError(f"{source}: availability_fits: pairs of known availabilities")
        fits.append(frozenset(pair))
    similarity = document.get("similarity") or {}
    try:
        weight = float(similarity["weight"])
        floor = float(similarity["floor"])
        ceiling = float(similarity["ceiling"])
        reason = float(similarity["reason_threshold"])
        min_score = float(document["min_score"])
    except (KeyError, TypeError, ValueError) as error:
        raise DataFileError(f"{source}: similarity or min_score: {error}") from None
    if not floor < ceiling:
        raise DataFileError(f"{source}: similarity: floor must be below ceiling")
    return Rules(
        intents=_codes(document, "intents", source),
        roles=_codes(document, "roles", source),
        reaches=_codes(document, "reaches", source),
        availabilities=availabilities,
        languages=_codes(document, "languages", source),
        sectors=_codes(document, "sectors", source),
        filters={str(k): bool(v) for k, v in (document.get("filters") or {}).items()},
        points={name: float(points[name]) for name in POINT_NAMES},
        availability_fits=frozenset(fits),
        similarity_weight=weight,
        similarity_floor=floor,
        similarity_ceiling=ceiling,
        similarity_reason=reason,
        min_score=min_score,
    )


@cache
def load_rules(path: Path = RULES_FILE) -> Rules:
    """The rules of ``path``, read and validated once.

    Raises:
        DataFileError: the file's content is not valid.
    """
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))
