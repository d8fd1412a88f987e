"""Socket.io channel for the website widget: checks the Origin, validates events, logs no text.

Stock Rasa 3.6 accepts any Origin (``cors_allowed_origins=[]`` disables the check), trusts any
``session_id`` (knowing an id would let a visitor join someone else's conversation; here the
channel issues signed ids and refuses others, ``session_ids``) and crashes on malformed events.
A refused event gets ``error_message`` with ``{"error": code, "message": text}`` (``texts``).
"""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

import engineio
from engineio import exceptions as engineio_exceptions
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels import log_privacy, rasa_process
from bot.channels.erasure import finish_erasure, is_marker, lock_store_of
from bot.channels.errors import (
    AssistantFailedError,
    ChannelError,
    InvalidMessageError,
    SessionRequiredError,
)
from bot.channels.inbound import clean_metadata, clean_text, sender_digest
from bot.channels.limits import ChatLimiter, check_proxy_setting, client_address, notice
from bot.channels.session_ids import SessionIds
from bot.channels.texts import error_body, reply_language

rasa_process.install()  # in Rasa's process: log filter, apology, answer check, memory release

logger = logging.getLogger(__name__)
DEFAULT_ORIGINS = "http://localhost:8000,http://127.0.0.1:8000"


def allowed_origins(configured: Any) -> list[str]:
    """Origins from credentials.yml, else SOCKETIO_ALLOWED_ORIGINS (comma-separated)."""
    if isinstance(configured, str):
        configured = configured.split(",")
    if not configured:
        configured = os.environ.get("SOCKETIO_ALLOWED_ORIGINS", DEFAULT_ORIGINS).split(",")
    return [origin.strip().rstrip("/") for origin in configured if origin and origin.strip()]


