"""Channel for the Telegram bridge process: the hardened REST channel behind a shared secret.

POST /webhooks/bridge/webhook with the header X-Coopilote-Bridge-Secret. The open REST channel is
for local use and tests; this one is kept in production, and refuses every request while
BRIDGE_SHARED_SECRET is unset.
"""

from __future__ import annotations

import hmac
import os
from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import rasa_process
from bot.channels.errors import BridgeSecretError, InvalidMessageError
from bot.channels.inbound import Inbound
from bot.channels.rest import HardenedRestInput, error_response
from bot.channels.session_ids import TELEGRAM_PREFIX

rasa_process.install()  # in Rasa's process: log filter, apology, answer check, memory release

SECRET_HEADER = "X-Coopilote-Bridge-Secret"  # noqa: S105 - a header name
SECRET_ENV = "BRIDGE_SHARED_SECRET"  # noqa: S105 - a variable name
# Channels the bridge may speak for; the name is recorded with each message (handoff dossiers).
BRIDGED_CHANNELS = ("telegram",)


class BridgeInput(HardenedRestInput):
    # The bridge relays its replies to Telegram: a refusal's text must reach the person.
    limited_status = 200

    def __init__(self, secret: str | None = None) -> None:
        configured = os.environ.get(SECRET_ENV, "") if secret is None else secret
        self._secret = configured.strip().encode("utf-8")

    @classmethod
    def name(cls) -> str:
        return "bridge"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        # The secret comes from the environment only: credentials files are in git.
        return cls()

    def check_sender(self, sender: str) -> None:
        # The bridge speaks for Telegram chats only: tg-<chat id>.
        if not sender.startswith(TELEGRAM_PREFIX):
            raise InvalidMessageError("sender_not_bridged", prefix=TELEGRAM_PREFIX)

    def address_of(self, request: Request) -> str | None:
        # Every Telegram user comes through the bridge's one address: per conversation only.
        return None

    def refuse(self, request: Request) -> HTTPResponse | None:
        given = (request.headers.get(SECRET_HEADER) or "").strip().encode("utf-8")
        if not self._secret or not hmac.compare_digest(given, self._secret):
            return error_response(BridgeSecretError(), request)
        return None

    def input_channel(self, inbound: Inbound) -> str:
        channel = inbound.metadata.get("channel")
        if channel not in BRIDGED_CHANNELS:
            raise InvalidMessageError("channel_not_bridged", channels=", ".join(BRIDGED_CHANNELS))
        return channel
