"""The FastAPI application: the widget's static files, public pages and the advisors' console."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from console import public
from console.security import SecurityHeadersMiddleware
from console.settings import Settings

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_environment()
    app = FastAPI(title="Coopilote", docs_url=None, redoc_url=None, openapi_url=None)

    # Computed once from the settings: a wrong value stops the start, not a page.
    rasa_url = settings.rasa_url

    def rasa_url_for(_request: Request) -> str:
        return rasa_url

    app.state.settings = settings
    app.state.rasa_url_for = rasa_url_for
    app.add_middleware(SecurityHeadersMiddleware, rasa_url_for=rasa_url_for)

    # Public: the widget's files (versioned path), the demo page, the privacy notice, /health.
    app.mount("/widget/v1", StaticFiles(directory=STATIC / "widget" / "v1"), name="widget-v1")
    app.mount("/static", StaticFiles(directory=STATIC / "site"), name="static")
    app.include_router(public.router)

    # --- advisors' console (issue 6): /login, /dossiers…, /admin…, /api/handoffs…, /openapi.json,
    # all behind its login; code in console/advisor/ and console/auth/.
    from console.advisor import install_console

    install_console(app)
    # --- end of the advisors' console
    if settings.forwarded_allow_ips:
        # Added last, so it runs first: every later step (the login limits) sees the client's
        # address, taken from X-Forwarded-For only when the connection comes from a listed proxy
        # (uvicorn's middleware, which walks the header from the right past trusted proxies).
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.forwarded_allow_ips))
    return app
