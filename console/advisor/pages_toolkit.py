"""Screening with a client in front of the advisor, the result page, the orientation sheet (PDF)
and its sending by email with the client's consent.

Answers travel in the forms (hidden fields on the result page) and are not stored: a screening
leaves only an audit event with codes (the verdict, the language), attached to the dossier when
it was started from one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from appdb import session_scope, utcnow
from console.advisor import access, changes, toolkit
from console.advisor.i18n import Translator
from console.advisor.sheet import SheetOptions, build_sheet, sheet_filename
from console.advisor.web import (
    NO_STORE,
    PageNotFound,
    User,
    checked_form,
    language,
    redirect,
    render,
)
from console.auth.sessions import Principal
from handoff.contact import InvalidContactError
from handoff.models import AuditEvent
from handoff.sheets import queue_sheet_email
from screening.presentation import Presentation, present, verdict_for

router = APIRouter(include_in_schema=False)
# The consent sentence the advisor reads out before emailing a sheet (catalogue key
# sheet.email.consent): bump this when its wording changes, so the record says what was asked.
EMAIL_CONSENT_VERSION = "sheet-email-2026-12-03"


def _record(principal: Principal, reference: str | None, action: str, details: dict) -> None:
    """An audit event with codes only; without a dossier it is recorded without a reference."""
    if reference is not None:
        access.record(principal, [reference], action, details)
        return
    with session_scope() as session:
        session.add(
            AuditEvent(actor=principal.username, action=action, at=utcnow(), details=details)
        )


def _dossier_reference(principal: Principal, value: Any) -> str | None:
    """A dossier this user may see, or None when none was given; another one is "not found"."""
    reference = str(value or "").strip().upper()
    if not reference:
        return None
    if access.find(principal, reference) is None:
        raise PageNotFound()
    return reference


def _form_page(
    request: Request,
    principal: Principal,
    *,
    client_lang: str,
    values: dict[str, str],
    reference: str | None,
    errors: tuple[str, ...] = (),
    prefilled: bool = False,
) -> Response:
    kb = toolkit.knowledge_base(request)
    return render(
        request,
        "screening_form.html",
        {
            "ct": Translator(client_lang),
            "client_lang": client_lang,
            "values": values,
            "reference": reference,
            "errors": errors,
            "prefilled": prefilled,
            "questions": toolkit.QUESTIONS,
            "choices": toolkit.CHOICE_QUESTIONS,
            "regions": toolkit.region_names(kb, client_lang),
            "max_project": toolkit.MAX_PROJECT,
        },
        status_code=422 if errors else 200,
        principal=principal,
    )


async def _warm(request: Request) -> None:
    """The first screening of a process loads the knowledge base (seconds): off the event loop,
    so that other advisors' pages are not held up meanwhile."""
    await run_in_threadpool(toolkit.knowledge_base, request)


@router.get("/screenings/new")
async def screening_form(request: Request, principal: User) -> Response:
    await _warm(request)
    reference = _dossier_reference(principal, request.query_params.get("dossier"))
    values: dict[str, str] = {}
    default_lang = language(request)
    if reference is not None:
        try:
            dossier = changes.read(principal, reference)
        except changes.NotAccessibleError:
            raise PageNotFound() from None
        values = toolkit.shared_answers(dossier)
        default_lang = dossier.language
    client_lang = toolkit.client_language(request.query_params.get("client_lang"), default_lang)
    return _form_page(
        request,
        principal,
        client_lang=client_lang,
        values=values,
        reference=reference,
        prefilled=bool(values),
    )


async def _screened(
    request: Request, principal: Principal
) -> tuple[FormData, str | None, str, toolkit.ScreeningForm]:
    form = await checked_form(request, principal)
    await _warm(request)
    reference = _dossier_reference(principal, form.get("dossier"))
    client_lang = toolkit.client_language(form.get("client_lang"), language(request))
    read = toolkit.read_answers(form)
    return form, reference, client_lang, read


