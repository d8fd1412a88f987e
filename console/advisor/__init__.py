"""The advisors' console (issue 6): login, inbox, dossiers, exports, partner matchmaking, admin
pages (accounts, audit trail, people's privacy requests, incident register), JSON API.

``install_console(app)`` adds it to the web app built by ``console.app.create_app``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from console.auth.config import AuthSettings

STATIC = Path(__file__).parent / "static"
# Public like the widget's files: the console's stylesheet and print script, no data.
ASSETS_PATH = "/assets/console"


def install_console(app: FastAPI, settings: AuthSettings | None = None) -> None:
    from console.advisor import (
        api,
        i18n,
        pages_admin,
        pages_auth,
        pages_content,
        pages_dossiers,
        pages_incidents,
        pages_partners,
        pages_privacy,
        pages_reports,
        pages_toolkit,
        web,
    )

    i18n.preload()  # a broken catalogue fails at start, not on a page
    app.state.console_auth = settings or AuthSettings.from_environment()
    app.mount(ASSETS_PATH, StaticFiles(directory=STATIC), name="console-assets")
    web.install_handlers(app)
    modules = (
        pages_auth,
        pages_dossiers,
        pages_partners,
        pages_toolkit,
        pages_reports,
        pages_content,
        pages_admin,
        pages_privacy,
        pages_incidents,
        api,
    )
    for module in modules:
        app.include_router(module.router)
    app.include_router(api.docs_router)