class WidgetOutput(SocketIOOutput):
    """Rasa's socket.io output, keeping the erasure marker for the channel instead of sending it."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.erasure_done = False

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        if is_marker(json_message):
            self.erasure_done = True
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)


# What decoding or dispatching a malformed packet raises inside python-socketio (bad JSON, JSON
# nested too deeply, an event that is not a list, an unknown packet type...).
MALFORMED = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)


def _request_sid(args: tuple[Any, ...]) -> str | None:
    """The ``sid`` query parameter of the request Engine.IO is given (Sanic's request, or an
    ASGI scope)."""
    if not args:
        return None
    request = args[0]
    if isinstance(request, dict):  # ASGI
        query = parse_qs(request.get("query_string", b"").decode("latin-1"))
        return (query.get("sid") or [None])[0]
    query_args = getattr(request, "args", None)
    return query_args.get("sid") if query_args is not None else None


class StrictEngineIOServer(engineio.AsyncServer):
    """Engine.IO's server without two 500s found by fuzzing (scripts/fuzz.py):

    - a request for a session that was just closed: the stock server finds the id, then raises
      KeyError outside its error handling; the closed session is forgotten first, so the request
      gets the stock 400 "Invalid session";
    - a long-polling payload whose packet type is not a digit: the stock server logs a traceback
      for it (and answers 200); it is refused with 400 and the session closed, with one line;
    - a packet a client may not send (OPEN "0", PING "2", NOOP "6"): the stock server closes the
      session waiting for a poll to take the CLOSE packet, and the POST hung until the client gave
      up (109 of 2,832 fuzzed socket.io inputs); refused with 400 the same way.
    """

    async def handle_request(self, *args: Any, **kwargs: Any) -> Any:
        sid = _request_sid(args)
        socket = self.sockets.get(sid) if sid else None
        if socket is not None and socket.closed:
            del self.sockets[sid]
        return await super().handle_request(*args, **kwargs)

    def _get_socket(self, sid: str) -> Any:
        socket = super()._get_socket(sid)
        if not getattr(socket, "_coopilote_strict", False):
            original = socket.handle_post_request

            async def handle_post_request(environ: Any) -> Any:
                try:
                    return await original(environ)
                except (*MALFORMED, engineio_exceptions.UnknownPacketError) as error:
                    logger.warning("socketio: malformed payload refused (%s)", type(error).__name__)
                    # Closed without waiting for a poll to take the CLOSE packet: the server's
                    # own close (after the error below) would otherwise wait for one.
                    await socket.close(wait=False)
                    raise engineio_exceptions.EngineIOError() from None

            socket.handle_post_request = handle_post_request
            socket._coopilote_strict = True
        return socket


class StrictAsyncServer(AsyncServer):
    """python-socketio's server, dropping a malformed packet with one log line: the stock
    server lets the error reach Engine.IO, which logs a traceback for every such packet."""

    def _engineio_server_class(self) -> type:
        return StrictEngineIOServer

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        try:
            await super()._handle_eio_message(eio_sid, data)
        except MALFORMED as error:
            self._binary_packet.pop(eio_sid, None)
            logger.warning("socketio: malformed packet dropped (%s)", type(error).__name__)

    async def _handle_event(self, eio_sid: str, namespace: Any, id: Any, data: Any) -> None:
        # python-socketio reads data[0] in a background task, where a failure is a traceback.
        if not isinstance(data, list) or not data or not isinstance(data[0], str):
            raise ValueError("an event is a list that starts with its name")
        await super()._handle_event(eio_sid, namespace, id, data)


class HardenedSocketIOInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            session_persistence=credentials.get("session_persistence", True),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            origins=allowed_origins(credentials.get("allowed_origins")),
        )

    def __init__(
        self,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        session_persistence: bool = True,
        socketio_path: str = "/socket.io",
        origins: list[str] | None = None,
    ) -> None:
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.session_persistence = session_persistence
        self.socketio_path = socketio_path
        self.origins = origins if origins is not None else allowed_origins(None)
        self.sio: AsyncServer | None = None
        self.app: Any = None  # the Sanic app, once it starts

    def get_output_channel(self) -> SocketIOOutput | None:
        return WidgetOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Sanic configured its loggers when Rasa created the app, after this module's import.
        log_privacy.install()
        check_proxy_setting()
        sio = StrictAsyncServer(async_mode="sanic", cors_allowed_origins=self.origins, logger=False)
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)

        @webhook.listener("before_server_start")
        async def keep_app(app: Any, _loop: Any = None) -> None:
            self.app = app  # its agent's lock store guards the end of an erasure

        self.sio = sio
        limiter = ChatLimiter()

        def address_of(sid: str) -> str | None:
            request = (sio.get_environ(sid) or {}).get("sanic.request")
            if request is None:
                return None
            return client_address(request.ip, request.headers.get("x-forwarded-for"))

        async def refuse(sid: str, error: ChannelError, data: Any) -> None:
            """The error's code and text, in the language of the event's metadata, else of the
            connection's ``Accept-Language``, else French."""
            header = (sio.get_environ(sid) or {}).get("HTTP_ACCEPT_LANGUAGE")
            body = error_body(error, reply_language(data, header))
            await sio.emit("error_message", body, room=sid)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        session_ids = SessionIds.from_environment()

        @sio.on("session_request")
        async def session_request(sid: str, data: Any = None, *_extra: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            # Only an id this channel issued, still in its period; anything else (a chosen id,
            # another channel's, an expired one) starts a new conversation with a new id.
            session_id = requested if session_ids.valid(requested) else session_ids.issue()
            await sio.save_session(sid, {"session_id": session_id})
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id)
                # python-socketio ≥ 5.10 made enter_room a coroutine; stock Rasa forgets to
                # await it and replies are lost. Await it whichever version is installed.
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: str, data: Any = None, *_extra: Any) -> None:
            session = await sio.get_session(sid)
            sender_id = (session or {}).get("session_id") if self.session_persistence else sid
            if not sender_id:
                await refuse(sid, SessionRequiredError(), data)
                return
            try:
                if not isinstance(data, dict):
                    raise InvalidMessageError("event_not_an_object")
                text = clean_text(data.get("message"))
                metadata = clean_metadata(data.get("metadata"))
            except InvalidMessageError as error:
                await refuse(sid, error, data)
                return
            refused = limiter.check(sender_id, address_of(sid))
            if refused is not None:
                for text in notice(refused, metadata):
                    await sio.emit(self.bot_message_evt, {"text": text}, room=sid)
                return
            output = WidgetOutput(sio, self.bot_message_evt)
            message = UserMessage(
                text, output, sender_id, input_channel=self.name(), metadata=metadata
            )
            try:
                await on_new_message(message)
                if output.erasure_done:
                    await finish_erasure(sender_id, lock_store_of(self.app))
                    # The widget forgets its copy and starts a new conversation.
                    await sio.emit("conversation_erased", {}, room=sid)
            except Exception as error:  # noqa: BLE001 - reported without the user's text
                logger.error(
                    "socketio: message handling failed (sender %s): %s",
                    sender_digest(sender_id),
                    type(error).__name__,
                )
                await refuse(sid, AssistantFailedError(), data)

        return webhook
