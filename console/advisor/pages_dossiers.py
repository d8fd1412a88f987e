"""The inbox, the dossier page and its forms, the printable page and the CSV exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from console.advisor import access, changes, exports, reports
from console.advisor.i18n import TIMEZONE
from console.advisor.web import (
    NO_STORE,
    PageNotFound,
    User,
    checked_form,
    language,
    page_number,
    redirect,
    render,
    translator,
)
from console.auth.sessions import Principal
from handoff.dossier import DossierView
from handoff.models import LANGUAGES, OUTCOMES, STATUSES
from screening.answers import REGION_CODES
from screening.texts import text as screening_text

router = APIRouter(include_in_schema=False)

DONE_CODES = {
    "note_added",
    "status",
    "assigned",
    "transferred",
    "outcome",
    "password_changed",
    "consent_withdrawn",
    "sheet_emailed",
    "answer_flagged",
}
LAST_WORDS = 3


def _flash(request: Request) -> dict[str, str | None]:
    done = request.query_params.get("done")
    error = request.query_params.get("error")
    return {
        "done": done if done in DONE_CODES else None,
        "error": error if error in changes.FIELDS else None,
    }


@router.get("/dossiers")
async def inbox(request: Request, principal: User) -> Response:
    filters = access.InboxFilters.parse(request.query_params)
    page = access.inbox(principal, filters, page_number(request))
    query = filters.as_query()

    def page_url(number: int) -> str:
        return "/dossiers?" + urlencode({**query, "page": number})

    return render(
        request,
        "inbox.html",
        {
            "filters": filters,
            "page": page,
            "page_url": page_url,
            "export_url": "/dossiers.csv?" + urlencode(query),
            "status_url": lambda s: "/dossiers?" + urlencode({**query, "status": s}),
            "statuses": STATUSES,
            "languages": LANGUAGES,
            "regions": REGION_CODES,
            "organisations": access.organisations() if principal.is_admin else [],
            "names": access.organisation_names(),
            "fit": exports.coop_fit,
            "due_follow_ups": reports.due_count(principal, datetime.now(TIMEZONE).date()),
            **_flash(request),
        },
        principal=principal,
    )


@router.get("/dossiers.csv")
async def inbox_csv(request: Request, principal: User) -> Response:
    filters = access.InboxFilters.parse(request.query_params)
    rows = access.export_rows(principal, filters)
    access.record(principal, [d.reference for d in rows], "exported", {"format": "csv_list"})
    body = exports.dossier_list_csv(translator(request), rows, access.organisation_names())
    return _csv(body, "dossiers.csv")


def _csv(body: str, filename: str) -> Response:
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers)


def _read(principal: Principal, reference: str) -> DossierView:
    try:
        return changes.read(principal, reference)
    except changes.NotAccessibleError:
        raise PageNotFound() from None


def screening_texts(lang: str, summary: dict[str, Any]) -> Callable[[str, Any], str | None]:
    """The screening package's own explanations of its codes, in the page's language."""
    verdict = summary.get("verdict")
    verdict = verdict if isinstance(verdict, dict) else {}
    minimum = (verdict.get("founders_minimum") or {}).get("count")
    answers = summary.get("answers")
    answers = answers if isinstance(answers, dict) else {}
    values = {"minimum": minimum, "founders": answers.get("founders")}

    def explain(section: str, code: Any) -> str | None:
        try:
            return screening_text(section, str(code), lang, **values)
        except (KeyError, ValueError):
            return None

    return explain


def _last_words(dossier: DossierView) -> list[dict[str, Any]]:
    """The person's own words before the handoff: only when the transcript was shared."""
    said = [m for m in dossier.transcript or [] if m.get("who") == "user"]
    return said[-LAST_WORDS:]


@router.get("/dossiers/{reference}")
async def dossier_page(reference: str, request: Request, principal: User) -> Response:
    dossier = _read(principal, reference)
    trail = access.audit_trail(reference=reference, size=200)[0] if principal.is_admin else []
    return render(
        request,
        "dossier.html",
        {
            "d": dossier,
            "screening": dossier.screening_summary or {},
            "st": screening_texts(language(request), dossier.screening_summary or {}),
            "fit": exports.coop_fit(dossier),
            "last_words": _last_words(dossier),
            "names": access.organisation_names(),
            "organisations": access.organisations(),
            "assignees": access.assignees(dossier.organisation_key),
            "statuses": STATUSES,
            "outcomes": OUTCOMES,
            "trail": trail,
            **_flash(request),
        },
        principal=principal,
    )


