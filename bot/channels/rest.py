"""REST channel for local use and tests: refuses bad requests with a 400, never logs text.

A refusal's body is ``{"error": code, "message": text}``: a code of ``bot/channels/errors.py``
and its text in the person's language (``bot/channels/texts.py``).

Stock Rasa files a sender-less message under one shared "default" conversation, answers some
malformed bodies with a 500 and logs the user's text when something fails.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import log_privacy, rasa_process
from bot.channels.erasure import finish_erasure, is_marker, lock_store_of
from bot.channels.errors import (
    AssistantFailedError,
    AssistantTimeoutError,
    BodyTooLargeError,
    ChannelError,
    InvalidMessageError,
)
from bot.channels.inbound import Inbound, decode_body, parse_body, sender_digest
from bot.channels.limits import ChatLimiter, check_proxy_setting, client_address, notice
from bot.channels.session_ids import RESERVED_PREFIXES
from bot.channels.texts import error_body, reply_language

rasa_process.install()  # in Rasa's process: log filter, apology, answer check, memory release

logger = logging.getLogger(__name__)
# Larger bodies are refused before JSON parsing.
MAX_BODY_BYTES = 64 * 1024


def error_response(error: ChannelError, request: Request, body: Any = None) -> HTTPResponse:
    """The error's code and text, in the language of the body's metadata when it could be
    read, else of the request's ``Accept-Language``, else French."""
    language = reply_language(body, request.headers.get("accept-language"))
    return response.json(
        error_body(error, language), status=error.status, headers={"Content-Language": language}
    )


class HardenedRestInput(InputChannel):
    # A refused message: 429 for HTTP clients; the bridge answers 200 so Telegram shows the text.
    limited_status = 429

    @classmethod
    def name(cls) -> str:
        return "rest"

    def address_of(self, request: Request) -> str | None:
        """The client's address for the per-address limit (None: no such limit)."""
        return client_address(request.ip, request.headers.get("x-forwarded-for"))

    def refuse(self, request: Request) -> HTTPResponse | None:
        """A response that refuses the request before its body is read, or None to go on."""
        return None

    def check_sender(self, sender: str) -> None:
        """Other channels' conversations are not reachable from here (``session_ids``)."""
        if sender.startswith(RESERVED_PREFIXES):
            raise InvalidMessageError("sender_reserved", prefixes=", ".join(RESERVED_PREFIXES))

    def input_channel(self, inbound: Inbound) -> str:
        """The channel name recorded with the message (dossiers and the tracker show it)."""
        return self.name()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Sanic configured its loggers when Rasa created the app, after this module's import.
        log_privacy.install()
        check_proxy_setting()
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        limiter = ChatLimiter()

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refusal = self.refuse(request)
            if refusal is not None:
                return refusal
            if len(request.body or b"") > MAX_BODY_BYTES:
                return error_response(BodyTooLargeError(max_bytes=MAX_BODY_BYTES), request)
            body = None
            try:
                body = decode_body(request.body or b"")
                inbound = parse_body(body)
                self.check_sender(inbound.sender)
                channel = self.input_channel(inbound)
            except InvalidMessageError as error:
                return error_response(error, request, body)

            refused = limiter.check(inbound.sender, self.address_of(request))
            if refused is not None:
                texts = notice(refused, inbound.metadata)
                return response.json(
                    [{"recipient_id": inbound.sender, "text": text} for text in texts],
                    status=self.limited_status,
                    headers={"Retry-After": "60"},
                )
            collector = CollectingOutputChannel()
            message = UserMessage(
                inbound.text,
                collector,
                inbound.sender,
                input_channel=channel,
                metadata=inbound.metadata,
            )
            try:
                await on_new_message(message)
            except asyncio.CancelledError:
                logger.warning(
                    "rest: message handling timed out (sender %s)", sender_digest(inbound.sender)
                )
                return error_response(AssistantTimeoutError(), request, body)
            except Exception as error:  # noqa: BLE001 - reported without the user's text
                logger.error(
                    "rest: message handling failed (sender %s): %s",
                    sender_digest(inbound.sender),
                    type(error).__name__,
                )
                return error_response(AssistantFailedError(), request, body)
            replies = [m for m in collector.messages if not is_marker(m)]
            if len(replies) < len(collector.messages):
                await finish_erasure(inbound.sender, lock_store_of(request.app))
            return response.json(replies)

        return webhook
