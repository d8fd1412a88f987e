"""Telegram bridge: a separate process that relays Telegram chats to Rasa's bridge channel.

Run with ``python -m bot.telegram`` (scripts/run.py does it when TELEGRAM_BOT_TOKEN is set);
docs/telegram.md lists the two modes and their environment variables.
"""