@router.get("/dossiers/{reference}/print")
async def dossier_print(reference: str, request: Request, principal: User) -> Response:
    dossier = _read(principal, reference)
    access.record(principal, [reference], "printed", {"format": "html"})
    return render(
        request,
        "print.html",
        {
            "d": dossier,
            "screening": dossier.screening_summary or {},
            "st": screening_texts(language(request), dossier.screening_summary or {}),
            "fit": exports.coop_fit(dossier),
            "names": access.organisation_names(),
        },
        principal=principal,
    )


@router.get("/dossiers/{reference}/export.csv")
async def dossier_csv(reference: str, request: Request, principal: User) -> Response:
    dossier = _read(principal, reference)
    access.record(principal, [reference], "exported", {"format": "csv"})
    body = exports.dossier_csv(translator(request), dossier, access.organisation_names())
    return _csv(body, f"{reference}.csv")


async def _change(
    request: Request, principal: Principal, reference: str, apply: Callable[[FormData], str]
) -> Response:
    form = await checked_form(request, principal)
    try:
        done = apply(form)
    except changes.NotAccessibleError:
        raise PageNotFound() from None
    except changes.ChangeRefusedError as refused:
        return redirect(f"/dossiers/{reference}?error={refused.field}")
    if access.find(principal, reference) is None:
        # Transferred out of this advisor's organisation: back to the inbox.
        return redirect(f"/dossiers?done={done}")
    return redirect(f"/dossiers/{reference}?done={done}#{done}")


@router.post("/dossiers/{reference}/consents/{purpose}/withdraw")
async def post_withdraw_consent(
    reference: str, purpose: str, request: Request, principal: User
) -> Response:
    """The person withdrew a consent (by phone, email…): its sharing stops and what it covered
    is erased at once (Law 25)."""

    def apply(form: FormData) -> str:
        if form.get("confirm") != "1":
            raise changes.ChangeRefusedError("withdraw_confirm")
        changes.withdraw_consent(principal, reference, purpose)
        return "consent_withdrawn"

    return await _change(request, principal, reference, apply)


def _optional(form: FormData, name: str) -> str | None:
    value = str(form.get(name) or "").strip()
    return value or None


@router.post("/dossiers/{reference}/notes")
async def post_note(reference: str, request: Request, principal: User) -> Response:
    def apply(form: FormData) -> str:
        changes.add_note(principal, reference, str(form.get("text") or ""))
        return "note_added"

    return await _change(request, principal, reference, apply)


@router.post("/dossiers/{reference}/status")
async def post_status(reference: str, request: Request, principal: User) -> Response:
    def apply(form: FormData) -> str:
        changes.set_status(principal, reference, str(form.get("status") or ""))
        return "status"

    return await _change(request, principal, reference, apply)


@router.post("/dossiers/{reference}/assignee")
async def post_assignee(reference: str, request: Request, principal: User) -> Response:
    def apply(form: FormData) -> str:
        changes.set_assignee(principal, reference, _optional(form, "assignee"))
        return "assigned"

    return await _change(request, principal, reference, apply)


@router.post("/dossiers/{reference}/transfer")
async def post_transfer(reference: str, request: Request, principal: User) -> Response:
    def apply(form: FormData) -> str:
        key = _optional(form, "organisation")
        if key is None:
            raise changes.ChangeRefusedError("organisation")
        changes.set_organisation(principal, reference, None if key == "shared" else key)
        return "transferred"

    return await _change(request, principal, reference, apply)


@router.post("/dossiers/{reference}/outcome")
async def post_outcome(reference: str, request: Request, principal: User) -> Response:
    def apply(form: FormData) -> str:
        follow_up = changes.parse_date(_optional(form, "follow_up_date"))
        outcome = _optional(form, "outcome") if "outcome" in form else changes.KEEP
        changes.set_outcome(
            principal, reference, _optional(form, "referred_to"), follow_up, outcome
        )
        return "outcome"

    return await _change(request, principal, reference, apply)
