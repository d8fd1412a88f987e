"""The bridge's handlers: Telegram update → Rasa turn → Telegram messages.

Every answer comes from Rasa except the few sentences in texts/. Updates are handled through
python-telegram-bot's Application (handlers, Bot) but fetched by polling.py or webhook.py, which
confirm an update to Telegram only once ``TelegramBridge.process`` says it was handled.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels.inbound import sender_digest
from bot.telegram.config import BridgeConfig
from bot.telegram.delivery import DeliveryFailedError, with_retry
from bot.telegram.rasa_client import AssistantUnavailableError, RasaClient
from bot.telegram.rendering import split_message, to_html
from bot.telegram.state import Chats, ChatState, RecentUpdates
from bot.telegram.texts import LANGUAGES, text

logger = logging.getLogger(__name__)
TYPING_EVERY_S = 4.0  # Telegram shows "typing…" for 5 seconds
ANSWER_CALLBACK_WITHIN_S = 10.0
MAX_PENDING = 1_000
NOTICE_EVERY_S = 60.0
_SWITCH = re.compile(r'^/switch_language\{"language": ?"(fr|en)"\}$')
# Bridge commands → the message sent to Rasa (None: handled by the bridge itself).
COMMANDS: dict[tuple[str, ...], str] = {
    ("aide", "help"): "/help",
    ("conseiller", "advisor"): "/request_human",
    ("recommencer", "restart"): "/start_over",
    # Erasure on request (Law 25): the assistant asks for a confirmation first.
    ("oubli", "forget"): "/delete_my_data",
}


@dataclass
class Outgoing:
    html: str
    keyboard: InlineKeyboardMarkup | None = None


def supported_language(code: str | None) -> str | None:
    """Telegram's language_code ("fr", "fr-CA", "en-US") → "fr"/"en", else None."""
    base = (code or "").lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else None


