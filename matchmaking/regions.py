"""Québec's 17 administrative regions and their neighbours (``regions_neighbours.yml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from matchmaking.errors import DataFileError
from screening.answers import REGION_CODES

__all__ = ["NEIGHBOURS_FILE", "REGION_CODES", "Regions", "load_regions", "parse"]

NEIGHBOURS_FILE = Path(__file__).resolve().parent / "regions_neighbours.yml"


@dataclass(frozen=True)
class Regions:
    """The regions' names and neighbours by code, as validated by ``parse``."""

    names: dict[str, str]
    neighbours: dict[str, frozenset[str]]

    def are_neighbours(self, a: str, b: str) -> bool:
        """Whether regions ``a`` and ``b`` share a border (a region is not its own neighbour)."""
        return b in self.neighbours.get(a, frozenset())

    def name(self, code: str | None) -> str:
        """The region's name; the code itself when unknown, "" for None."""
        return self.names.get(code or "", code or "")


def parse(document: object, source: str = str(NEIGHBOURS_FILE)) -> Regions:
    """Validate the file's content: 17 codes, known neighbours, symmetric, nobody its own."""
    if not isinstance(document, dict) or not isinstance(document.get("regions"), dict):
        raise DataFileError(f"{source}: regions: missing")
    entries = {str(k): v for k, v in document["regions"].items()}
    if sorted(entries) != list(REGION_CODES):
        raise DataFileError(f"{source}: regions: must list the codes 01 to 17 once each")
    names: dict[str, str] = {}
    neighbours: dict[str, frozenset[str]] = {}
    for code, entry in entries.items():
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            raise DataFileError(f"{source}: regions.{code}.name: missing")
        listed = [str(n) for n in entry.get("neighbours") or []]
        unknown = [n for n in listed if n not in entries or n == code]
        if unknown:
            raise DataFileError(f"{source}: regions.{code}.neighbours: unknown or self {unknown}")
        names[code] = str(entry["name"])
        neighbours[code] = frozenset(listed)
    for code, around in neighbours.items():
        for other in around:
            if code not in neighbours[other]:
                raise DataFileError(f"{source}: regions.{other}.neighbours: {code} missing")
    return Regions(names, neighbours)


@cache
def load_regions(path: Path = NEIGHBOURS_FILE) -> Regions:
    """The regions of ``path``, read and validated once.

    Raises:
        DataFileError: the file's content is not valid.
    """
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))
