"""Who could found or join a cooperative with whom.

Structured compatibility (``rules.yml``) plus the similarity of the project descriptions through
a sentence encoder.

Pure computation on ``Candidate`` values: the store builds them from the database, the
evaluation script from its data set. The encoder is injected (the knowledge base's
``shared_encoder()`` in production, ``HashingEncoder`` in unit tests, or None: structure only).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from matchmaking.redaction import contact_kinds
from matchmaking.regions import Regions, load_regions
from matchmaking.rules import Rules, load_rules

PROFILE = "profile"
PROJECT = "project"


class TextEncoder(Protocol):
    """What matching needs of ``knowledge_base.encoder.Encoder``."""

    name: str

    def queries(self, texts: list[str]) -> np.ndarray:
        """One unit-length vector per text, so that a dot product is the cosine."""


@dataclass(frozen=True)
class Candidate:
    """A profile (a person) or a project looking for members, as the matcher sees it.

    No name and no contact: a suggestion never carries them.
    """

    reference: str
    kind: str = PROFILE
    intent: str | None = None  # profiles: own_project | join_project
    description: str = ""
    sector: str | None = None
    region: str | None = None
    reach: str | None = None  # profiles: own_region | neighbouring
    role: str | None = None  # profiles: the role they see for themselves
    roles_sought: tuple[str, ...] = ()  # projects (and founders): roles they need
    skills: tuple[str, ...] = ()
    skills_sought: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    availability: str | None = None
    # Profiles of one person are never matched with each other.
    owner: str | None = None


@dataclass(frozen=True)
class Reason:
    """Why a pair was suggested: a code of the rules and its parameters (rendered by texts)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    """A candidate suggested for another, with its score in [0, 1] and the reasons for it."""

    reference: str
    kind: str
    score: float
    similarity: float
    reasons: tuple[Reason, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """The reasons' codes, in order."""
        return tuple(r.code for r in self.reasons)


def _lower(values: Iterable[str]) -> dict[str, str]:
    return {v.strip().lower(): v.strip() for v in values if v and v.strip()}


class Matcher:
    """Scores pairs and ranks suggestions; caches description vectors by text."""

    def __init__(
        self,
        encoder: TextEncoder | None = None,
        rules: Rules | None = None,
        regions: Regions | None = None,
    ) -> None:
        self.encoder = encoder
        self.rules = rules or load_rules()
        self.regions = regions or load_regions()
        self._vectors: dict[str, np.ndarray] = {}
        points = self.rules.points
        self.best_total = (
            points["same_region"]
            + points["same_sector"]
            + max(points["complementary_intent"], points["cofounders"])
            + max(points["role_sought"], points["same_role"], points["supporter"])
            + points["shared_language"]
            + points["skill_sought"]
            + points["availability_fit"]
            + (self.rules.similarity_weight if encoder is not None else 0.0)
        )

    # -- similarity -------------------------------------------------------------------------
    def _encode(self, texts: Sequence[str]) -> None:
        missing = sorted({t for t in texts if t and t not in self._vectors})
        if missing and self.encoder is not None:
            for text, vector in zip(missing, self.encoder.queries(missing), strict=True):
                self._vectors[text] = np.asarray(vector, dtype=np.float32)

    def similarity(self, a: Candidate, b: Candidate) -> float:
        """Cosine of the two descriptions rescaled to [0, 1] by the rules (0 without encoder)."""
        if self.encoder is None or not a.description or not b.description:
            return 0.0
        self._encode([a.description, b.description])
        cosine = float(np.dot(self._vectors[a.description], self._vectors[b.description]))
        low, high = self.rules.similarity_floor, self.rules.similarity_ceiling
        return min(1.0, max(0.0, (cosine - low) / (high - low)))

    # -- structure --------------------------------------------------------------------------
    def compatible(self, a: Candidate, b: Candidate) -> bool:
        """The hard conditions of the rules (region reach, a shared language, not two joiners)."""
        if a.reference == b.reference or (a.kind == PROJECT and b.kind == PROJECT):
            return False
        if a.owner is not None and a.owner == b.owner:
            return False
        filters = self.rules.filters
        if filters.get("reachable_region", True) and a.region and b.region:
            if a.region != b.region:
                travels = "neighbouring" in (a.reach, b.reach)
                if not (travels and self.regions.are_neighbours(a.region, b.region)):
                    return False
        if filters.get("shared_language", True) and a.languages and b.languages:
            if not set(a.languages) & set(b.languages):
                return False
        if not filters.get("two_joiners", False):
            if a.intent == "join_project" and b.intent == "join_project":
                return False
        return True

    def reasons(self, a: Candidate, b: Candidate) -> list[Reason]:
        """Why ``b`` suits ``a``, strongest first within each kind of reason."""
        found: list[Reason] = []
        if a.region and b.region:
            if a.region == b.region:
                found.append(Reason("same_region", {"region": a.region}))
            elif self.regions.are_neighbours(a.region, b.region):
                found.append(Reason("neighbouring_region", {"region": b.region}))
        if a.sector and a.sector == b.sector:
            found.append(Reason("same_sector", {"sector": a.sector}))
        intents = {
            a.intent if a.kind == PROFILE else "project",
            b.intent if b.kind == PROFILE else "project",
        }
        if "join_project" in intents and intents & {"own_project", "project"}:
            found.append(Reason("complementary_intent"))
        elif intents == {"own_project"} and a.sector and a.sector == b.sector:
            found.append(Reason("cofounders"))
        found.extend(self._role_reasons(a, b))
        shared = sorted(set(a.languages) & set(b.languages))
        if shared:
            found.append(Reason("shared_language", {"languages": shared}))
        skill = self._skill(a, b)
        if skill:
            found.append(Reason("skill_sought", {"skill": skill}))
        if self.rules.availability_fit(a.availability, b.availability):
            found.append(Reason("availability_fit"))
        return found

    @staticmethod
    def _role_reasons(a: Candidate, b: Candidate) -> list[Reason]:
        for seeker, other in ((a, b), (b, a)):
            if other.role and other.role in seeker.roles_sought:
                return [Reason("role_sought", {"role": other.role})]
        if a.kind == PROFILE and b.kind == PROFILE and a.role and a.role == b.role:
            if a.role != "supporter":
                return [Reason("same_role", {"role": a.role})]
        if "supporter" in (a.role, b.role):
            return [Reason("supporter")]
        return []

    @staticmethod
    def _skill(a: Candidate, b: Candidate) -> str | None:
        for seeker, other in ((a, b), (b, a)):
            # A "skill" holding a phone number or an address is no reason to show anyone.
            has = _lower(s for s in other.skills if not contact_kinds(s))
            for wanted in _lower(seeker.skills_sought):
                if wanted in has:
                    return has[wanted]
        return None

    def score(self, a: Candidate, b: Candidate) -> Suggestion | None:
        """The suggestion of ``b`` for ``a``, or None when the rules exclude the pair."""
        if not self.compatible(a, b):
            return None
        reasons = self.reasons(a, b)
        similarity = self.similarity(a, b)
        total = sum(self.rules.points[r.code] for r in reasons)
        total += self.rules.similarity_weight * similarity
        if similarity >= self.rules.similarity_reason:
            reasons.append(Reason("similar_project"))
        score = round(total / self.best_total, 4) if self.best_total else 0.0
        return Suggestion(b.reference, b.kind, score, round(similarity, 4), tuple(reasons))

    def suggest(
        self, target: Candidate, candidates: Iterable[Candidate], limit: int = 5
    ) -> list[Suggestion]:
        """The best ``limit`` suggestions for ``target``, best first (ties by reference)."""
        pool = [c for c in candidates if self.compatible(target, c)]
        self._encode([target.description, *(c.description for c in pool)])
        scored = [s for s in (self.score(target, c) for c in pool) if s is not None]
        kept = [s for s in scored if s.score >= self.rules.min_score]
        kept.sort(key=lambda s: (-s.score, s.reference))
        return kept[:limit]
