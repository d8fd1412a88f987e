"""Public pages: health check, the demo partner page with the widget, the privacy notice."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

import appdb
from privacy import notice
from privacy.config import retention_days

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
LANGUAGES = ("fr", "en")
PRIVACY_PATHS = {"fr": "/confidentialite", "en": "/privacy"}

router = APIRouter()


def page_language(request: Request) -> str:
    lang = request.query_params.get("lang", "fr")
    return lang if lang in LANGUAGES else "fr"


@router.get("/health")
async def health() -> JSONResponse:
    """Liveness: the process answers."""
    return JSONResponse({"status": "ok"})


def _database_answers() -> bool:
    try:
        with appdb.get_engine().connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return False
    return True


@router.get("/ready")
async def ready() -> JSONResponse:
    """Readiness: the app database answers (503 while it does not; no detail of the error)."""
    if await run_in_threadpool(_database_answers):
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "unavailable", "reason": "database"}, status_code=503)


@router.get("/", response_class=HTMLResponse)
async def demo(request: Request) -> HTMLResponse:
    lang = page_language(request)
    other = "en" if lang == "fr" else "fr"
    return TEMPLATES.TemplateResponse(
        request,
        f"demo_{lang}.html",
        {
            "lang": lang,
            "other_lang_url": "/" if other == "fr" else "/?lang=en",
            "rasa_url": request.app.state.rasa_url_for(request),
            "privacy_url": PRIVACY_PATHS[lang],
        },
    )


def _privacy_page(request: Request, lang: str) -> HTMLResponse:
    """The full notice: retention periods as configured, the notice's version, and the person
    in charge of personal information when ``COOPILOTE_PRIVACY_CONTACT`` names them."""
    context = {
        "lang": lang,
        "retention": retention_days(),
        "version": notice.version(),
        "contact": os.environ.get("COOPILOTE_PRIVACY_CONTACT", "").strip(),
    }
    return TEMPLATES.TemplateResponse(request, f"privacy_{lang}.html", context)


@router.get("/confidentialite", response_class=HTMLResponse)
async def privacy_fr(request: Request) -> HTMLResponse:
    return _privacy_page(request, "fr")


@router.get("/privacy", response_class=HTMLResponse)
async def privacy_en(request: Request) -> HTMLResponse:
    return _privacy_page(request, "en")


@router.get("/widget/", include_in_schema=False)
async def widget_latest() -> RedirectResponse:
    return RedirectResponse("/widget/v1/coopilote.js")
