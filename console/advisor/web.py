"""What every console page shares: who is logged in, CSRF checks, language, rendering."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any, cast
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response

from console.advisor import access
from console.advisor.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from console.auth.config import AuthSettings
from console.auth.sessions import Principal, session_principal

TEMPLATES = Path(__file__).parent / "templates"
LANG_COOKIE = "coopilote-console-lang"
# Authenticated pages hold personal data: never kept by the browser or a proxy (ASVS 14.3.2).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

# Autoescape on for every template: transcripts and notes are attacker-controlled text.
jinja = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(["html"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


class LoginRequired(Exception):  # noqa: N818 - control flow, turned into a redirect
    pass


class PasswordChangeRequired(Exception):  # noqa: N818
    pass


class PageNotFound(Exception):  # noqa: N818
    pass


class CsrfRefused(Exception):  # noqa: N818
    pass


class BadQuery(Exception):  # noqa: N818
    """A query parameter no page can honour (a page number beyond ``access.MAX_PAGE``)."""


def page_number(request: Request) -> int:
    """The ``page`` parameter: 1 when absent or unreadable; ``BadQuery`` when out of range."""
    try:
        number = int(request.query_params.get("page", "1"))
    except ValueError:
        return 1
    if number > access.MAX_PAGE:
        raise BadQuery
    return max(1, number)


def auth_settings(request: Request) -> AuthSettings:
    return request.app.state.console_auth


def principal_from_cookie(request: Request) -> Principal | None:
    settings = auth_settings(request)
    cached = getattr(request.state, "console_principal", False)
    if cached is not False:
        return cast("Principal | None", cached)
    principal = session_principal(settings, request.cookies.get(settings.cookie_name))
    request.state.console_principal = principal
    return principal


def any_user(request: Request) -> Principal:
    """A logged-in user, even one who must still change a generated password."""
    principal = principal_from_cookie(request)
    if principal is None:
        raise LoginRequired()
    return principal


def user(request: Request) -> Principal:
    principal = any_user(request)
    if principal.must_change_password:
        raise PasswordChangeRequired()
    return principal


def admin(request: Request) -> Principal:
    principal = user(request)
    if not principal.is_admin:
        raise PageNotFound()
    return principal


def same_origin(request: Request) -> bool:
    """A present Origin header must be this site (ASVS 3.5.2); absent is left to the token."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    parts = urlsplit(origin)
    return parts.netloc == request.headers.get("host", request.url.netloc)


async def checked_form(request: Request, principal: Principal) -> FormData:
    """The posted form, after the CSRF token of the session and the origin are checked."""
    form = await request.form()
    sent = form.get("csrf_token")
    if (
        not isinstance(sent, str)
        or not principal.csrf_token
        or not secrets.compare_digest(sent, principal.csrf_token)
        or not same_origin(request)
    ):
        raise CsrfRefused()
    return form


def language(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    saved = request.cookies.get(LANG_COOKIE)
    return saved if saved in LANGUAGES else DEFAULT_LANGUAGE


def translator(request: Request) -> Translator:
    return Translator(language(request))


def safe_next(target: str | None, default: str = "/dossiers") -> str:
    """Only a path of this site (no scheme, no //host): open redirects are refused."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    principal: Principal | None = None,
) -> HTMLResponse:
    lang = language(request)
    t = Translator(lang)
    other = "en" if lang == "fr" else "fr"
    # A path, not an absolute URL: the request's Host header is the client's to choose.
    switch = request.url.include_query_params(lang=other)
    values = {
        "_": t,
        "t": t,
        "lang": lang,
        "other_lang": other,
        "other_lang_url": f"{switch.path}?{switch.query}",
        "principal": principal,
        "csrf_token": principal.csrf_token if principal else None,
        "path": request.url.path,
        **(context or {}),
    }
    body = jinja.get_template(template).render(values)
    response = HTMLResponse(body, status_code=status_code, headers=NO_STORE)
    if request.query_params.get("lang") in LANGUAGES:
        settings = auth_settings(request)
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 86400,
            httponly=True,
            secure=settings.cookie_secure,
            samesite="lax",
        )
    return response


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


def install_handlers(app: FastAPI) -> None:
    async def login_required(request: Request, _exc: Exception) -> Response:
        next_path = request.url.path
        if request.url.query:
            next_path += "?" + request.url.query
        from urllib.parse import quote

        return redirect("/login?next=" + quote(next_path, safe=""))

    async def password_change(request: Request, _exc: Exception) -> Response:
        return redirect("/account/password")

    async def not_found(request: Request, _exc: Exception) -> Response:
        principal = principal_from_cookie(request)
        return render(request, "error.html", {"code": 404}, status_code=404, principal=principal)

    async def csrf_refused(request: Request, _exc: Exception) -> Response:
        principal = principal_from_cookie(request)
        return render(request, "error.html", {"code": 403}, status_code=403, principal=principal)

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(PasswordChangeRequired, password_change)
    app.add_exception_handler(PageNotFound, not_found)

    async def bad_query(request: Request, _exc: Exception) -> Response:
        principal = principal_from_cookie(request)
        return render(request, "error.html", {"code": 400}, status_code=400, principal=principal)

    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(BadQuery, bad_query)


AnyUser = Annotated[Principal, Depends(any_user)]
User = Annotated[Principal, Depends(user)]
Admin = Annotated[Principal, Depends(admin)]
