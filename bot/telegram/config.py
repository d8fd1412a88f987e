"""The bridge's settings, read from the environment in one place (docs/telegram.md lists them)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

# Telegram accepts 1-256 characters among these for the webhook secret token.
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
TELEGRAM_MESSAGE_LIMIT = 4096


class ConfigError(ValueError):
    """A setting is missing or wrong; the message names the variable."""


@dataclass(frozen=True)
class BridgeConfig:
    token: str
    rasa_url: str
    bridge_secret: str
    mode: str = "polling"
    base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_path: str = "/telegram"
    poll_timeout_s: int = 30
    message_limit: int = TELEGRAM_MESSAGE_LIMIT
    rate_burst: int = 10
    rate_per_minute: float = 30.0
    delivery_retry_s: float = 300.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> BridgeConfig:
        def get(name: str, default: str = "") -> str:
            return env.get(name, default).strip() or default

        def number(name: str, default: float) -> float:
            raw = get(name)
            try:
                value = float(raw) if raw else default
            except ValueError as error:
                raise ConfigError(f"{name} must be a number") from error
            if value <= 0:
                raise ConfigError(f"{name} must be positive")
            return value

        token = get("TELEGRAM_BOT_TOKEN")
        if not token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is required (from @BotFather)")
        bridge_secret = get("BRIDGE_SHARED_SECRET")
        if not bridge_secret:
            raise ConfigError("BRIDGE_SHARED_SECRET is required (the same value as Rasa's)")
        mode = get("TELEGRAM_MODE", "polling").lower()
        if mode not in ("polling", "webhook"):
            raise ConfigError("TELEGRAM_MODE must be 'polling' or 'webhook'")
        rasa_port = get("RASA_PORT", "5005")
        settings: dict[str, Any] = {
            "token": token,
            "bridge_secret": bridge_secret,
            "mode": mode,
            "rasa_url": get(
                "RASA_BRIDGE_URL", f"http://127.0.0.1:{rasa_port}/webhooks/bridge/webhook"
            ),
            "base_url": get("TELEGRAM_BASE_URL") or None,
            "poll_timeout_s": int(number("TELEGRAM_POLL_TIMEOUT", 30)),
            "message_limit": int(number("TELEGRAM_MAX_MESSAGE_CHARS", TELEGRAM_MESSAGE_LIMIT)),
            "rate_burst": int(number("TELEGRAM_RATE_BURST", 10)),
            "rate_per_minute": number("TELEGRAM_RATE_PER_MINUTE", 30),
            "delivery_retry_s": number("TELEGRAM_DELIVERY_RETRY_SECONDS", 300),
        }
        if settings["message_limit"] > TELEGRAM_MESSAGE_LIMIT:
            raise ConfigError(
                f"TELEGRAM_MAX_MESSAGE_CHARS must be at most {TELEGRAM_MESSAGE_LIMIT}"
            )
        if mode == "webhook":
            url = get("TELEGRAM_WEBHOOK_URL")
            if not url.startswith(("https://", "http://")):
                raise ConfigError("TELEGRAM_WEBHOOK_URL is required in webhook mode (https://…)")
            secret = get("TELEGRAM_WEBHOOK_SECRET")
            if not _WEBHOOK_SECRET.match(secret):
                raise ConfigError(
                    "TELEGRAM_WEBHOOK_SECRET is required in webhook mode: "
                    "1-256 characters among A-Z, a-z, 0-9, _ and -"
                )
            settings.update(
                webhook_url=url,
                webhook_secret=secret,
                webhook_listen=get("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1"),
                webhook_port=int(number("TELEGRAM_WEBHOOK_PORT", 8443)),
                webhook_path=get("TELEGRAM_WEBHOOK_PATH", urlparse(url).path or "/telegram"),
            )
        return cls(**settings)
