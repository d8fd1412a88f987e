"""Applies the decision table (rules.yml) to the answers: the screening verdict and its summary.

How matched rows combine is documented in the header of rules.yml; this module only carries it out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from screening.answers import Answers, Minimum, Minimums
from screening.table import (
    FROM_MEMBERS,
    Condition,
    Row,
    Table,
    TableError,
    default_table,
    load_table,
    parse_table,
)

# Worst first: the verdict takes the lowest rank among the matched rows.
_FIT_RANK = {"weak": 0, "conditional": 1, "strong": 2}
# How a reason weighs, from the row it comes from; lets the caller say what fits and what does not.
_EFFECT = {"weak": "against", "conditional": "condition", "strong": "fits", None: "note"}


@dataclass(frozen=True)
class Reason:
    """One factor of a verdict: its code, the answer it comes from, and how it weighs."""

    code: str
    field: str  # the answer it comes from
    kb_entry: str | None = None  # the knowledge-base entry that states the rule
    effect: str = "note"  # fits | condition | to_settle | against | note

    def as_dict(self) -> dict[str, Any]:
        """The reason as JSON-ready values."""
        return {
            "code": self.code,
            "field": self.field,
            "kb_entry": self.kb_entry,
            "effect": self.effect,
        }


@dataclass(frozen=True)
class Verdict:
    """How well the co-op form fits the answers, the type recommended, and why.

    Also what to settle, the next steps, and the table rows that matched.
    """

    coop_fit: str
    recommended_coop_type: str
    reasons: list[Reason]
    next_steps: list[str]
    to_settle: list[str]
    rows: list[str]
    # The type the members point to, even when the verdict recommends none (e.g. capital control).
    type_from_members: str = "none"
    # The founding minimum the founders were compared with (count, to_confirm, source entry).
    founders_minimum: Minimum | None = None
    table_version: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The verdict as JSON-ready values, kept in the screening summary."""
        return {
            "coop_fit": self.coop_fit,
            "recommended_coop_type": self.recommended_coop_type,
            "type_from_members": self.type_from_members,
            "reasons": [reason.as_dict() for reason in self.reasons],
            "next_steps": list(self.next_steps),
            "to_settle": list(self.to_settle),
            "rows": list(self.rows),
            "founders_minimum": self.founders_minimum.as_dict() if self.founders_minimum else None,
            "table_version": self.table_version,
        }

    def reasons_by_effect(self, effect: str) -> list[Reason]:
        """The reasons of one effect (fits, condition, to_settle, against, note), in order."""
        return [reason for reason in self.reasons if reason.effect == effect]


def _holds(condition: Condition, answers: Answers, minimum: Minimum) -> bool:
    value = getattr(answers, condition.field)
    if condition.op == "equals":
        return bool(value == condition.value)
    if condition.op == "in":
        return value in condition.value
    if condition.op == "below_minimum":
        # An unknown count is neither below nor at the minimum: the founders_unknown row covers it.
        if value is None:
            return False
        return (value < minimum.count) is condition.value
    if condition.op == "minimum_to_confirm":
        return minimum.to_confirm is condition.value
    raise TableError("-", condition.field, f"unknown condition {condition.op!r}")


def matching_rows(answers: Answers, minimum: Minimum, table: Table) -> list[Row]:
    """The rows of ``table`` whose every condition holds, ``minimum`` being the founders'."""
    return [row for row in table.rows if all(_holds(c, answers, minimum) for c in row.when)]


def _append_new(items: list, item: Any) -> None:
    if item not in items:
        items.append(item)


def evaluate(answers: Answers, minimums: Minimums, table: Table | None = None) -> Verdict:
    """The verdict for these answers; ``table`` defaults to the shipped rules.yml."""
    table = table or default_table()
    type_from_members = table.member_types[answers.members or "unsure"]
    minimum = minimums.for_type(type_from_members)
    rows = matching_rows(answers, minimum, table)
    matched = {row.id for row in rows}
    rows = [row for row in rows if not matched & set(row.unless)]

    fits = [row.coop_fit for row in rows if row.coop_fit is not None]
    if not fits:
        # The table promises that every answer set reaches a verdict; say so if it does not.
        raise TableError("-", "rows", f"no row gives a coop_fit for {answers.as_dict()}")
    coop_fit = min(fits, key=_FIT_RANK.__getitem__)

    types = {
        type_from_members
        if row.recommended_coop_type == FROM_MEMBERS
        else row.recommended_coop_type
        for row in rows
        if row.recommended_coop_type is not None
    }
    concrete = types - {"none"}
    if "none" in types or not concrete:
        coop_type = "none"
    elif len(concrete) == 1:
        (coop_type,) = concrete
    else:
        raise TableError("-", "rows", f"rows recommend several types: {sorted(concrete)}")

    reasons: list[Reason] = []
    next_steps: list[str] = []
    to_settle: list[str] = []
    seen_reasons: set[tuple[str, str]] = set()
    for row in rows:
        effect = "to_settle" if row.to_settle else _EFFECT[row.coop_fit]
        for spec in row.reasons:
            if (spec.code, spec.field) not in seen_reasons:
                seen_reasons.add((spec.code, spec.field))
                reasons.append(Reason(spec.code, spec.field, spec.kb_entry, effect))
        for step in row.next_steps:
            _append_new(next_steps, step)
        for field in row.to_settle:
            _append_new(to_settle, field)

    if coop_fit == "weak":
        next_steps = [step for step in next_steps if step not in table.not_when_weak]

    return Verdict(
        coop_fit=coop_fit,
        recommended_coop_type=coop_type,
        reasons=reasons,
        next_steps=next_steps,
        to_settle=to_settle,
        rows=[row.id for row in rows],
        type_from_members=type_from_members,
        founders_minimum=minimum,
        table_version=table.version,
    )


def summary(
    answers: Answers, verdict: Verdict, typed: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A JSON-able record of the screening for a later handoff.

    It holds the answers as understood (and, when the caller passes them, as typed) with the
    verdict and the factors behind it.
    """
    return {
        "kind": "automated_first_assessment",
        "table_version": verdict.table_version,
        "answers": answers.as_dict(),
        "typed": dict(typed) if typed else {},
        "verdict": verdict.as_dict(),
    }


__all__ = [
    "Answers",
    "Minimums",
    "Reason",
    "Table",
    "TableError",
    "Verdict",
    "evaluate",
    "load_table",
    "matching_rows",
    "parse_table",
    "summary",
]
