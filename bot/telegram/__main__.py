"""``python -m bot.telegram``: runs the bridge in TELEGRAM_MODE (polling by default)."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from telegram.error import NetworkError
from telegram.ext import Application

from bot.telegram.bridge import TelegramBridge
from bot.telegram.config import BridgeConfig, ConfigError
from bot.telegram.delivery import MAX_DELAY_S
from bot.telegram.polling import run_polling
from bot.telegram.rasa_client import RasaClient
from bot.telegram.webhook import run_webhook

logger = logging.getLogger("bot.telegram")


def build_application(config: BridgeConfig) -> Application:
    builder = Application.builder().token(config.token).updater(None)
    if config.base_url:
        builder = builder.base_url(config.base_url)
    return builder.build()


async def run(config: BridgeConfig) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    application = build_application(config)
    rasa = RasaClient(config.rasa_url, config.bridge_secret)
    bridge = TelegramBridge(config, application, rasa)
    delay = 1.0
    while not stop.is_set():
        try:
            await application.initialize()  # getMe: checks the token, learns the bot's name
            break
        except NetworkError as error:
            logger.warning("Telegram unreachable at start (%s); retrying", type(error).__name__)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_DELAY_S)
    try:
        if not stop.is_set():
            logger.info("bridge started in %s mode", config.mode)
            if config.mode == "webhook":
                await run_webhook(bridge, stop)
            else:
                await run_polling(bridge, stop)
    finally:
        await rasa.close()
        if application._initialized:
            await application.shutdown()
    logger.info("bridge stopped")


def main() -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL at INFO, and Bot API URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # No message text, address or number in the bridge's log lines.
    from bot.channels import log_privacy

    log_privacy.install()
    try:
        config = BridgeConfig.from_env()
    except ConfigError as error:
        print(f"bot.telegram: {error}", file=sys.stderr)
        return 2
    asyncio.run(run(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
