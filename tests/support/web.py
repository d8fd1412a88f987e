"""A web app (the console, the widget's pages) served by uvicorn in a thread of the test process."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from tests.support.waiting import wait_until

STARTUP_TIMEOUT_S = 20.0


@contextmanager
def serve_in_thread(
    app: Any, port: int, what: str = "the web app", timeout: float = STARTUP_TIMEOUT_S
) -> Iterator[str]:
    """Serves ``app`` on 127.0.0.1:``port`` until the block ends; yields its base URL.

    Raises:
        AssertionError: the server did not start within ``timeout`` seconds, or stopped before
            it started (uvicorn exits when it cannot bind the port; its log line says why).
    """
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none")
    )
    ended: list[BaseException] = []

    def run() -> None:
        try:
            server.run()
        except BaseException as error:  # noqa: BLE001 - uvicorn exits (SystemExit) on a bind error
            ended.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def started() -> bool:
        if ended or (not server.started and not thread.is_alive()):
            cause = f" ({type(ended[0]).__name__}; is the port taken?)" if ended else ""
            raise AssertionError(f"{what} stopped before it started on port {port}{cause}")
        return server.started

    try:
        wait_until(started, timeout, f"{what} to start on port {port}", every=0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
