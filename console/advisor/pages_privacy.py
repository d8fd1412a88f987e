"""Admins' page for a person's requests about their data: export (access and portability) and
erasure on request, in every store at once (``privacy.export``, ``privacy.erasure``).

Every step is a POST: the keys (an email, a phone) stay out of URLs, logs and history.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import exc
from starlette.responses import Response

from console.advisor.i18n import TIMEZONE
from console.advisor.privacy_requests import (
    InvalidKeysError,
    PersonKeys,
    export_counts,
    preview_erasure,
    record_export,
)
from console.advisor.web import NO_STORE, Admin, checked_form, render
from console.auth.sessions import Principal
from privacy.erasure import erase_person
from privacy.export import export_person
from privacy.models import CATEGORIES

router = APIRouter(include_in_schema=False)
# A store that cannot be reached: the request can be made again (erasure is idempotent).
UNREACHABLE = (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError, OSError)


def _form_values(form: Any) -> dict[str, str]:
    """What the admin typed, to refill the form (this answer is never cached)."""
    return {name: str(form.get(name) or "")[:300] for name in ("sender_id", "reference", "contact")}


def _request_page(
    request: Request,
    principal: Principal,
    *,
    values: dict[str, str] | None = None,
    error: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "privacy.html",
        {"values": values or {}, "error": error, "notice": notice},
        status_code=status_code,
        principal=principal,
    )


@router.get("/admin/privacy")
async def privacy_page(request: Request, principal: Admin) -> Response:
    return _request_page(request, principal)


async def _keys(request: Request, principal: Principal) -> tuple[Any, PersonKeys | Response]:
    form = await checked_form(request, principal)
    try:
        return form, PersonKeys.from_form(form)
    except InvalidKeysError as error:
        page = _request_page(
            request, principal, values=_form_values(form), error=error.code, status_code=400
        )
        return form, page


def _unreachable(request: Request, principal: Principal, form: Any) -> Response:
    return _request_page(
        request, principal, values=_form_values(form), error="unreachable", status_code=503
    )


@router.post("/admin/privacy/export")
async def export_download(request: Request, principal: Admin) -> Response:
    form, keys = await _keys(request, principal)
    if isinstance(keys, Response):
        return keys
    try:
        document = export_person(keys.sender_id, keys.reference, keys.contact)
    except UNREACHABLE:
        return _unreachable(request, principal, form)
    counts = export_counts(document)
    if not any(counts.values()):
        # An empty file would read as "we hold nothing" when the key may simply be mistyped:
        # the admin checks the keys first, and answers the person in writing.
        return _request_page(request, principal, values=_form_values(form), notice="nothing_found")
    record_export(principal, keys, document)
    day = datetime.now(TIMEZONE).date().isoformat()
    body = json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"
    headers = {
        **NO_STORE,
        "Content-Disposition": f'attachment; filename="coopilote-export-{day}.json"',
    }
    return Response(
        body.encode("utf-8"), media_type="application/json; charset=utf-8", headers=headers
    )


def _confirmation_page(
    request: Request,
    principal: Principal,
    form: Any,
    keys: PersonKeys,
    *,
    error: str | None = None,
) -> Response:
    try:
        preview = preview_erasure(keys)
    except UNREACHABLE:
        return _unreachable(request, principal, form)
    if preview.empty:
        return _request_page(request, principal, values=_form_values(form), notice="nothing_found")
    return render(
        request,
        "privacy_erase.html",
        {"keys": keys, "preview": preview, "error": error},
        status_code=400 if error else 200,
        principal=principal,
    )


@router.post("/admin/privacy/erase")
async def erase_preview(request: Request, principal: Admin) -> Response:
    form, keys = await _keys(request, principal)
    if isinstance(keys, Response):
        return keys
    return _confirmation_page(request, principal, form, keys)


@router.post("/admin/privacy/erase/confirm")
async def erase_confirmed(request: Request, principal: Admin) -> Response:
    form, keys = await _keys(request, principal)
    if isinstance(keys, Response):
        return keys
    if form.get("confirm") != "yes":
        return _confirmation_page(request, principal, form, keys, error="confirm")
    try:
        # The same search as the preview: what matched nothing there erases nothing here, even
        # when the form is posted without the preview (a reference alone would still reach files).
        if preview_erasure(keys).empty:
            return _request_page(
                request, principal, values=_form_values(form), notice="nothing_found"
            )
        report = erase_person(keys.sender_id, keys.reference, keys.contact, by=principal.username)
    except UNREACHABLE:
        return _unreachable(request, principal, form)
    # Shown once, on this answer; the audit trail and destruction log keep the counts.
    return render(
        request,
        "privacy_erased.html",
        {"report": report, "categories": CATEGORIES},
        principal=principal,
    )