def _presentation(request: Request, read: toolkit.ScreeningForm, client_lang: str) -> Presentation:
    kb = toolkit.knowledge_base(request)
    assert read.answers is not None
    return present(read.answers, verdict_for(read.answers, kb), client_lang, kb)


def _result_page(
    request: Request,
    principal: Principal,
    read: toolkit.ScreeningForm,
    client_lang: str,
    reference: str | None,
    *,
    email_error: str | None = None,
    status_code: int = 200,
    shown: Presentation | None = None,
) -> Response:
    shown = shown or _presentation(request, read, client_lang)
    return render(
        request,
        "screening_result.html",
        {
            "ct": Translator(client_lang),
            "client_lang": client_lang,
            "shown": shown,
            "values": read.values,
            "reference": reference,
            "email_error": email_error,
            "organisation_name": _organisation_name(principal),
        },
        status_code=status_code,
        principal=principal,
    )


def _organisation_name(principal: Principal) -> str | None:
    if principal.organisation_key is None:
        return None
    return access.organisation_names().get(principal.organisation_key)


@router.post("/screenings/result")
async def screening_result(request: Request, principal: User) -> Response:
    _form, reference, client_lang, read = await _screened(request, principal)
    if read.answers is None:
        return _form_page(
            request,
            principal,
            client_lang=client_lang,
            values=read.values,
            reference=reference,
            errors=read.errors,
        )
    shown = _presentation(request, read, client_lang)
    response = _result_page(request, principal, read, client_lang, reference, shown=shown)
    verdict = shown.verdict
    details = {
        "language": client_lang,
        "coop_fit": verdict.coop_fit,
        "recommended_coop_type": verdict.recommended_coop_type,
        "table_version": verdict.table_version,
    }
    _record(principal, reference, "screened", details)
    return response


def _sheet(
    request: Request,
    principal: Principal,
    form: Any,
    read: toolkit.ScreeningForm,
    client_lang: str,
    reference: str | None,
) -> tuple[bytes, str, Translator]:
    """The sheet's PDF, its file name and the client's translator."""
    shown = _presentation(request, read, client_lang)
    ct = Translator(client_lang)
    client_name = str(form.get("client_name") or "").strip()[: toolkit.MAX_CLIENT_NAME]
    options = SheetOptions(
        organisation_name=_organisation_name(principal),
        client_name=client_name or None,
        project=read.values["project"] or None if form.get("include_project") == "1" else None,
        reference=reference if form.get("include_reference") == "1" else None,
    )
    return build_sheet(shown, ct, options), sheet_filename(ct), ct


@router.post("/screenings/sheet.pdf")
async def screening_sheet(request: Request, principal: User) -> Response:
    form, reference, client_lang, read = await _screened(request, principal)
    if read.answers is None:
        raise PageNotFound()
    pdf, filename, _ct = _sheet(request, principal, form, read, client_lang, reference)
    _record(principal, reference, "printed", {"format": "sheet_pdf", "language": client_lang})
    headers = {**NO_STORE, "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.post("/screenings/email")
async def screening_email(request: Request, principal: User) -> Response:
    """Queue the sheet for the client's address; only from a dossier, with the consent ticked."""
    form, reference, client_lang, read = await _screened(request, principal)
    if read.answers is None or reference is None:
        raise PageNotFound()

    def refused(code: str) -> Response:
        return _result_page(
            request, principal, read, client_lang, reference, email_error=code, status_code=422
        )

    if form.get("consent") != "1":
        return refused("consent")
    pdf, filename, ct = _sheet(request, principal, form, read, client_lang, reference)
    try:
        queue_sheet_email(
            reference,
            recipient=str(form.get("email") or ""),
            subject=ct("sheet.email.subject"),
            body=ct("sheet.email.body"),
            pdf=pdf,
            filename=filename,
            language=client_lang,
            consent_wording_version=EMAIL_CONSENT_VERSION,
            by=principal.username,
        )
    except InvalidContactError:
        return refused("email")
    return redirect(f"/dossiers/{reference}?done=sheet_emailed#sheet_emailed")
