"""The advisors' JSON API under /api/, with the pages' permissions.

Authentication: ``Authorization: Bearer <token>`` (a token per user, from
``python -m console.users token``) or the console's session cookie; with the cookie, PATCH and
POST also need the session's CSRF token in ``X-CSRF-Token``. A dossier of another organisation
answers 404, exactly like a reference that does not exist.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.openapi.utils import get_openapi
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import JSONResponse

from console.advisor import access, changes, exports
from console.advisor.web import NO_STORE, principal_from_cookie, same_origin
from console.auth.sessions import Principal, token_principal
from handoff import store
from handoff.dossier import DossierView

bearer = HTTPBearer(auto_error=False, description="A user's API token")
# Declared for the OpenAPI description; the cookie itself is read by principal_from_cookie.
session_cookie = APIKeyCookie(
    name="__Host-coopilote-session", auto_error=False, description="The console's session"
)
router = APIRouter(prefix="/api", tags=["handoffs"])
Status = Literal["new", "in_progress", "closed"]
Outcome = Literal["oriented", "referred", "coop_project_started", "not_pursued", "no_answer"]
UNSAFE = {"POST", "PATCH", "PUT", "DELETE"}


def _refuse(status: int, detail: str) -> HTTPException:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return HTTPException(status_code=status, detail=detail, headers=headers)


def api_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    _cookie: Annotated[str | None, Depends(session_cookie)],
) -> Principal:
    if request.headers.get("authorization"):
        principal = token_principal(credentials.credentials) if credentials else None
        if principal is None:
            raise _refuse(401, "invalid_token")
        return principal
    principal = principal_from_cookie(request)
    if principal is None:
        raise _refuse(401, "not_authenticated")
    if principal.must_change_password:
        raise _refuse(403, "password_change_required")
    if request.method in UNSAFE:
        sent = request.headers.get("x-csrf-token", "")
        if not (
            principal.csrf_token
            and secrets.compare_digest(sent, principal.csrf_token)
            and same_origin(request)
        ):
            raise _refuse(403, "csrf")
    return principal


ApiUser = Annotated[Principal, Depends(api_user)]


class ConsentOut(BaseModel):
    purpose: str
    granted: bool
    wording_version: str
    answered_at: datetime
    withdrawn_at: datetime | None
    # The privacy notice shown in the conversation (None before notices were versioned).
    notice_version: str | None = None


class NoteOut(BaseModel):
    id: int
    author: str
    text: str
    created_at: datetime


class HandoffSummary(BaseModel):
    reference: str
    created_at: datetime
    status: Status
    language: str
    region_code: str | None
    organisation_key: str | None
    queue: str
    trigger: str
    reason: str | None
    assignee: str | None
    coop_fit: str | None
    referred_to: str | None
    follow_up_date: date | None
    outcome: Outcome | None = None


class Handoff(HandoffSummary):
    channel: str
    project_summary: str | None
    screening_summary: dict[str, Any] | None
    contact_method: str | None
    contact_value: str | None
    availability: str | None
    transcript: list[dict[str, Any]] | None = Field(
        description="Only when the person agreed to share it"
    )
    consents: list[ConsentOut]
    notes: list[NoteOut]


class HandoffList(BaseModel):
    items: list[HandoffSummary]
    total: int
    page: int
    size: int
    counts: dict[str, int] = Field(description="Dossiers per status under the same filters")


class HandoffPatch(BaseModel):
    """Only the fields sent change; ``assignee: null`` unassigns, ``organisation_key: null``
    sends the dossier to the shared queue."""

    model_config = ConfigDict(extra="forbid")
    status: Status | None = None
    assignee: str | None = Field(default=None, max_length=120)
    organisation_key: str | None = Field(default=None, max_length=80)
    referred_to: str | None = Field(default=None, max_length=200)
    follow_up_date: date | None = None
    outcome: Outcome | None = None


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=5000)


def _summary_fields(d: DossierView) -> dict[str, Any]:
    return {
        "reference": d.reference,
        "created_at": d.created_at,
        "status": d.status,
        "language": d.language,
        "region_code": d.region_code,
        "organisation_key": d.organisation_key,
        "queue": d.queue,
        "trigger": d.trigger,
        "reason": d.reason,
        "assignee": d.assignee,
        "coop_fit": exports.coop_fit(d),
        "referred_to": d.referred_to,
        "follow_up_date": d.follow_up_date,
        "outcome": d.outcome,
    }


def _full(d: DossierView) -> Handoff:
    return Handoff(
        **_summary_fields(d),
        channel=d.channel,
        project_summary=d.project_summary,
        screening_summary=d.screening_summary,
        contact_method=d.contact_method,
        contact_value=d.contact_value,
        availability=d.availability,
        transcript=d.transcript,
        consents=[
            ConsentOut(
                purpose=c.purpose,
                granted=c.granted,
                wording_version=c.wording_version,
                answered_at=c.granted_at,
                withdrawn_at=c.withdrawn_at,
                notice_version=c.notice_version,
            )
            for c in d.consents
        ],
        notes=[
            NoteOut(id=n.id, author=n.author, text=n.text, created_at=n.created_at) for n in d.notes
        ],
    )


def _not_found() -> HTTPException:
    return HTTPException(status_code=404, detail="not_found")


@router.get("/handoffs", response_model=HandoffList)
def list_handoffs(
    principal: ApiUser,
    status: Status | None = None,
    language: Literal["fr", "en"] | None = None,
    region: Annotated[str | None, Query(pattern=r"^(0[1-9]|1[0-7])$")] = None,
    organisation: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: Annotated[int, Query(ge=1, le=access.MAX_PAGE)] = 1,
    size: Annotated[int, Query(ge=1, le=access.MAX_PAGE_SIZE)] = access.PAGE_SIZE,
) -> JSONResponse:
    """The dossiers this user may see, newest first; admins may filter by organisation
    (``shared`` for the shared queue)."""
    for name, day in (("date_from", date_from), ("date_to", date_to)):
        if not access.day_in_range(day):
            raise HTTPException(
                422, f"invalid {name}: from {access.EARLIEST_DAY} to {access.LATEST_DAY}"
            )
    filters = access.InboxFilters(status, language, region, organisation, date_from, date_to)
    result = access.inbox(principal, filters, page, size)
    body = HandoffList(
        items=[HandoffSummary(**_summary_fields(d)) for d in result.items],
        total=result.total,
        page=result.page,
        size=result.size,
        counts=result.counts,
    )
    return JSONResponse(body.model_dump(mode="json"), headers=NO_STORE)


@router.get("/handoffs/{reference}", response_model=Handoff, responses={404: {}})
def get_handoff(reference: str, principal: ApiUser) -> JSONResponse:
    """One dossier (the view is recorded in the audit trail)."""
    try:
        dossier = changes.read(principal, reference)
    except changes.NotAccessibleError:
        raise _not_found() from None
    return JSONResponse(_full(dossier).model_dump(mode="json"), headers=NO_STORE)


@router.patch("/handoffs/{reference}", response_model=Handoff, responses={404: {}, 422: {}})
def patch_handoff(reference: str, patch: HandoffPatch, principal: ApiUser) -> JSONResponse:
    """Change the status, the assignee, the outcome, or transfer to another organisation."""
    sent = patch.model_fields_set
    if "assignee" in sent and "organisation_key" in sent:
        raise HTTPException(422, "assign after the transfer, in a second request")
    try:
        changes.require(principal, reference)
        if "status" in sent:
            if patch.status is None:
                raise changes.ChangeRefusedError("status")
            changes.set_status(principal, reference, patch.status)
        if sent & {"referred_to", "follow_up_date", "outcome"}:
            current = store.get_dossier(reference)
            changes.set_outcome(
                principal,
                reference,
                patch.referred_to if "referred_to" in sent else current.referred_to,
                patch.follow_up_date if "follow_up_date" in sent else current.follow_up_date,
                patch.outcome if "outcome" in sent else changes.KEEP,
            )
        if "assignee" in sent:
            changes.set_assignee(principal, reference, patch.assignee)
        if "organisation_key" in sent:
            key = patch.organisation_key
            changes.set_organisation(principal, reference, None if key == "shared" else key)
    except changes.NotAccessibleError:
        raise _not_found() from None
    except changes.ChangeRefusedError as refused:
        raise HTTPException(422, f"invalid {refused.field}") from None
    dossier = store.get_dossier(reference)
    return JSONResponse(_full(dossier).model_dump(mode="json"), headers=NO_STORE)


@router.post(
    "/handoffs/{reference}/notes", response_model=NoteOut, status_code=201, responses={404: {}}
)
def post_note(reference: str, note: NoteIn, principal: ApiUser) -> JSONResponse:
    try:
        added = changes.add_note(principal, reference, note.text)
    except changes.NotAccessibleError:
        raise _not_found() from None
    except changes.ChangeRefusedError as refused:
        raise HTTPException(422, f"invalid {refused.field}") from None
    body = NoteOut(id=added.id, author=added.author, text=added.text, created_at=added.created_at)
    return JSONResponse(body.model_dump(mode="json"), status_code=201, headers=NO_STORE)


def openapi_document(app: FastAPI) -> dict[str, Any]:
    if getattr(app.state, "console_openapi", None) is None:
        app.state.console_openapi = get_openapi(
            title="Coopilote — advisors' API",
            version="1",
            description=__doc__,
            routes=router.routes,
        )
    return app.state.console_openapi


docs_router = APIRouter(include_in_schema=False)


@docs_router.get("/openapi.json")
def openapi_json(request: Request, _principal: ApiUser) -> JSONResponse:
    return JSONResponse(openapi_document(request.app))
