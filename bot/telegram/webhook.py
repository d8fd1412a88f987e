"""Webhook mode: Telegram POSTs updates here, with the secret token given to setWebhook.

Served with aiohttp (already installed with Rasa) rather than python-telegram-bot's tornado
server, which answers 200 as soon as an update is queued: here the answer waits until the update
is handled, and a 500 makes Telegram deliver it again later, so nothing is lost while Telegram's
sending side is unreachable.

Refusals answer ``{"error": code}`` (``WebhookRefusal``): the caller is Telegram's server, not a
person, so there is no text to translate.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from enum import Enum

from aiohttp import web
from telegram import Update
from telegram.error import NetworkError

from bot.telegram.bridge import TelegramBridge
from bot.telegram.delivery import MAX_DELAY_S
from bot.telegram.polling import ALLOWED_UPDATES

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
MAX_BODY_BYTES = 1024 * 1024


class WebhookRefusal(Enum):
    """Why the webhook did not take an update: a stable code and the HTTP status."""

    FORBIDDEN = ("forbidden", 403)  # missing or wrong secret token
    NOT_AN_UPDATE = ("not_an_update", 400)  # the body is not a Telegram update
    NOT_HANDLED = ("not_handled", 500)  # handling failed: Telegram delivers it again later

    def __init__(self, code: str, status: int) -> None:
        self.code = code
        self.status = status

    def response(self) -> web.Response:
        return web.json_response({"error": self.code}, status=self.status)


def make_app(bridge: TelegramBridge) -> web.Application:
    secret = (bridge.config.webhook_secret or "").encode("utf-8")

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8")
        if not secret or not hmac.compare_digest(given, secret):
            logger.warning("webhook call refused: missing or wrong secret token")
            return WebhookRefusal.FORBIDDEN.response()
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, bridge.bot)
        except (ValueError, TypeError, KeyError):
            return WebhookRefusal.NOT_AN_UPDATE.response()
        if update is None:
            return WebhookRefusal.NOT_AN_UPDATE.response()
        if await bridge.process(update):
            return web.json_response({"ok": True})
        return WebhookRefusal.NOT_HANDLED.response()

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post(bridge.config.webhook_path, receive)
    app.router.add_get(bridge.config.webhook_path, health)
    return app


async def run_webhook(bridge: TelegramBridge, stop: asyncio.Event) -> None:
    config = bridge.config
    runner = web.AppRunner(make_app(bridge), access_log=None)  # access logs could carry chat ids
    await runner.setup()
    site = web.TCPSite(runner, config.webhook_listen, config.webhook_port)
    await site.start()
    logger.info("webhook listening on %s:%d", config.webhook_listen, config.webhook_port)
    delay = 1.0
    try:
        while not stop.is_set():
            try:
                await bridge.bot.set_webhook(
                    url=config.webhook_url,
                    secret_token=config.webhook_secret,
                    allowed_updates=ALLOWED_UPDATES,
                    drop_pending_updates=False,
                )
                logger.info("webhook registered with Telegram")
                break
            except NetworkError as error:
                logger.warning("setWebhook failed (%s); retrying", type(error).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_DELAY_S)
        await stop.wait()
    finally:
        await runner.cleanup()
