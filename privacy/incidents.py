"""The register of confidentiality incidents, kept by administrators through the console.

Required by Law 25, s. 3.8, and the Regulation respecting confidentiality incidents, s. 7.

Every field the regulation lists has a column (see ``privacy.models.ConfidentialityIncident``).
The register describes incidents without naming the persons concerned: count them, describe the
kind of information, and keep any list of the persons elsewhere under the incident's number.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from appdb import session_scope, utcnow
from privacy.errors import InvalidIncidentError
from privacy.models import ConfidentialityIncident

__all__ = [
    "IncidentView",
    "InvalidIncidentError",
    "get_incident",
    "list_incidents",
    "record_incident",
    "update_incident",
]

log = logging.getLogger("privacy.incidents")

MAX_TEXT = 10_000
MAX_ACTOR = 120
REQUIRED_TEXT = ("information_concerned", "circumstances", "risk_assessment", "measures_taken")


@dataclass(frozen=True)
class IncidentView:
    """One register entry as read, detached from the session (fields as in the model)."""

    id: int
    recorded_at: datetime
    recorded_by: str
    updated_at: datetime
    information_concerned: str
    circumstances: str
    occurred_on: date
    occurred_until: date | None
    occurred_approximate: bool
    discovered_on: date
    discovered_until: date | None
    persons_concerned: int
    persons_approximate: bool
    risk_assessment: str
    serious_injury_risk: bool
    cai_notified_on: date | None
    persons_notified_on: date | None
    public_notice: bool
    public_notice_reason: str | None
    measures_taken: str

    def as_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready values, dates in ISO format."""
        return {
            f.name: (
                getattr(self, f.name).isoformat()
                if isinstance(getattr(self, f.name), (date, datetime))
                else getattr(self, f.name)
            )
            for f in fields(self)
        }


def _view(row: ConfidentialityIncident) -> IncidentView:
    return IncidentView(**{f.name: getattr(row, f.name) for f in fields(IncidentView)})


def _validate(values: dict[str, Any]) -> None:
    for name in REQUIRED_TEXT:
        text = values.get(name)
        if not isinstance(text, str) or not text.strip():
            raise InvalidIncidentError(name, "required")
        if len(text) > MAX_TEXT:
            raise InvalidIncidentError(name, "too_long")
    for start, end in (("occurred_on", "occurred_until"), ("discovered_on", "discovered_until")):
        if not isinstance(values.get(start), date):
            raise InvalidIncidentError(start, "date_required")
        if values.get(end) is not None and values[end] < values[start]:
            raise InvalidIncidentError(end, "before_start")
    if values["discovered_on"] < values["occurred_on"]:
        raise InvalidIncidentError("discovered_on", "before_occurred")
    persons = values.get("persons_concerned")
    if not isinstance(persons, int) or isinstance(persons, bool) or persons < 0:
        raise InvalidIncidentError("persons_concerned", "persons")
    for name in ("cai_notified_on", "persons_notified_on"):
        notified = values.get(name)
        if notified is not None and notified < values["discovered_on"]:
            raise InvalidIncidentError(name, "before_discovered")
    if values.get("public_notice") and not (values.get("public_notice_reason") or "").strip():
        raise InvalidIncidentError("public_notice_reason", "reason_required")


def record_incident(
    *,
    information_concerned: str,
    circumstances: str,
    occurred_on: date,
    discovered_on: date,
    persons_concerned: int,
    risk_assessment: str,
    serious_injury_risk: bool,
    measures_taken: str,
    recorded_by: str,
    occurred_until: date | None = None,
    occurred_approximate: bool = False,
    discovered_until: date | None = None,
    persons_approximate: bool = False,
    cai_notified_on: date | None = None,
    persons_notified_on: date | None = None,
    public_notice: bool = False,
    public_notice_reason: str | None = None,
) -> IncidentView:
    """Add an incident to the register; raises ``InvalidIncidentError`` naming the faulty field."""
    values = {k: v for k, v in locals().items() if k != "recorded_by"}
    if not recorded_by or not recorded_by.strip() or len(recorded_by) > MAX_ACTOR:
        raise InvalidIncidentError("recorded_by", "too_long")
    _validate(values)
    with session_scope() as session:
        now = utcnow()
        row = ConfidentialityIncident(
            recorded_at=now, updated_at=now, recorded_by=recorded_by.strip(), **values
        )
        session.add(row)
        session.flush()
        log.info("confidentiality incident %s recorded", row.id)
        return _view(row)


UPDATABLE = frozenset(f.name for f in fields(IncidentView)) - {
    "id",
    "recorded_at",
    "recorded_by",
    "updated_at",
}


def update_incident(incident_id: int, **changes: Any) -> IncidentView:
    """Complete an entry (e.g. the dates the notices were sent); the same checks apply."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise InvalidIncidentError(sorted(unknown)[0], "unknown_field")
    with session_scope() as session:
        row = session.get(ConfidentialityIncident, incident_id)
        if row is None:
            raise LookupError(f"no incident {incident_id}")
        values = {name: getattr(row, name) for name in UPDATABLE}
        values.update(changes)
        _validate(values)
        for name, value in changes.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
        session.flush()
        return _view(row)


def get_incident(incident_id: int) -> IncidentView:
    """One entry of the register.

    Raises:
        LookupError: there is no incident ``incident_id``.
    """
    with session_scope() as session:
        row = session.get(ConfidentialityIncident, incident_id)
        if row is None:
            raise LookupError(f"no incident {incident_id}")
        return _view(row)


def list_incidents() -> list[IncidentView]:
    """The whole register, the most recently discovered first."""
    with session_scope() as session:
        query = select(ConfidentialityIncident).order_by(
            ConfidentialityIncident.discovered_on.desc(), ConfidentialityIncident.id.desc()
        )
        return [_view(row) for row in session.execute(query).scalars()]
