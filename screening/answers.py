"""The screening answers as understood, and the founding minimums read from the knowledge base.

Both are plain frozen values: the form fills ``Answers``, the knowledge base supplies ``Minimums``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, get_args

Members = Literal["workers", "users", "producers", "employees_buying_in", "mix", "unsure"]
Control = Literal["one_member_one_vote", "proportional_to_capital", "unsure"]
CapitalNeed = Literal["low", "medium", "high", "unsure"]
OutsideInvestors = Literal["none", "returns_only", "want_control", "unsure"]
Surplus = Literal["by_use", "by_work", "by_capital", "unsure"]
GovernanceReady = Literal["yes", "no", "unsure"]
CoopType = Literal[
    "travail", "travailleurs_actionnaires", "producteurs", "consommateurs", "solidarite"
]
RecommendedType = Literal[
    "travail", "travailleurs_actionnaires", "producteurs", "consommateurs", "solidarite", "none"
]
CoopFit = Literal["strong", "conditional", "weak"]

# The choice questions and the values each may take; the decision table is checked against these.
CHOICES: dict[str, tuple[str, ...]] = {
    "members": get_args(Members),
    "control": get_args(Control),
    "capital_need": get_args(CapitalNeed),
    "outside_investors": get_args(OutsideInvestors),
    "surplus": get_args(Surplus),
    "governance_ready": get_args(GovernanceReady),
}
# The answers the verdict may depend on (project, sector and region only describe the project).
DECISION_FIELDS: tuple[str, ...] = ("founders", *CHOICES)
COOP_TYPES: tuple[str, ...] = get_args(CoopType)
RECOMMENDED_TYPES: tuple[str, ...] = get_args(RecommendedType)
COOP_FITS: tuple[str, ...] = get_args(CoopFit)
# Québec's 17 administrative regions by code: the one list (the KB, the handoff, matchmaking and
# the console import it).
REGION_CODES: tuple[str, ...] = tuple(f"{n:02d}" for n in range(1, 18))
# The sectors the screening offers (the chat's buttons in bot/domain/screening.yml, the console's
# form): the one list.
SECTORS: tuple[str, ...] = (
    "alimentation", "commerce", "services", "agriculture", "culture", "technologie", "autre"
)  # fmt: skip


@dataclass(frozen=True)
class Answers:
    """The answers as understood. ``None`` means not answered; the rules treat it like ``unsure``.

    ``founders`` counts everyone committed to found the co-op, the user included (1 = alone).
    """

    project: str | None = None
    sector: str | None = None
    region_code: str | None = None
    founders: int | None = None
    members: Members | None = None
    control: Control | None = None
    capital_need: CapitalNeed | None = None
    outside_investors: OutsideInvestors | None = None
    surplus: Surplus | None = None
    governance_ready: GovernanceReady | None = None

    def __post_init__(self) -> None:
        # A wrong value here is a bug in the caller (a slot mapped to the wrong code): fail now,
        # not with a silently wrong verdict.
        for name, allowed in CHOICES.items():
            value = getattr(self, name)
            if value is not None and value not in allowed:
                raise ValueError(f"Answers.{name}: {value!r} is not one of {', '.join(allowed)}")
        if self.founders is not None and (
            isinstance(self.founders, bool)
            or not isinstance(self.founders, int)
            or self.founders < 1
        ):
            raise ValueError(f"Answers.founders: {self.founders!r} is not a whole number >= 1")
        if self.region_code is not None and self.region_code not in REGION_CODES:
            raise ValueError(f"Answers.region_code: {self.region_code!r} is not 01..17")

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Answers:
        """Build from slot-like values; keys that are not answers (e.g. other slots) are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})

    def as_dict(self) -> dict[str, Any]:
        """The answers as JSON-ready values, unanswered ones as None."""
        return asdict(self)


@dataclass(frozen=True)
class Minimum:
    """The least number of founders for one co-op type, and where that figure comes from."""

    coop_type: str  # a co-op type, or "general" for the Act's general rule
    count: int
    to_confirm: bool  # True when the type has no sourced figure of its own
    kb_entry: str

    def as_dict(self) -> dict[str, Any]:
        """The minimum as JSON-ready values."""
        return asdict(self)


@dataclass(frozen=True)
class Minimums:
    """The general founding minimum and one minimum per co-op type (sourced or falling back)."""

    general: Minimum
    by_type: Mapping[str, Minimum] = field(default_factory=dict)

    @classmethod
    def from_facts(cls, facts: Mapping[str, Any], entry_id: str) -> Minimums:
        """Read ``{"min_founders": {"general": 5, "travail": 3}}`` from the knowledge-base entry.

        Types without a figure of their own take the general rule, marked ``to_confirm``: the
        knowledge base says the general rule "would apply", not that a source states it per type.
        """
        figures = facts.get("min_founders")
        if not isinstance(figures, Mapping):
            raise ValueError(f"{entry_id}: facts.min_founders must be a mapping")
        for key, count in figures.items():
            if key != "general" and key not in COOP_TYPES:
                raise ValueError(f"{entry_id}: facts.min_founders.{key} is not a co-op type")
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise ValueError(
                    f"{entry_id}: facts.min_founders.{key} must be a whole number >= 1"
                )
        if "general" not in figures:
            raise ValueError(f"{entry_id}: facts.min_founders.general is missing")
        general = Minimum("general", figures["general"], to_confirm=False, kb_entry=entry_id)
        by_type = {
            coop_type: Minimum(coop_type, figures[coop_type], False, entry_id)
            if coop_type in figures
            else Minimum(coop_type, general.count, True, entry_id)
            for coop_type in COOP_TYPES
        }
        return cls(general=general, by_type=by_type)

    def for_type(self, coop_type: str) -> Minimum:
        """The minimum for a type; with no known type (``none``), the lowest of all types.

        When the members are not settled, only a count below every type's minimum is surely too
        low, so the most lenient figure is the honest one to compare against.
        """
        if coop_type in self.by_type:
            return self.by_type[coop_type]
        if coop_type in COOP_TYPES:
            return Minimum(coop_type, self.general.count, True, self.general.kb_entry)
        if coop_type != "none":
            raise ValueError(f"unknown co-op type {coop_type!r}")
        return min((self.for_type(t) for t in COOP_TYPES), key=lambda m: (m.count, m.to_confirm))

    def as_dict(self) -> dict[str, Any]:
        """The general minimum and each type's, as JSON-ready values."""
        return {
            "general": self.general.as_dict(),
            "by_type": {k: v.as_dict() for k, v in self.by_type.items()},
        }
