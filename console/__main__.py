"""``python -m console``: serve the web app on 127.0.0.1:${CONSOLE_PORT:-8000}."""

from __future__ import annotations

import os
from typing import Any

import uvicorn

from console.app import create_app
from console.settings import Settings


def main() -> None:
    settings = Settings.from_environment()
    # ws="none": Rasa pins an old `websockets` that uvicorn's WebSocket support cannot import, and
    # the app serves plain HTTP (the widget's socket.io goes to Rasa).
    # Under `python -m bot.json_logs console` the root logger writes JSON: uvicorn's records go
    # there instead of to uvicorn's own handlers, without its access log (its lines hold the
    # client's address and the query string, e.g. a name searched for; nginx logs requests).
    json_logs = os.environ.get("COOPILOTE_JSON_LOGS") == "1"
    log_options: dict[str, Any] = {"log_config": None, "access_log": False} if json_logs else {}
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        ws="none",
        proxy_headers=False,
        **log_options,
    )


if __name__ == "__main__":
    main()
