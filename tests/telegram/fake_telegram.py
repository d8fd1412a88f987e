"""A fake Telegram Bot API on loopback: what python-telegram-bot calls, recorded, and breakable.

It runs an aiohttp app in a thread of its own. getUpdates follows Telegram's offset rule (an
offset confirms every update below it) and long-polls; ``failing(True)`` answers 502 to every
call and ``go_down()`` closes the port (connection refused) until ``come_back()``. In webhook
mode, ``deliver`` POSTs an update to the registered webhook like Telegram does, redelivering it
until it is accepted.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from aiohttp import web

BOT_USER = {
    "id": 7000001,
    "is_bot": True,
    "first_name": "Coopilote",
    "username": "coopilote_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    status: int


@dataclass
class WebhookPost:
    update_id: int
    status: int
    at: float


@dataclass
class FakeTelegram:
    token: str = "123456:TEST-token"  # noqa: S105 - a fake bot token
    updates: list[dict] = field(default_factory=list)  # not yet confirmed
    calls: list[Call] = field(default_factory=list)
    webhook: dict | None = None
    webhook_posts: list[WebhookPost] = field(default_factory=list)
    # The offset of every getUpdates request, as it arrives (a long poll is recorded in calls
    # only when it ends).
    poll_offsets: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._lock = threading.Lock()
        self._failing = False
        self._failing_methods: set[str] | None = None
        self._loop = asyncio.new_event_loop()
        self._new_update: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    # ---- life cycle ------------------------------------------------------------------------
    def start(self) -> FakeTelegram:
        self._thread.start()
        self._run(self._listen())
        return self

    def stop(self) -> None:
        if self._runner is not None:
            self._run(self._runner.cleanup())
        self._run(self._cancel_the_rest())
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _cancel_the_rest(self) -> None:
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def go_down(self) -> None:
        """Connection refused until come_back()."""
        assert self._runner is not None
        self._run(self._runner.cleanup())
        self._runner = None

    def come_back(self) -> None:
        self._run(self._listen())

    def failing(self, on: bool, methods: set[str] | None = None) -> None:
        """Answer HTTP 502 to every call (or to ``methods`` only) while on."""
        self._failing = on
        self._failing_methods = methods

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=30)

    async def _listen(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        if not self.port:
            self.port = self._runner.addresses[0][1]
        self._new_update = self._new_update or asyncio.Event()

    # ---- the Bot API -----------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        if request.match_info["token"] != self.token:
            return self._record(method, params, 401, {"ok": False, "error_code": 401})
        if self._failing and (self._failing_methods is None or method in self._failing_methods):
            return self._record(method, params, 502, {"ok": False, "error_code": 502})
        if method == "getUpdates":
            return await self._get_updates(params)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._record(method, params, 404, {"ok": False, "error_code": 404})
        return self._record(method, params, 200, {"ok": True, "result": handler(params)})

    def _record(self, method: str, params: dict, status: int, body: dict) -> web.Response:
        with self._lock:
            self.calls.append(Call(method, params, time.monotonic(), status))
        return web.json_response(body, status=status)

    async def _get_updates(self, params: dict) -> web.Response:
        if self.webhook is not None:
            body = {"ok": False, "error_code": 409, "description": "Conflict: webhook is active"}
            return self._record("getUpdates", params, 409, body)
        offset = int(params.get("offset") or 0)
        with self._lock:
            self.poll_offsets.append(offset)
            if offset:  # Telegram forgets every update below the offset: they are confirmed
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            with self._lock:
                ready = [u for u in self.updates if u["update_id"] >= offset]
            ready = ready[: int(params.get("limit") or 100)]
            if ready or time.monotonic() >= deadline:
                break
            assert self._new_update is not None
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except asyncio.TimeoutError:
                pass
        return self._record("getUpdates", params, 200, {"ok": True, "result": ready})

    def _api_getMe(self, _: dict) -> dict:  # noqa: N802 - Bot API method names
        return BOT_USER

    def _api_deleteWebhook(self, _: dict) -> bool:  # noqa: N802
        self.webhook = None
        return True

    def _api_setWebhook(self, params: dict) -> bool:  # noqa: N802
        self.webhook = params
        return True

    def _api_sendChatAction(self, _: dict) -> bool:  # noqa: N802
        return True

    def _api_answerCallbackQuery(self, _: dict) -> bool:  # noqa: N802
        return True

    def _api_sendMessage(self, params: dict) -> dict:  # noqa: N802
        chat_id = int(params["chat_id"])
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": BOT_USER,
            "text": params.get("text", ""),
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    # ---- what tests do ---------------------------------------------------------------------
    def push(self, update: dict) -> dict:
        """Queue an update for getUpdates (polling mode)."""
        with self._lock:
            self.updates.append(update)
        self._loop.call_soon_threadsafe(self._wake)
        return update

    def _wake(self) -> None:
        if self._new_update is not None:
            self._new_update.set()

    def next_update_id(self) -> int:
        return next(self._ids)

    def deliver(self, update: dict, retry_s: float = 1.0) -> threading.Thread:
        """POST ``update`` to the webhook like Telegram: again and again until it gets a 200."""
        assert self.webhook is not None, "no webhook registered"
        url = self.webhook["url"]
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook.get("secret_token", "")}

        def post() -> None:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                try:
                    reply = requests.post(url, json=update, headers=headers, timeout=90)
                    status = reply.status_code
                except requests.ConnectionError:
                    status = 0
                with self._lock:
                    self.webhook_posts.append(WebhookPost(update["update_id"], status, time.time()))
                if status in (200, 401, 403):
                    return
                time.sleep(retry_s)  # Telegram's pause before it delivers the update again

        thread = threading.Thread(target=post, daemon=True)
        thread.start()
        return thread

    def post_once(self, update: dict, secret: str | None) -> int:
        assert self.webhook is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        return requests.post(
            self.webhook["url"], json=update, headers=headers, timeout=30
        ).status_code

    def calls_of(self, method: str, ok_only: bool = True) -> list[Call]:
        with self._lock:
            return [
                c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)
            ]

    def sent_to(self, chat_id: int) -> list[dict]:
        """sendMessage parameters that Telegram accepted for ``chat_id``, in order."""
        return [
            c.params for c in self.calls_of("sendMessage") if int(c.params["chat_id"]) == chat_id
        ]


async def _params(request: web.Request) -> dict[str, Any]:
    """python-telegram-bot posts form fields whose non-string values are JSON-encoded."""
    if request.content_type == "application/json":
        raw = await request.json()
    else:
        raw = dict(await request.post())
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str) and (value[:1] in ("{", "[") or value in ("true", "false")):
            try:
                value = json.loads(value)
            except ValueError:
                pass
        params[key] = value
    return params


# ---- updates as Telegram sends them ---------------------------------------------------------
def user(chat_id: int, language_code: str | None) -> dict:
    data = {"id": chat_id, "is_bot": False, "first_name": "Test"}
    if language_code:
        data["language_code"] = language_code
    return data


def message_update(fake: FakeTelegram, chat_id: int, language_code: str | None, **content) -> dict:
    text = content.get("text", "")
    message = {
        "message_id": next(fake._message_ids),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
        "from": user(chat_id, language_code),
        **content,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": fake.next_update_id(), "message": message}


def callback_update(
    fake: FakeTelegram, chat_id: int, language_code: str | None, data: str, message: dict
) -> dict:
    return {
        "update_id": fake.next_update_id(),
        "callback_query": {
            "id": f"cbq-{next(fake._callback_ids)}",
            "from": user(chat_id, language_code),
            "chat_instance": f"ci-{chat_id}",
            "data": data,
            "message": {
                "message_id": message.get("message_id", 1),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
                "from": BOT_USER,
                "text": message.get("text", ""),
            },
        },
    }
