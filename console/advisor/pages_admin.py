"""Admins' pages: accounts (deactivate, reactivate, reset a password) and the audit trail."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from console.advisor import access
from console.advisor.web import Admin, checked_form, page_number, redirect, render
from console.auth import accounts

router = APIRouter(include_in_schema=False)
AUDIT_PAGE = 50


@router.get("/admin/users")
async def users_page(request: Request, principal: Admin) -> Response:
    done = request.query_params.get("done")
    return render(
        request,
        "users.html",
        {
            "users": accounts.list_users(),
            "names": access.organisation_names(),
            "done": done if done in ("activated", "deactivated", "not_yourself") else None,
        },
        principal=principal,
    )


def _user_id(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        return -1


@router.post("/admin/users/{user_id}/active")
async def set_active(user_id: str, request: Request, principal: Admin) -> Response:
    form = await checked_form(request, principal)
    active = form.get("active") == "1"
    try:
        accounts.set_active(_user_id(user_id), active, by=principal.username)
    except accounts.AccountError as error:
        if error.code == "not_yourself":
            return redirect("/admin/users?done=not_yourself")
        return redirect("/admin/users")
    return redirect("/admin/users?done=" + ("activated" if active else "deactivated"))


@router.post("/admin/users/{user_id}/password")
async def reset_password(user_id: str, request: Request, principal: Admin) -> Response:
    await checked_form(request, principal)
    try:
        target, password = accounts.reset_password(_user_id(user_id), by=principal.username)
    except accounts.AccountError:
        return redirect("/admin/users")
    # Shown once, on this response only (no-store), never put in a URL.
    return render(
        request,
        "password_reset.html",
        {"target": target, "password": password},
        principal=principal,
    )


@router.get("/admin/audit")
async def audit_page(request: Request, principal: Admin) -> Response:
    reference = (request.query_params.get("reference") or "").strip().upper()[:12] or None
    actor = (request.query_params.get("actor") or "").strip().lower()[:120] or None
    page = page_number(request)
    events, total = access.audit_trail(reference, actor, page, AUDIT_PAGE)
    params = {k: v for k, v in (("reference", reference), ("actor", actor)) if v}
    return render(
        request,
        "audit.html",
        {
            "events": events,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // AUDIT_PAGE)),
            "params": params,
            "reference": reference or "",
            "actor": actor or "",
        },
        principal=principal,
    )
