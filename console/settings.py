"""The web app's configuration, read from the environment in one place."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import urlsplit


def origin_of(url: str, variable: str) -> str:
    """``scheme://host[:port]`` of a configured http(s) URL.

    Raises:
        ValueError: not an http(s) URL with a host.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{variable}: an http:// or https:// URL with a host name")
    if any(c in parts.netloc for c in " ;,'\"\\"):
        raise ValueError(f"{variable}: an http:// or https:// URL with a host name")
    return f"{parts.scheme}://{parts.netloc}"


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
    # Where browsers reach Rasa's socket.io channel (COOPILOTE_RASA_URL). Empty: the host of the
    # web app's public address (COOPILOTE_WEB_URL) on RASA_PORT, never the request's Host header.
    rasa_public_url: str = ""
    rasa_port: int = 5005
    web_url: str = ""
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
            web_url=env.get("COOPILOTE_WEB_URL", "").strip(),
            forwarded_allow_ips=trusted_proxies(env.get("CONSOLE_FORWARDED_ALLOW_IPS", "")),
        )

    @property
    def rasa_url(self) -> str:
        """The socket.io address browsers are given (the demo page, the CSP): configured values
        only, so that a forged Host header cannot point the page or its policy elsewhere."""
        if self.rasa_public_url:
            origin = origin_of(self.rasa_public_url, "COOPILOTE_RASA_URL")
            path = urlsplit(self.rasa_public_url).path.rstrip("/")
            if any(c in path for c in " ;,'\"\\"):
                raise ValueError("COOPILOTE_RASA_URL: an http:// or https:// URL with a host name")
            return origin + path
        web = origin_of(self.web_url or f"http://localhost:{self.port}", "COOPILOTE_WEB_URL")
        parts = urlsplit(web)
        host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else parts.hostname
        return f"{parts.scheme}://{host}:{self.rasa_port}"
