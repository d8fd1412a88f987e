"""Quality of the suggestions on a hand-labelled set (``tests/matchmaking/data/``).

For every item that has at least one good partner in the set, the matcher ranks all the others
(a project is matched with profiles only, as in the store) and keeps its top ``k``:

- ``precision_at_k``: good suggestions in the top k over min(k, the item's good partners), so
  that an item with three possible partners can reach 1.0 (the target figure);
- ``plain_precision_at_k``: good suggestions in the top k over k;
- ``shown_precision``: good suggestions over suggestions shown (after ``min_score``);
- ``recall_at_k``: good partners found in the top k over all good partners.

And the "similar projects" reason's threshold (``similarity_pairs``, ``threshold_figures``,
``best_threshold``): two items of one group of the set describe one project idea; the reason
should be said of them and of no other pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from matchmaking.matching import PROJECT, Candidate, Matcher


@dataclass(frozen=True)
class LabelledSet:
    """The hand-labelled set: items by id, their language, and each one's good partners."""

    items: dict[str, Candidate]
    languages: dict[str, str]
    good: dict[str, set[str]]


def _candidate(item: dict[str, Any]) -> Candidate:
    def codes(name: str) -> tuple[str, ...]:
        return tuple(str(v) for v in item.get(name) or ())

    return Candidate(
        reference=str(item["id"]),
        kind=str(item.get("kind", "profile")),
        intent=item.get("intent"),
        description=str(item["text"]),
        sector=item.get("sector"),
        region=item.get("region"),
        reach=item.get("reach"),
        role=item.get("role"),
        roles_sought=codes("roles_sought"),
        skills=codes("skills"),
        skills_sought=codes("skills_sought"),
        languages=codes("languages"),
        availability=item.get("availability"),
        owner=str(item["id"]),
    )


def load_set(directory: Path) -> LabelledSet:
    """Read ``profiles.yml`` and ``good_pairs.yml`` from ``directory``; pairs count both ways.

    Raises:
        ValueError: a pair names an item that is not in ``profiles.yml``.
    """
    items_doc = yaml.safe_load((directory / "profiles.yml").read_text(encoding="utf-8"))
    pairs_doc = yaml.safe_load((directory / "good_pairs.yml").read_text(encoding="utf-8"))
    items = {str(i["id"]): _candidate(i) for i in items_doc["items"]}
    languages = {
        str(i["id"]): ("fr" if any(c in i["text"] for c in "éèàçêôû") else "other")
        for i in items_doc["items"]
    }
    good: dict[str, set[str]] = {ref: set() for ref in items}
    for a, b in pairs_doc["pairs"]:
        if a not in items or b not in items:
            raise ValueError(f"good_pairs.yml: unknown item in [{a}, {b}]")
        good[a].add(b)
        good[b].add(a)
    return LabelledSet(items, languages, good)


@dataclass(frozen=True)
class Scores:
    """The figures described at the top of this module, over ``queries`` items."""

    queries: int
    precision_at_k: float
    plain_precision_at_k: float
    shown_precision: float
    recall_at_k: float
    per_query: dict[str, tuple[int, int, int]]  # good found, shown, good existing


def evaluate(matcher: Matcher, labelled: LabelledSet, k: int = 5) -> Scores:
    """Score ``matcher``'s top ``k`` suggestions for every item that has a good partner."""
    per_query: dict[str, tuple[int, int, int]] = {}
    for ref, target in labelled.items.items():
        wanted = labelled.good[ref]
        if not wanted:
            continue
        pool = [
            c
            for c in labelled.items.values()
            if c.reference != ref and not (target.kind == PROJECT and c.kind == PROJECT)
        ]
        shown = [s.reference for s in matcher.suggest(target, pool, limit=k)]
        per_query[ref] = (len(set(shown) & wanted), len(shown), len(wanted))
    n = len(per_query)
    found = sum(f for f, _, _ in per_query.values())
    shown_total = sum(s for _, s, _ in per_query.values())
    return Scores(
        queries=n,
        precision_at_k=sum(f / min(k, w) for f, _, w in per_query.values()) / n,
        plain_precision_at_k=found / (k * n),
        shown_precision=found / shown_total if shown_total else 0.0,
        recall_at_k=found / sum(w for _, _, w in per_query.values()),
        per_query=per_query,
    )


# -- the "similar projects" reason ----------------------------------------------------------------
def idea_group(reference: str) -> str | None:
    """The project idea an item of the set was written for (``g07-f1`` -> ``g07``).

    None for the people no group suits (``x-*``), who describe nobody else's idea.
    """
    head = reference.split("-", 1)[0]
    return head if head.startswith("g") else None


@dataclass(frozen=True)
class ThresholdFigures:
    """How well "similarity >= threshold" tells two descriptions of one idea, on some pairs."""

    threshold: float
    pairs: int
    similar: int  # pairs of one idea
    said: int  # pairs at or above the threshold (the reason shown)
    right: int  # of those, pairs of one idea

    @property
    def precision(self) -> float:
        """Pairs of one idea among those the reason is said of (1.0 when said of none)."""
        return self.right / self.said if self.said else 1.0

    @property
    def recall(self) -> float:
        """Pairs of one idea the reason is said of, among all pairs of one idea."""
        return self.right / self.similar if self.similar else 0.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def similarity_pairs(
    matcher: Matcher, labelled: LabelledSet, *, compatible_only: bool
) -> list[tuple[float, bool]]:
    """(rescaled similarity, same idea) for every pair the matcher would compare.

    Two projects are never compared; with ``compatible_only`` only the pairs the hard rules let
    through, which are the only ones a suggestion (and so the reason) can be shown for.
    """
    items = sorted(labelled.items.values(), key=lambda c: c.reference)
    matcher._encode([c.description for c in items])
    found = []
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if a.kind == PROJECT and b.kind == PROJECT:
                continue
            if compatible_only and not matcher.compatible(a, b):
                continue
            group = idea_group(a.reference)
            found.append(
                (matcher.similarity(a, b), group is not None and group == idea_group(b.reference))
            )
    return found


def threshold_figures(
    pairs: list[tuple[float, bool]], thresholds: list[float]
) -> list[ThresholdFigures]:
    """Precision, recall and F1 of the reason at each threshold on these pairs."""
    similar = sum(same for _, same in pairs)
    return [
        ThresholdFigures(
            threshold=t,
            pairs=len(pairs),
            similar=similar,
            said=sum(s >= t for s, _ in pairs),
            right=sum(s >= t and same for s, same in pairs),
        )
        for t in thresholds
    ]


def best_threshold(figures: list[ThresholdFigures]) -> ThresholdFigures:
    """The threshold with the best F1 (on a tie, the higher one: a reason said less often)."""
    return max(figures, key=lambda f: (round(f.f1, 4), f.threshold))
