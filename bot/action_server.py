"""The action server: rasa_sdk's app behind a shared secret that only our Rasa sends.

Anyone who can reach a bare rasa_sdk server can post a forged tracker and run any action on it
(an erasure included). Rasa's ``action_endpoint`` sends ``X-Coopilote-Action-Secret``
(endpoints.yml, ``ACTION_SERVER_SECRET``); every route but ``/health`` refuses a call without it,
and the server does not start while the secret is unset. Errors answer without echoing the
tracker, which holds the conversation. ``python -m bot.action_server -p 5055`` (scripts/run.py
starts it).
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

SECRET_HEADER = "X-Coopilote-Action-Secret"  # noqa: S105 - a header name
SECRET_ENV = "ACTION_SERVER_SECRET"  # noqa: S105 - a variable name
# Enough entropy that guessing is hopeless; scripts/run.py generates 43 characters.
MIN_SECRET_LENGTH = 16
OPEN_PATHS = frozenset({"/health"})
# Searching, parsing and encoding run in threads (asyncio.to_thread) so that the event loop keeps
# serving; a small pool bounds how many compete for the cores (ACTION_THREADS, default 2).
DEFAULT_THREADS = 2

log = logging.getLogger("bot.action_server")


class MissingSecretError(RuntimeError):
    """``ACTION_SERVER_SECRET`` is unset or too short: the server would trust anyone."""


def configured_secret() -> bytes:
    """The shared secret from the environment.

    Raises:
        MissingSecretError: unset or shorter than ``MIN_SECRET_LENGTH``.
    """
    secret = os.environ.get(SECRET_ENV, "").strip()
    if len(secret) < MIN_SECRET_LENGTH:
        raise MissingSecretError(f"{SECRET_ENV} must be set (at least {MIN_SECRET_LENGTH} chars)")
    return secret.encode("utf-8")


def protect(app: Sanic, secret: bytes) -> None:
    """Refuse every call without the secret, and answer errors without the request's body."""

    @app.on_request
    async def require_secret(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if hmac.compare_digest(given, secret):
            return None
        # The caller's address only: no body, no header value.
        log.warning("refused an action call without the shared secret from %s", request.ip)
        return json({"error": "unauthorised"}, status=401)

    @app.exception(Exception)
    async def without_the_tracker(request: Request, exception: Exception) -> HTTPResponse:
        # rasa_sdk's handler logs the request and echoes its body (the whole tracker).
        log.error("action call failed: %s", type(exception).__name__, exc_info=exception)
        return json({"error": "action_failed"}, status=500)


def fill_in_the_domain(app: Sanic) -> None:
    """A call that arrives without the domain (selective domain, endpoints.yml) gets the action
    server's own copy, so that every action reads its responses, slots and forms as before."""
    from bot.actions.domain import local_domain

    @app.on_request
    async def with_the_domain(request: Request) -> None:
        if request.method != "POST" or request.path != "/webhook":
            return
        try:
            call = request.json
        except Exception:  # noqa: BLE001 - rasa_sdk answers a malformed body itself
            return
        if isinstance(call, dict) and not call.get("domain"):
            call["domain"] = local_domain()


def worker_threads() -> int:
    raw = os.environ.get("ACTION_THREADS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_THREADS


def bound_threads(app: Sanic, threads: int) -> None:
    """The event loop's default executor (what asyncio.to_thread uses) gets ``threads`` workers."""

    @app.before_server_start
    async def thread_pool(_app: Sanic, _loop: object = None) -> None:
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=threads, thread_name_prefix="actions")
        )


# Rasa calls the action server through one aiohttp session, which keeps an idle connection for
# 15 s (aiohttp's default); Sanic closes one after 5 s. A call sent as Sanic closes the connection
# fails ("Cannot write to closing transport") and the person gets the outage apology: seen on the
# first message after a pause. Idle connections are therefore closed by the client, first.
KEEP_ALIVE_TIMEOUT_S = 75


def build_app(actions: str = "bot.actions", secret: bytes | None = None) -> Sanic:
    """rasa_sdk's app for ``actions``, protected by ``secret`` (default: the environment)."""
    key = configured_secret() if secret is None else secret
    # No browser calls the action server: no CORS origin at all.
    app = create_app(actions, cors_origins=[])
    app.config.KEEP_ALIVE_TIMEOUT = KEEP_ALIVE_TIMEOUT_S
    protect(app, key)
    fill_in_the_domain(app)
    bound_threads(app, worker_threads())
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-p", "--port", type=int, default=5055)
    parser.add_argument("--actions", default="bot.actions")
    args = parser.parse_args(argv)
    if os.environ.get("COOPILOTE_JSON_LOGS") != "1":  # python -m bot.json_logs set JSON up
        utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    # No message text, address or number in the action server's log lines either.
    from bot.channels import log_privacy

    log_privacy.install()
    try:
        app = build_app(args.actions)
    except MissingSecretError as error:
        log.error("%s", error)
        return 2
    if os.environ.get("COOPILOTE_WARM_UP") == "1":
        # Before serving: /health answers once the first question would not wait, and nothing
        # CPU-bound competes with the first turns (scripts/run.py waits for /health).
        from bot.actions.answer_question import warm_up
        from bot.actions.domain import local_domain

        # The domain is read by a child process (bot/actions/domain.py) meanwhile.
        reading = threading.Thread(target=local_domain, name="domain")
        reading.start()
        warm_up()
        reading.join()
        local_domain()  # raises here if the child process failed
        from bot.memory import release_freed_heap

        release_freed_heap("the warm-up")
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    log.info("Action endpoint is up and running on http://%s:%s", host, args.port)
    app.run(host, args.port, workers=utils.number_of_sanic_workers(), access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
