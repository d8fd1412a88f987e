"""``python -m console [--background]``: serve the web app on 127.0.0.1:${CONSOLE_PORT:-8000}.

With ``--background`` (``make run``), the background loops (``console.background``: email
notifications, retention purge, follow-up reminders) run in threads of the same process: the
server's stop (SIGTERM, Ctrl-C) stops them, an email being sent is finished first; a loop that
fails stops the server, and the process exits with status 1 so that ``scripts/run.py`` says so.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from typing import Any

import uvicorn

from console.app import create_app
from console.settings import Settings


def serve(settings: Settings, *, background: bool) -> int:
    """Serve until stopped; the exit status (1 if a background loop failed)."""
    # ws="none": Rasa pins an old `websockets` that uvicorn's WebSocket support cannot import, and
    # the app serves plain HTTP (the widget's socket.io goes to Rasa).
    # Under `python -m bot.json_logs console` the root logger writes JSON: uvicorn's records go
    # there instead of to uvicorn's own handlers, without its access log (its lines hold the
    # client's address and the query string, e.g. a name searched for; nginx logs requests).
    json_logs = os.environ.get("COOPILOTE_JSON_LOGS") == "1"
    log_options: dict[str, Any] = {"log_config": None, "access_log": False} if json_logs else {}
    if background:
        # The loops' records go to the root logger, through the log filter (no address or
        # number in them). Installed before uvicorn configures its own loggers: its access
        # formatter needs its records' arguments as they are, which the filter rewrites.
        if not logging.getLogger().handlers:
            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        from bot.channels import log_privacy

        log_privacy.install()
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        ws="none",
        proxy_headers=False,
        **log_options,
    )
    server = uvicorn.Server(config)
    if not background:
        server.run()
        return 0 if server.started else 3
    from console.background import run

    stop = threading.Event()
    status: list[int] = []

    def loops() -> None:
        status.append(run(stop))
        server.should_exit = True  # a loop failed (or the server is stopping already)

    # uvicorn hands a SIGTERM or SIGINT it stopped on back to the handler it found once it has
    # shut down: this one lets the loops finish (an email being sent) instead of dying there.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda _signum, _frame: stop.set())
    thread = threading.Thread(target=loops, name="background")
    thread.start()
    try:
        server.run()
    finally:
        stop.set()
        thread.join()
    if not server.started:
        return 3
    return status[0] if status else 1


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m console", description=__doc__)
    parser.add_argument(
        "--background",
        action="store_true",
        help="also run the background loops (notifications, purge, reminders) in this process",
    )
    args = parser.parse_args()
    return serve(Settings.from_environment(), background=args.background)


if __name__ == "__main__":
    sys.exit(main())
