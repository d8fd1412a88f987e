"""The shared web-app fixture (tests/support/web.py) hands over a server that answers, or fails
saying which one did not start."""

from __future__ import annotations

import socket
import urllib.request

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tests.support.processes import free_port
from tests.support.web import serve_in_thread


def app() -> Starlette:
    return Starlette(routes=[Route("/", lambda request: PlainTextResponse("ok"))])


def test_the_app_answers_as_soon_as_it_is_handed_over():
    with serve_in_thread(app(), free_port(), "the test app") as url:
        with urllib.request.urlopen(url, timeout=5) as reply:  # noqa: S310 - loopback
            assert reply.read() == b"ok"


def test_a_server_that_cannot_start_fails_at_once_naming_it():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(AssertionError, match=f"the test app stopped before.*port {port}"):
            with serve_in_thread(app(), port, "the test app", timeout=30):
                pass  # pragma: no cover - not reached