class TelegramBridge:
    def __init__(self, config: BridgeConfig, application: Application, rasa: RasaClient) -> None:
        self.config = config
        self.application = application
        self.bot = application.bot
        self.rasa = rasa
        self.recent = RecentUpdates()
        self.chats = Chats(config.rate_burst, config.rate_per_minute)
        # Replies not yet delivered, by update id: a retry delivers them without a second Rasa turn.
        self._pending: OrderedDict[int, list[Outgoing]] = OrderedDict()
        self._failed: set[int] = set()
        self._install()

    # ---- entry point for polling.py and webhook.py ----------------------------------------
    async def process(self, update: Update) -> bool:
        """Handles ``update`` once; False when it must be delivered again (Telegram unreachable)."""
        if not self.recent.begin(update.update_id):
            logger.info("update %d already handled: skipped", update.update_id)
            return True
        self._failed.discard(update.update_id)
        await self.application.process_update(update)
        handled = update.update_id not in self._failed
        self.recent.finish(update.update_id, handled)
        return handled

    def _install(self) -> None:
        app = self.application
        app.add_handler(TypeHandler(Update, self._gate), group=-1)
        app.add_handler(CommandHandler("start", self._on_start))
        app.add_handler(CommandHandler(("langue", "language"), self._on_language))
        for names, payload in COMMANDS.items():
            app.add_handler(CommandHandler(names, self._forwarding(payload)))
        app.add_handler(CallbackQueryHandler(self._on_button))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self._on_text))
        app.add_handler(MessageHandler(filters.COMMAND, self._forwarding("/help")))
        app.add_handler(MessageHandler(filters.ALL, self._on_not_text))
        app.add_error_handler(self._on_error)

    # ---- handlers ---------------------------------------------------------------------------
    async def _gate(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Private chats only (a group would share one conversation), and no floods."""
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            raise ApplicationHandlerStop
        if update.update_id in self._pending:
            return  # a retry of an update already let through, its replies waiting
        state = self.chats.get(chat.id)
        if state.bucket.take():
            return
        logger.info("chat %s rate-limited (update %d)", self._who(update), update.update_id)
        if update.callback_query:
            await self._acknowledge(update)
        # One notice a minute at most: answering every message of a flood would be a flood too.
        now = time.monotonic()
        if state.told_to_slow_down_at is None or now - state.told_to_slow_down_at > NOTICE_EVERY_S:
            state.told_to_slow_down_at = now
            await self._notice(update, "rate_limited")
        raise ApplicationHandlerStop

    async def _on_start(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if self._language(update) is None:
            await self._ask_language(update)
        else:
            await self._converse(update, "/greet")

    async def _on_language(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        await self._ask_language(update)

    def _forwarding(
        self, payload: str
    ) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
        async def forward(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
            await self._converse(update, payload)

        return forward

    async def _on_text(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await self._converse(update, update.message.text)

    async def _on_not_text(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        logger.info("update %d: not text, told so", update.update_id)
        await self._notice(update, "text_only")

    async def _on_button(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and update.effective_chat is not None
        await self._acknowledge(update)
        state = self.chats.get(update.effective_chat.id)
        payload = state.buttons.payload(query.data or "")
        if payload is None:
            await self._notice(update, "button_expired")
            return
        switch = _SWITCH.match(payload)
        if switch:
            state.language = switch.group(1)
        await self._converse(update, payload)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        if not isinstance(update, Update):
            logger.error("error outside an update: %s", type(error).__name__)
            return
        if isinstance(error, DeliveryFailedError | NetworkError | RetryAfter):
            # Only our own message or a type name: an HTTP error's text could hold the API URL.
            problem = str(error) if isinstance(error, DeliveryFailedError) else type(error).__name__
            logger.warning("update %d not delivered yet: %s", update.update_id, problem)
            self._failed.add(update.update_id)
            raise ApplicationHandlerStop  # a flood notice that failed must not let the message on
        # A bug would fail again on every delivery: count the update as handled instead of
        # blocking the chat (and, when polling, every chat) behind it.
        logger.error(
            "update %d dropped after an unexpected %s", update.update_id, type(error).__name__
        )
        self._pending.pop(update.update_id, None)
        raise ApplicationHandlerStop

    # ---- conversation ---------------------------------------------------------------------
    async def _converse(self, update: Update, message: str) -> None:
        chat_id = self._chat_id(update)
        await self._respond(update, lambda: self._ask_rasa(update, chat_id, message))

    async def _ask_rasa(self, update: Update, chat_id: int, message: str) -> list[Outgoing]:
        user = update.effective_user
        metadata = {"channel": "telegram"}
        if user is not None and user.language_code:
            metadata["language_code"] = user.language_code
        typing = asyncio.create_task(self._keep_typing(chat_id))
        try:
            replies = await self.rasa.send(f"tg-{chat_id}", message, metadata)
        except AssistantUnavailableError:
            return [Outgoing(to_html(text("assistant_unreachable", self._language(update))))]
        finally:
            typing.cancel()
        state = self.chats.get(chat_id)
        return [item for reply in replies for item in self._render(state, reply)]

    def _render(self, state: ChatState, reply: dict) -> list[Outgoing]:
        body = "\n\n".join(
            str(reply[key]) for key in ("text", "image") if isinstance(reply.get(key), str)
        )
        chunks = split_message(body, self.config.message_limit)
        if not chunks:
            return []
        rows = [
            [InlineKeyboardButton(str(b["title"]), callback_data=state.buttons.remember(payload))]
            for b in reply.get("buttons") or []
            if isinstance(b, dict)
            and b.get("title")
            and isinstance(payload := b.get("payload"), str)
        ]
        items = [Outgoing(chunk) for chunk in chunks]
        if rows:
            items[-1].keyboard = InlineKeyboardMarkup(rows)
        return items

    async def _ask_language(self, update: Update) -> None:
        state = self.chats.get(self._chat_id(update))
        rows = [
            [
                InlineKeyboardButton(
                    text("language_button", code),
                    callback_data=state.buttons.remember(
                        f'/switch_language{{"language": "{code}"}}'
                    ),
                )
            ]
            for code in LANGUAGES
        ]
        question = " / ".join(text("choose_language", code) for code in LANGUAGES)
        await self._respond(
            update, lambda: _ready([Outgoing(to_html(question), InlineKeyboardMarkup(rows))])
        )

    async def _notice(self, update: Update, key: str) -> None:
        html_text = to_html(text(key, self._language(update)))
        await self._respond(update, lambda: _ready([Outgoing(html_text)]))

    # ---- delivery -------------------------------------------------------------------------
    async def _respond(
        self, update: Update, produce: Callable[[], Awaitable[list[Outgoing]]]
    ) -> None:
        """Delivers what ``produce()`` returns, producing it once even if delivery is retried."""
        outgoing = self._pending.get(update.update_id)
        if outgoing is None:
            outgoing = await produce()
            self._pending[update.update_id] = outgoing
            while len(self._pending) > MAX_PENDING:
                self._pending.popitem(last=False)
        chat_id = self._chat_id(update)
        while outgoing:
            item = outgoing[0]
            await with_retry(
                functools.partial(
                    self.bot.send_message,
                    chat_id,
                    item.html,
                    parse_mode=ParseMode.HTML,
                    reply_markup=item.keyboard,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                ),
                "sendMessage",
                self.config.delivery_retry_s,
            )
            outgoing.pop(0)
        self._pending.pop(update.update_id, None)

    async def _acknowledge(self, update: Update) -> None:
        query = update.callback_query
        if query is None:
            return
        # Best effort: a callback query expires after a while, and the reply matters more.
        with contextlib.suppress(DeliveryFailedError):
            await with_retry(query.answer, "answerCallbackQuery", ANSWER_CALLBACK_WITHIN_S)

    async def _keep_typing(self, chat_id: int) -> None:
        while True:
            with contextlib.suppress(TelegramError):
                await self.bot.send_chat_action(chat_id, ChatAction.TYPING)
            await asyncio.sleep(TYPING_EVERY_S)

    # ---- helpers --------------------------------------------------------------------------
    def _language(self, update: Update) -> str | None:
        chosen = self.chats.get(self._chat_id(update)).language
        user = update.effective_user
        return chosen or supported_language(user.language_code if user else None)

    @staticmethod
    def _chat_id(update: Update) -> int:
        assert update.effective_chat is not None
        return update.effective_chat.id

    @staticmethod
    def _who(update: Update) -> str:
        chat = update.effective_chat
        return sender_digest(f"tg-{chat.id}") if chat else "-"


async def _ready(items: list[Outgoing]) -> list[Outgoing]:
    return items
