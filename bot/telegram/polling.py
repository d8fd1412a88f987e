"""Long polling that confirms an update to Telegram only after it was handled.

python-telegram-bot's Updater moves its offset past a batch as soon as the updates are queued
(telegram/ext/_updater.py: ``_last_update_id = updates[-1].update_id + 1`` right after
``update_queue.put``), so an update whose reply could not be sent would be lost. Here the offset
of the next getUpdates call — the only thing that confirms updates — moves past an update only
when ``TelegramBridge.process`` returned True for it and for every update before it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TypeVar

from telegram import Update
from telegram.error import Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter

from bot.telegram.bridge import TelegramBridge
from bot.telegram.delivery import MAX_DELAY_S, retry_after_seconds

logger = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]


async def handle_batch(bridge: TelegramBridge, updates: list[Update]) -> int | None:
    """Handles a batch (chats in parallel, each chat in order); returns the next offset.

    That is the id of the first update not handled, or the last id + 1. Updates after a failed
    one in the same chat wait, so that a conversation never goes out of order.
    """
    by_chat: dict[object, list[Update]] = {}
    for update in updates:
        chat = update.effective_chat
        by_chat.setdefault(chat.id if chat else ("update", update.update_id), []).append(update)
    handled: dict[int, bool] = {}

    async def run_chat(chat_updates: list[Update]) -> None:
        for update in chat_updates:
            handled[update.update_id] = await bridge.process(update)
            if not handled[update.update_id]:
                break

    await asyncio.gather(*(run_chat(items) for items in by_chat.values()))
    ordered = sorted(updates, key=lambda u: u.update_id)
    for update in ordered:
        if not handled.get(update.update_id, False):
            return update.update_id
    return ordered[-1].update_id + 1 if ordered else None


_T = TypeVar("_T")


async def _until_stopped(task: asyncio.Task[_T], stop: asyncio.Event) -> _T | None:
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if task not in done:
        task.cancel()
        return None
    return task.result()


async def run_polling(bridge: TelegramBridge, stop: asyncio.Event) -> None:
    bot = bridge.bot
    timeout = bridge.config.poll_timeout_s
    offset: int | None = None  # None: Telegram gives every unconfirmed update
    asked: int | None = None  # the offset of the last successful getUpdates (what Telegram knows)
    delay = 1.0
    # getUpdates refuses to work while a webhook is set.
    while not stop.is_set():
        try:
            await bot.delete_webhook(drop_pending_updates=False)
            break
        except NetworkError as error:
            logger.warning("deleteWebhook failed (%s); retrying", type(error).__name__)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_DELAY_S)
    logger.info("polling Telegram for updates")
    while not stop.is_set():
        fetch = asyncio.create_task(
            bot.get_updates(offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES)
        )
        try:
            updates = await _until_stopped(fetch, stop)
        except (InvalidToken, Forbidden):
            raise
        except RetryAfter as error:
            await asyncio.sleep(retry_after_seconds(error))
            continue
        except (Conflict, NetworkError) as error:
            # Conflict: another bridge polls with this token, or a webhook was set meanwhile.
            logger.warning(
                "getUpdates failed (%s); retrying in %.0f s", type(error).__name__, delay
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_DELAY_S)
            continue
        if updates is None:
            break
        asked = offset
        if not updates:
            delay = 1.0
            continue
        offset = await handle_batch(bridge, list(updates))
        if offset is not None and offset <= updates[-1].update_id:
            logger.info("update %d not handled yet: it will be fetched again", offset)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_DELAY_S)
        else:
            delay = 1.0
    if offset is not None and offset != asked:
        # Confirm what was handled since the last call, or a restart would handle it again.
        try:
            await bot.get_updates(
                offset=offset, timeout=0, limit=1, allowed_updates=ALLOWED_UPDATES
            )
        except Exception as error:  # noqa: BLE001 - best effort at shutdown
            logger.warning("could not confirm the last updates: %s", type(error).__name__)
