"""The partner profile's inactivity reminder, pushed on Telegram (issue 18).

On the web the chat tells the person at their next visit (bot/actions/partners.py); on Telegram
the bot may write first, so people whose profile was made there (conversation ``tg-<chat id>``)
are told as soon as the reminder is due: ``privacy.retention.match_profile_reminders()``, a
message in the profile's language with the "keep" and "delete" buttons, then
``matchmaking.lifecycle.mark_reminded`` for the messages Telegram accepted. Nothing personal is
logged (a count only).

``python -m bot.telegram.match_reminders`` runs it every day at ``HANDOFF_REMINDER_HOUR`` (the
follow-up reminders' hour, 7 by default) with the privacy scheduler's loop; ``--once`` sends
what is due and exits. It needs ``TELEGRAM_BOT_TOKEN`` (and ``TELEGRAM_BASE_URL`` if set).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.telegram.rendering import to_html

log = logging.getLogger("bot.telegram.match_reminders")
_CHAT = re.compile(r"^tg-(-?\d{1,20})$")


def chat_id_of(sender_id: str) -> int | None:
    """The Telegram chat of a conversation id made by the bridge ("tg-<chat id>")."""
    match = _CHAT.match(sender_id)
    return int(match.group(1)) if match else None


def reminder_message(reminder: Any) -> tuple[str, InlineKeyboardMarkup]:
    """The reminder's text (HTML) and buttons, in the profile's language."""
    from bot.actions import partners

    lang = reminder.language if reminder.language in ("fr", "en") else "fr"
    text = partners.reminder_text(reminder, lang)
    rows = [
        [InlineKeyboardButton(b["title"], callback_data=b["payload"])]
        for b in partners.reminder_buttons(lang)
    ]
    return to_html(text), InlineKeyboardMarkup(rows)


async def send_due(bot: Bot, reminders: list[Any] | None = None) -> list[str]:
    """Send the due reminders of Telegram profiles; the references reminded (and marked)."""
    from bot.actions.partners import mark_sent
    from privacy.retention import match_profile_reminders

    due = reminders if reminders is not None else await asyncio.to_thread(match_profile_reminders)
    sent: list[str] = []
    for reminder in due:
        chat_id = chat_id_of(reminder.sender_id)
        if chat_id is None:
            continue  # a web conversation: told at the next visit
        html, keyboard = reminder_message(reminder)
        try:
            await bot.send_message(chat_id, html, parse_mode=ParseMode.HTML, reply_markup=keyboard)
        except TelegramError as error:  # blocked the bot, chat gone: told at the next visit
            log.warning("match reminder not delivered: %s", type(error).__name__)
            continue
        sent.append(reminder.reference)
    if sent:
        await asyncio.to_thread(mark_sent, sent)
    log.info("match profile reminders sent on Telegram: %d", len(sent))
    return sent


async def send_once(token: str, base_url: str | None = None) -> list[str]:
    bot = Bot(token, base_url=base_url) if base_url else Bot(token)
    async with bot:
        return await send_due(bot)


def main(argv: list[str] | None = None) -> int:
    from bot.telegram.config import BridgeConfig, ConfigError

    parser = argparse.ArgumentParser(prog="python -m bot.telegram.match_reminders")
    parser.add_argument("--once", action="store_true", help="send what is due and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its URLs hold the bot token
    try:
        config = BridgeConfig.from_env()
    except ConfigError as error:
        print(f"bot.telegram.match_reminders: {error}", file=sys.stderr)
        return 2

    def run() -> list[str]:
        return asyncio.run(send_once(config.token, config.base_url))

    if args.once:
        print(len(run()))
        return 0
    from handoff.reminders import reminder_hour
    from privacy.scheduler import run_forever

    run_forever(hour=reminder_hour(), action=run, name="match profile reminders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
