"""The web app's configuration, read from the environment in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    # Where browsers reach Rasa's socket.io channel. Empty: the page's own host name on RASA_PORT
    # (http://localhost:5005 when the page is http://localhost:8000).
    rasa_public_url: str = ""
    rasa_port: int = 5005

    @classmethod
    def from_environment(cls) -> Settings:
        env = os.environ
        return cls(
            host=env.get("CONSOLE_HOST", "127.0.0.1"),
            port=int(env.get("CONSOLE_PORT", "8000")),
            rasa_public_url=env.get("COOPILOTE_RASA_URL", "").strip().rstrip("/"),
            rasa_port=int(env.get("RASA_PORT", "5005")),
        )
