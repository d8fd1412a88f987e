"""The web app's configuration, read from the environment in one place."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass


def trusted_proxies(raw: str) -> tuple[str, ...]:
    """``CONSOLE_FORWARDED_ALLOW_IPS``: comma-separated addresses or networks of the reverse
    proxies whose ``X-Forwarded-For`` is believed. ``*`` is refused: anyone could then choose
    their address and escape the per-address login limit.

    Raises:
        ValueError: a value is neither an IP address nor a network.
    """
    proxies = []
    for item in raw.split(","):
        value = item.strip()
        if not value:
            continue
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ValueError(
                f"CONSOLE_FORWARDED_ALLOW_IPS: {value!r} is not an IP address or network"
            ) from None
        proxies.append(value)
    return tuple(proxies)


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    # Where browsers reach Rasa's socket.io channel. Empty: the page's own host name on RASA_PORT
    # (http://localhost:5005 when the page is http://localhost:8000).
    rasa_public_url: str = ""
    rasa_port: int = 5005
    # Reverse proxies trusted to say who the client is; none by default.
    forwarded_allow_ips: tuple[str, ...] = ()

    @classmethod
    def from_environment(cls) -> Settings:
        env = os.environ
        return cls(
            host=env.get("CONSOLE_HOST", "127.0.0.1"),
            port=int(env.get("CONSOLE_PORT", "8000")),
            rasa_public_url=env.get("COOPILOTE_RASA_URL", "").strip().rstrip("/"),
            rasa_port=int(env.get("RASA_PORT", "5005")),
            forwarded_allow_ips=trusted_proxies(env.get("CONSOLE_FORWARDED_ALLOW_IPS", "")),
        )
