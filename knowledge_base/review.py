"""Review state of the knowledge base: how well each entry is sourced, and what needs re-checking.

``python -m knowledge_base report`` prints the first, ``python -m knowledge_base stale`` the second.
An entry needs re-checking when its check is old, when nobody has read its sources yet (it was
written from the shared fact sheet), or when it states a rule of the Act without knowing whether
Bill 111 (adopted 17 February 2026) changed it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge_base.schema import Entry, RuleEntry


@dataclass(frozen=True)
class SourceShare:
    """One line of the source report."""

    entry_id: str
    kind: str
    verified: date
    verification: str
    primary: int
    secondary: int

    @property
    def total(self) -> int:
        """All the entry's sources."""
        return self.primary + self.secondary

    @property
    def primary_share(self) -> float:
        """The share of primary sources (0 without any source)."""
        return self.primary / self.total if self.total else 0.0


def source_report(entries: Iterable[Entry]) -> list[SourceShare]:
    """Per entry, how many of its sources are primary and secondary, with its verified date."""
    rows = [
        SourceShare(
            entry_id=e.id,
            kind=e.kind,
            verified=e.verified,
            verification=e.verification,
            primary=sum(1 for s in e.sources if s.type == "primary"),
            secondary=sum(1 for s in e.sources if s.type == "secondary"),
        )
        for e in entries
    ]
    return sorted(rows, key=lambda r: (r.primary_share, r.entry_id))


def stale_reasons(entry: Entry, days: int, today: date) -> list[str]:
    """Why ``entry`` needs re-checking (empty when it does not)."""
    reasons = []
    if entry.verified < today - timedelta(days=days):
        reasons.append(f"checked {(today - entry.verified).days} days ago")
    if entry.verification != "sources-read":
        reasons.append("written from the fact sheet, its sources not yet read")
    if isinstance(entry, RuleEntry) and entry.bill_111 == "not-confirmed":
        reasons.append("rule: whether Bill 111 changed it is not confirmed")
    return reasons


def stale(
    entries: Iterable[tuple[Entry, str]], days: int = 365, today: date | None = None
) -> list[tuple[Entry, str, list[str]]]:
    """Entries (with their file) that need re-checking, oldest check first."""
    today = today or date.today()
    found = []
    for entry, path in entries:
        reasons = stale_reasons(entry, days, today)
        if reasons:
            found.append((entry, path, reasons))
    return sorted(found, key=lambda item: (item[0].verified, item[0].id))


def format_report(rows: list[SourceShare]) -> list[str]:
    """The source report as lines of a table, with a closing line of totals."""
    lines = [f"{'entry':44} {'kind':8} {'verified':10} {'how':12} primary secondary  share"]
    for r in rows:
        lines.append(
            f"{r.entry_id:44} {r.kind:8} {r.verified.isoformat():10} {r.verification:12} "
            f"{r.primary:7d} {r.secondary:9d} {r.primary_share:6.0%}"
        )
    total_p = sum(r.primary for r in rows)
    total_s = sum(r.secondary for r in rows)
    read = sum(1 for r in rows if r.verification == "sources-read")
    share = total_p / (total_p + total_s) if total_p + total_s else 0.0
    lines.append(
        f"{len(rows)} entries, {total_p} primary and {total_s} secondary sources "
        f"({share:.0%} primary); {read} entries checked against their sources"
    )
    return lines
