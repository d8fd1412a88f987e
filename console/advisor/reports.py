"""Due follow-ups and the report of handoffs: counts, time to first contact and outcomes by
organisation, region, channel or language, within what the user may see (``access.scope``).

No personal data: references and codes for the follow-ups, only aggregates in the report.
The time to first contact runs from the dossier's creation to the first audit event in which an
advisor acted on it (status, note, outcome, screening, sheet emailed) — reading it does not count.
"""

from __future__ import annotations

import io
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from appdb import session_scope
from console.advisor import access
from console.advisor.i18n import Translator
from console.auth.sessions import Principal
from handoff.models import OUTCOMES, AuditEvent, HandoffDossier

DIMENSIONS = ("organisation", "region", "channel", "language")
FIRST_CONTACT_ACTIONS = ("status", "note_added", "outcome", "screened", "sheet_emailed")
NO_OUTCOME = "none"
UPCOMING_DAYS = 14
SHARED = "shared"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class FollowUp:
    reference: str
    follow_up_date: date
    organisation_key: str | None
    assignee: str | None
    status: str
    outcome: str | None


def follow_ups(principal: Principal, today: date, days: int = UPCOMING_DAYS) -> list[FollowUp]:
    """Open dossiers whose follow-up falls on or before ``today + days``, earliest first."""
    with session_scope() as session:
        rows = session.execute(
            select(HandoffDossier)
            .where(*access.scope(principal))
            .where(HandoffDossier.follow_up_date.is_not(None))
            .where(HandoffDossier.follow_up_date <= today + timedelta(days=days))
            .where(HandoffDossier.status != "closed")
            .order_by(HandoffDossier.follow_up_date, HandoffDossier.id)
        ).scalars()
        return [
            FollowUp(
                d.reference, d.follow_up_date, d.organisation_key, d.assignee, d.status, d.outcome
            )
            for d in rows
        ]


def due_count(principal: Principal, today: date) -> int:
    """How many open dossiers of this user's scope have a follow-up today or overdue."""
    with session_scope() as session:
        return int(
            session.execute(
                select(func.count())
                .select_from(HandoffDossier)
                .where(*access.scope(principal))
                .where(HandoffDossier.follow_up_date <= today)
                .where(HandoffDossier.status != "closed")
            ).scalar_one()
        )


@dataclass
class ReportRow:
    key: str
    count: int = 0
    contacted: int = 0
    hours: list[float] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)

    @property
    def median_hours(self) -> float | None:
        return round(statistics.median(self.hours), 1) if self.hours else None


def _key(dimension: str, dossier: HandoffDossier) -> str:
    if dimension == "organisation":
        return dossier.organisation_key or SHARED
    if dimension == "region":
        return dossier.region_code or UNKNOWN
    return str(getattr(dossier, dimension))


def handoff_report(
    principal: Principal,
    dimension: str,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[ReportRow]:
    """One row per value of ``dimension``, the largest first."""
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    filters = access.InboxFilters(date_from=date_from, date_to=date_to)
    rows: dict[str, ReportRow] = defaultdict(lambda: ReportRow(""))
    with session_scope() as session:
        dossiers = list(
            session.execute(
                select(HandoffDossier).where(*access.conditions(principal, filters))
            ).scalars()
        )
        ids = [d.id for d in dossiers]
        first: dict[int, object] = {}
        for chunk in range(0, len(ids), 500):
            first.update(
                session.execute(
                    select(AuditEvent.dossier_id, func.min(AuditEvent.at))
                    .where(AuditEvent.dossier_id.in_(ids[chunk : chunk + 500]))
                    .where(AuditEvent.action.in_(FIRST_CONTACT_ACTIONS))
                    .group_by(AuditEvent.dossier_id)
                ).all()
            )
        for dossier in dossiers:
            key = _key(dimension, dossier)
            row = rows[key]
            row.key = key
            row.count += 1
            row.outcomes[dossier.outcome or NO_OUTCOME] += 1
            contact = first.get(dossier.id)
            if contact is not None:
                row.contacted += 1
                row.hours.append((contact - dossier.created_at).total_seconds() / 3600)  # type: ignore[operator]
    return sorted(rows.values(), key=lambda r: (-r.count, r.key))


def label(t: Translator, dimension: str, key: str, names: dict[str, str]) -> str:
    if dimension == "organisation":
        return t("queue.shared") if key == SHARED else names.get(key, key)
    if key == UNKNOWN:
        return t("report.unknown")
    if dimension == "region":
        return f"{key} {t.maybe('region', key)}"
    if dimension == "language":
        return t.maybe("language", key)
    return t.maybe("channel", key)


OUTCOME_KEYS = (*OUTCOMES, NO_OUTCOME)
COLOURS = ("#1a7f37", "#0969da", "#8250df", "#9a6700", "#cf222e", "#b6bcc2")


def chart_svg(rows: list[ReportRow], labels: list[str], t: Translator) -> bytes:
    """Horizontal bars, one per row, split by outcome; SVG with real text (searchable)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.fonttype"] = "none"
    height = 1.2 + 0.45 * max(len(rows), 1)
    figure = Figure(figsize=(8, height))
    axes = figure.add_subplot()
    positions = list(range(len(rows)))[::-1]
    left = [0] * len(rows)
    for outcome, colour in zip(OUTCOME_KEYS, COLOURS, strict=True):
        widths = [row.outcomes.get(outcome, 0) for row in rows]
        name = t("outcome.none") if outcome == NO_OUTCOME else t.maybe("outcome", outcome)
        axes.barh(positions, widths, left=left, color=colour, label=name)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.set_yticks(positions)
    axes.set_yticklabels([text[:40] for text in labels])
    axes.set_xlabel(t("report.count"))
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend(loc="lower right", fontsize="small", frameon=False)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()
