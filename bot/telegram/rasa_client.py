"""Sends a user's message to Rasa's bridge channel (bot/channels/bridge.py), returns the replies."""

from __future__ import annotations

import asyncio
import logging

import httpx

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Coopilote-Bridge-Secret"  # noqa: S105 - a header name
ATTEMPTS = 3


class AssistantUnavailableError(RuntimeError):
    """Rasa did not answer; the user is told so in the bridge's own words."""


class RasaClient:
    def __init__(self, url: str, secret: str, timeout_s: float = 60.0) -> None:
        self._url = url
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s, connect=5.0), headers={SECRET_HEADER: secret}
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def send(self, sender: str, message: str, metadata: dict) -> list[dict]:
        body = {"sender": sender, "message": message, "metadata": metadata}
        for attempt in range(1, ATTEMPTS + 1):
            try:
                reply = await self._client.post(self._url, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                # The message never reached Rasa, so another try cannot make a duplicate turn
                # (Rasa restarting). A read timeout is not retried: the turn may have happened.
                problem = type(error).__name__
                logger.warning("rasa unreachable (attempt %d/%d): %s", attempt, ATTEMPTS, problem)
                if attempt < ATTEMPTS:
                    await asyncio.sleep(attempt)
                continue
            except httpx.HTTPError as error:
                problem = type(error).__name__
            else:
                try:
                    replies = reply.json() if reply.status_code == 200 else None
                except ValueError:
                    replies = None
                if isinstance(replies, list):
                    return [r for r in replies if isinstance(r, dict)]
                problem = f"HTTP {reply.status_code}"
            break
        logger.error("rasa did not answer: %s", problem)
        raise AssistantUnavailableError(problem)
