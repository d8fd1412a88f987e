"""Calls to the Bot API that survive Telegram being unreachable for a while."""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

logger = logging.getLogger(__name__)
T = TypeVar("T")
FIRST_DELAY_S = 0.5
MAX_DELAY_S = 15.0


class DeliveryFailedError(RuntimeError):
    """Telegram stayed unreachable: the update is left unconfirmed and handled again later."""


def retry_after_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def with_retry(call: Callable[[], Awaitable[T]], what: str, within_s: float) -> T | None:
    """``call()``, retried on network errors and flood waits for up to ``within_s`` seconds.

    Returns None when Telegram refuses for good (the user blocked the bot, the chat is gone):
    retrying cannot help, and the update counts as handled.
    """
    deadline = time.monotonic() + within_s
    delay = FIRST_DELAY_S
    while True:
        try:
            return await call()
        except (BadRequest, Forbidden) as error:  # BadRequest is a NetworkError: caught first
            logger.warning("telegram refused %s: %s", what, type(error).__name__)
            return None
        except RetryAfter as error:
            wait = retry_after_seconds(error)
            problem = "flood wait"
        except NetworkError as error:
            wait = delay
            delay = min(delay * 2, MAX_DELAY_S)
            problem = type(error).__name__
        if time.monotonic() + wait > deadline:
            raise DeliveryFailedError(f"{what}: {problem}")
        logger.info("telegram unreachable for %s (%s); retrying in %.1f s", what, problem, wait)
        await asyncio.sleep(wait)
