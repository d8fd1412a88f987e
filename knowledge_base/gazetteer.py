"""Finds the administrative region named in free text, from the region entries' names and cities.

Case, accents, hyphens and "St-"/"Ste-" are folded, so "Trois Rivieres" and "St-Jérôme" match.
"Québec" alone is ambiguous (the city, in region 03, or the province) unless the text says which.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.schema import RegionEntry
from knowledge_base.text import fold

CITY_OF_QUEBEC = "03"
# Phrases that make "Québec" the city; they are matched before the bare word.
QUEBEC_CITY_PHRASES = (
    "ville de quebec",
    "quebec city",
    "city of quebec",
    "vieux quebec",
    "old quebec",
    "quebec ville",
    "region de quebec",
    "quebec region",
)
# Phrases naming the province: no region can be read from them.
PROVINCE_PHRASES = (
    "province de quebec",
    "province du quebec",
    "province of quebec",
    "quebec province",
    "la belle province",
)
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mont"}
_LEADING = (
    "la region de la",
    "la region du",
    "la region des",
    "la region de",
    "region de la",
    "region du",
    "region des",
    "region de",
    "region d",
    "region of",
    "region",
    "the",
)
_TRAILING = ("administrative region", "region administrative", "region")
_ARTICLES = ("la", "le", "les", "l")
_GENERIC = {"region", "regions", "administrative", "la", "le", "les", "l", "de", "du", "des", "d"}
_REGION_NUMBER = re.compile(
    r"\br[ée]gion\s+(?:administrative\s+)?(?:no\.?\s*|n°\s*|number\s+)?(\d{1,2})\b", re.IGNORECASE
)


@dataclass(frozen=True)
class RegionMatch:
    """A region found in a text: its code and display name, and the words that named it."""

    code: str
    name: str
    matched: str  # the words of the text that named it, as written
    entry_id: str = ""


@dataclass(frozen=True)
class Ambiguous:
    """A text that names several regions, or a name that several regions bear: ask which."""

    candidates: tuple[RegionMatch, ...]
    # True when one reading is the whole province ("Québec" alone).
    province: bool = False


# « à Québec » is the city (« au Québec » the province): French says so with its preposition.
# "à" with its accent anywhere, or a bare "a" opening the answer ("a Quebec, dans Limoilou"): an
# English "a Quebec company" is not the city.
_AT_THE_CITY = re.compile(r"(?:(?:^|\s)à|^a)\s+qu[eé]bec\b", re.IGNORECASE)


def city_meant(
    found: RegionMatch | Ambiguous | None,
    text: str,
    *,
    within_quebec: bool = False,
    asked_which: bool = False,
) -> RegionMatch | None:
    """Québec City when a "Québec" that reads as the city or the province can only mean the city.

    That is when ``text`` says « à Québec », when the question was where in Québec the person is
    (``within_quebec``: the province is not an answer), or when the person says it again after
    being asked which one (``asked_which``). None otherwise, and for anything but that ambiguity.
    """
    if not isinstance(found, Ambiguous) or not found.province or len(found.candidates) != 1:
        return None
    if within_quebec or asked_which or _AT_THE_CITY.search(text):
        return found.candidates[0]
    return None


# A name typed with a letter or two wrong: words this long at least, this close (difflib's ratio:
# "sherbrook" 0.95, "gatinau" 0.93; « ferment » is no Fermont, nor « maladie » La Malbaie, 0.86).
TYPO_MIN_LETTERS = 6
TYPO_RATIO = 0.88


def _tokens(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", fold(text))
    return [_ABBREVIATIONS.get(w, w) for w in words]


def _strip(words: list[str], affixes: tuple[str, ...], leading: bool) -> list[str]:
    for affix in affixes:
        parts = affix.split()
        if leading and words[: len(parts)] == parts and len(words) > len(parts):
            return words[len(parts) :]
        if not leading and words[-len(parts) :] == parts and len(words) > len(parts):
            return words[: -len(parts)]
    return words


def _name_variants(name: str) -> set[tuple[str, ...]]:
    words = _tokens(re.sub(r"\b\d+\b", " ", name))
    if not words:
        return set()
    core = _strip(_strip(words, _LEADING, True), _TRAILING, False)
    variants = {tuple(words), tuple(core)}
    if core and core[0] in _ARTICLES and len(core) > 1:
        variants.add(tuple(core[1:]))  # "Îles-de-la-Madeleine" for "Les Îles-de-la-Madeleine"
    # "(region 06)" would leave the bare word "region", which names every region.
    return {v for v in variants if v and not set(v) <= _GENERIC}


class Gazetteer:
    """Finds Québec's administrative regions in free text.

    Regions are found by their names in both languages, their cities, the other names people
    use, or their number ("région 06").
    """

    def __init__(self, regions: Iterable[RegionEntry]):
        self._names: dict[tuple[str, ...], dict[str, RegionMatch]] = {}
        self._regions: dict[str, RegionMatch] = {}
        for region in regions:
            display = re.sub(r"\s*\(.*?\)", "", region.title.fr).strip()
            base = RegionMatch(region.code, display, "", region.id)
            self._regions[region.code] = base
            # Keywords hold the other names people use ("Eastern Townships", "Beauce").
            names = [region.title.fr, region.title.en, *region.cities]
            names += re.findall(r"\((.*?)\)", region.title.fr + region.title.en)
            names += region.keywords.fr + region.keywords.en
            for name in names:
                for variant in _name_variants(name):
                    self._names.setdefault(variant, {})[region.code] = base
        self._width = max((len(k) for k in self._names), default=1)
        self._one_word = sorted(k[0] for k in self._names if len(k) == 1)

    @classmethod
    def from_entries(cls, entries: Iterable[object]) -> Gazetteer:
        """The gazetteer of the region entries among ``entries`` (others are ignored)."""
        return cls(e for e in entries if isinstance(e, RegionEntry))

    def find(self, text: str) -> RegionMatch | Ambiguous | None:
        """The region named in ``text``, ``Ambiguous`` when it could be several, else None.

        The longest name wins ("Trois-Rivières" before a shorter name inside it); "Québec" alone
        may be the city or the province, so it is ambiguous unless another region is named. A
        text that names none is read again with one-word names typed with a letter or two wrong
        ("sherbrook", "gatinau"): ``_respelled``.
        """
        found = self._find(text)
        if found is not None:
            return found
        respelled = self._respelled(text)
        return self._find(respelled) if respelled != text else None

    def _respelled(self, text: str) -> str:
        """``text`` with its likely misspelt one-word names respelt.

        A word of at least ``TYPO_MIN_LETTERS`` letters that is no name but close to exactly one
        one-word name (difflib's ratio ≥ ``TYPO_RATIO``, a letter more or less at most).
        """

        def respell(word: re.Match[str]) -> str:
            folded = fold(word.group())
            if len(folded) < TYPO_MIN_LETTERS or (folded,) in self._names:
                return word.group()
            close = [
                name
                for name in difflib.get_close_matches(folded, self._one_word, cutoff=TYPO_RATIO)
                if abs(len(name) - len(folded)) <= 1  # "montre" is no "montreal"
            ]
            return close[0] if len(close) == 1 else word.group()

        return re.sub(r"[^\W\d_]+", respell, text)

    def _find(self, text: str) -> RegionMatch | Ambiguous | None:
        found = list(re.finditer(r"[^\W_]+", text))
        words = [_ABBREVIATIONS.get(fold(m.group()), fold(m.group())) for m in found]
        spans: list[tuple[int, int, str]] = []  # (start, end, "city"|"province"|"name")
        for phrases, label in ((QUEBEC_CITY_PHRASES, "city"), (PROVINCE_PHRASES, "province")):
            for phrase in phrases:
                spans += [(i, j, label) for i, j in _find_all(words, phrase.split())]
        for width in range(self._width, 0, -1):
            for i in range(len(words) - width + 1):
                if tuple(words[i : i + width]) in self._names:
                    spans.append((i, i + width, "name"))
        definite: list[tuple[int, RegionMatch]] = []
        # "région 06": the number itself, when a region has it.
        for number in _REGION_NUMBER.finditer(text):
            code = f"{int(number.group(1)):02d}"
            if code in self._regions:
                definite.append((-1, _at(self._regions[code], number.group(0))))
        bare_quebec: RegionMatch | None = None
        taken: set[int] = set()
        # Longest first: "Trois-Rivières" before a shorter name inside it.
        for start, end, label in sorted(spans, key=lambda s: (-(s[1] - s[0]), s[0])):
            if taken & set(range(start, end)):
                continue
            taken |= set(range(start, end))
            matched = text[found[start].start() : found[end - 1].end()]
            key = tuple(words[start:end])
            if label == "province":
                continue
            if label == "city":
                city = self._regions.get(CITY_OF_QUEBEC)
                if city is not None:
                    definite.append((start, _at(city, matched)))
                continue
            codes = self._names[key]
            if key == ("quebec",) and CITY_OF_QUEBEC in codes:
                bare_quebec = _at(codes[CITY_OF_QUEBEC], matched)
                continue
            if len(codes) > 1:
                return Ambiguous(tuple(_at(m, matched) for m in codes.values()))
            definite.append((start, _at(next(iter(codes.values())), matched)))
        by_code: dict[str, RegionMatch] = {}
        for _, match in sorted(definite, key=lambda pair: pair[0]):
            by_code.setdefault(match.code, match)
        if len(by_code) > 1:
            # "Lévis, on the south shore": a place named beside a relative area is that place.
            named = [m for m in by_code.values() if not _RELATIVE_AREA.search(fold(m.matched))]
            if len(named) == 1:
                return named[0]
            return Ambiguous(tuple(by_code.values()))
        if len(by_code) == 1:
            return next(iter(by_code.values()))
        if bare_quebec is not None:
            return Ambiguous((bare_quebec,), province=True)
        return None


# Names that place a project relative to a city ("south shore", « rive-nord », « couronne
# nord »): they yield to a city named beside them.
_RELATIVE_AREA = re.compile(
    r"\b(?:south|north|west|east) ?shore\b|\brive[- ]?(?:sud|nord)\b|couronne"
)


def _at(base: RegionMatch, matched: str) -> RegionMatch:
    return RegionMatch(base.code, base.name, matched, base.entry_id)


def _find_all(words: list[str], phrase: list[str]) -> list[tuple[int, int]]:
    n = len(phrase)
    return [(i, i + n) for i in range(len(words) - n + 1) if words[i : i + n] == phrase]


_default: Gazetteer | None = None


def find_region(text: str, gazetteer: Gazetteer | None = None) -> RegionMatch | Ambiguous | None:
    """The region named in ``text``, ``Ambiguous`` when it could be several, else None.

    Without ``gazetteer``, the region entries under knowledge_base/content are used (loaded once).
    """
    global _default
    if gazetteer is None:
        if _default is None:
            from knowledge_base.loader import CONTENT_DIR
            from knowledge_base.validation import load_directory

            _default = Gazetteer.from_entries(e for e, _ in load_directory(Path(CONTENT_DIR)))
        gazetteer = _default
    return gazetteer.find(text)
