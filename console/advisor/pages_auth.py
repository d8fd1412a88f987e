"""Login, logout and the user's own password."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from fastapi import APIRouter, Request
from itsdangerous import BadSignature
from starlette.responses import Response

from console.advisor.web import (
    AnyUser,
    auth_settings,
    checked_form,
    principal_from_cookie,
    redirect,
    render,
    safe_next,
)
from console.auth import accounts
from console.auth.passwords import WeakPassword
from console.auth.sessions import login, login_csrf_signer, logout

router = APIRouter(include_in_schema=False)


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _login_page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    settings = auth_settings(request)
    nonce = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        {
            "login_token": login_csrf_signer(settings).sign(nonce).decode(),
            "next": safe_next(request.query_params.get("next")),
            "error": error,
            "request_done": request.query_params.get("done"),
        },
        status_code=status_code,
    )
    response.set_cookie(
        settings.login_cookie_name,
        nonce,
        max_age=3600,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="strict",
        path="/",
    )
    return response


@router.get("/login")
async def login_form(request: Request) -> Response:
    if principal_from_cookie(request) is not None:
        return redirect(safe_next(request.query_params.get("next")))
    return _login_page(request)


@router.post("/login")
async def login_submit(request: Request) -> Response:
    settings = auth_settings(request)
    form = await request.form()
    nonce = request.cookies.get(settings.login_cookie_name, "")
    sent = str(form.get("login_token") or "")
    try:
        valid = bool(nonce) and secrets.compare_digest(
            login_csrf_signer(settings).unsign(sent).decode(), nonce
        )
    except BadSignature:
        valid = False
    if not valid:
        return _login_page(request, "csrf", 403)
    result = login(
        settings,
        str(form.get("username") or ""),
        str(form.get("password") or ""),
        _client_address(request),
    )
    if not result.ok or result.principal is None:
        status = 429 if result.error == "throttled" else 401
        return _login_page(request, result.error, status)
    target = safe_next(str(form.get("next") or ""))
    if result.principal.must_change_password:
        target = "/account/password"
    response = redirect(target)
    response.set_cookie(
        settings.cookie_name,
        result.cookie_value or "",
        httponly=True,
        secure=settings.cookie_secure,
        samesite=settings.cookie_samesite,
        path="/",
    )
    response.delete_cookie(settings.login_cookie_name, path="/")
    return response


@router.post("/logout")
async def logout_submit(request: Request, principal: AnyUser) -> Response:
    await checked_form(request, principal)
    logout(principal)
    settings = auth_settings(request)
    response = redirect("/login?done=logged_out")
    response.delete_cookie(
        settings.cookie_name,
        path="/",
        secure=settings.cookie_secure,
        httponly=True,
        samesite=settings.cookie_samesite,
    )
    # Drop what the browser kept of the session's pages (ASVS 14.3.1).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@router.get("/account/password")
async def password_form(request: Request, principal: AnyUser) -> Response:
    return render(request, "password.html", {"error": None}, principal=principal)


@router.post("/account/password")
async def password_submit(request: Request, principal: AnyUser) -> Response:
    form = await checked_form(request, principal)
    current = str(form.get("current_password") or "")
    new = str(form.get("new_password") or "")
    error = None
    if not accounts.check_password(principal.user_id, current):
        error = "current_wrong"
    elif new != str(form.get("confirm_password") or ""):
        error = "mismatch"
    elif new == current:
        error = "same"
    else:
        try:
            accounts.set_password(principal.user_id, new, keep_session=principal.session_id)
        except WeakPassword as weak:
            error = weak.code
    if error:
        return render(
            request, "password.html", {"error": error}, status_code=400, principal=principal
        )
    return redirect("/dossiers?done=" + quote("password_changed"))
