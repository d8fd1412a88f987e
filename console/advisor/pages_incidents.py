"""Admins' register of confidentiality incidents (Law 25, s. 3.8; Regulation respecting
confidentiality incidents, s. 7): the list, a form to record one, a page to complete it.

The register itself is ``privacy.incidents``; this module turns its form into values and its
``InvalidIncidentError`` into a message next to the field it names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from appdb import session_scope, utcnow
from console.advisor.web import Admin, PageNotFound, checked_form, redirect, render
from console.auth.sessions import Principal
from handoff.models import AuditEvent
from privacy.errors import INCIDENT_PROBLEMS
from privacy.incidents import (
    MAX_TEXT,
    IncidentView,
    InvalidIncidentError,
    get_incident,
    list_incidents,
    record_incident,
    update_incident,
)

router = APIRouter(include_in_schema=False)

TEXTS = ("information_concerned", "circumstances", "risk_assessment", "measures_taken")
OPTIONAL_TEXTS = ("public_notice_reason",)
DATES = (
    "occurred_on",
    "occurred_until",
    "discovered_on",
    "discovered_until",
    "cai_notified_on",
    "persons_notified_on",
)
FLAGS = ("occurred_approximate", "persons_approximate", "serious_injury_risk", "public_notice")
NUMBERS = ("persons_concerned",)
FIELDS = TEXTS + OPTIONAL_TEXTS + DATES + FLAGS + NUMBERS
DONE_CODES = ("recorded", "updated")

# The register's problem codes (privacy.errors); the page says each in the admin's language
# (incident.error.<code> in the catalogues). A code without a text falls back to "invalid".
PROBLEM_CODES = (*INCIDENT_PROBLEMS, "invalid")


def problem_code(error: InvalidIncidentError) -> str:
    return error.problem if error.problem in INCIDENT_PROBLEMS else "invalid"


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def form_values(form: Any) -> dict[str, Any]:
    """What was typed, to refill the form after an error."""
    values: dict[str, Any] = {name: _text(form, name) for name in FIELDS if name not in FLAGS}
    values.update({name: form.get(name) == "1" for name in FLAGS})
    return values


def view_values(incident: IncidentView) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(incident, name)
        if name in FLAGS:
            values[name] = bool(value)
        elif isinstance(value, date):
            values[name] = value.isoformat()
        else:
            values[name] = "" if value is None else str(value)
    return values


def parse_incident(form: Any) -> dict[str, Any]:
    """The register's values from the form; raises ``InvalidIncidentError`` for a value that
    is not a date or a number (the register checks the rest)."""
    values: dict[str, Any] = {name: _text(form, name) for name in TEXTS}
    values["public_notice_reason"] = _text(form, "public_notice_reason") or None
    for name in DATES:
        raw = _text(form, name)
        try:
            values[name] = date.fromisoformat(raw) if raw else None
        except ValueError:
            raise InvalidIncidentError(name, "not_a_date") from None
    for name in FLAGS:
        values[name] = form.get(name) == "1"
    raw = _text(form, "persons_concerned")
    try:
        values["persons_concerned"] = int(raw) if raw else None
    except ValueError:
        raise InvalidIncidentError("persons_concerned", "persons") from None
    return values


def _audit(principal: Principal, action: str, incident_id: int) -> None:
    """Who recorded or changed which entry; the register's text stays in the register."""
    with session_scope() as session:
        session.add(
            AuditEvent(
                actor=principal.username,
                action=action,
                at=utcnow(),
                details={"incident_id": incident_id},
            )
        )


def _context(values: dict[str, Any], error: InvalidIncidentError | None) -> dict[str, Any]:
    return {
        "values": values,
        "incident_fields": FIELDS,
        "max_text": MAX_TEXT,
        "error_field": error.field if error else None,
        "error_code": problem_code(error) if error else None,
    }


def _list_page(
    request: Request,
    principal: Principal,
    values: dict[str, Any] | None = None,
    error: InvalidIncidentError | None = None,
) -> Response:
    return render(
        request,
        "incidents.html",
        {"incidents": list_incidents(), **_context(values or {}, error)},
        status_code=400 if error else 200,
        principal=principal,
    )


@router.get("/admin/incidents")
async def incidents_page(request: Request, principal: Admin) -> Response:
    return _list_page(request, principal)


@router.post("/admin/incidents")
async def incident_record(request: Request, principal: Admin) -> Response:
    form = await checked_form(request, principal)
    try:
        incident = record_incident(**parse_incident(form), recorded_by=principal.username)
    except InvalidIncidentError as error:
        return _list_page(request, principal, form_values(form), error)
    _audit(principal, "incident_recorded", incident.id)
    return redirect(f"/admin/incidents/{incident.id}?done=recorded")


def _incident(incident_id: str) -> IncidentView:
    try:
        return get_incident(int(incident_id))
    except (ValueError, LookupError):
        raise PageNotFound() from None


def _incident_page(
    request: Request,
    principal: Principal,
    incident: IncidentView,
    values: dict[str, Any] | None = None,
    error: InvalidIncidentError | None = None,
) -> Response:
    done = request.query_params.get("done")
    return render(
        request,
        "incident.html",
        {
            "incident": incident,
            "done": done if done in DONE_CODES and error is None else None,
            **_context(values or view_values(incident), error),
        },
        status_code=400 if error else 200,
        principal=principal,
    )


@router.get("/admin/incidents/{incident_id}")
async def incident_page(incident_id: str, request: Request, principal: Admin) -> Response:
    return _incident_page(request, principal, _incident(incident_id))


@router.post("/admin/incidents/{incident_id}")
async def incident_update(incident_id: str, request: Request, principal: Admin) -> Response:
    form = await checked_form(request, principal)
    incident = _incident(incident_id)
    try:
        updated = update_incident(incident.id, **parse_incident(form))
    except InvalidIncidentError as error:
        return _incident_page(request, principal, incident, form_values(form), error)
    except LookupError:
        raise PageNotFound() from None
    _audit(principal, "incident_updated", updated.id)
    return redirect(f"/admin/incidents/{updated.id}?done=updated")
