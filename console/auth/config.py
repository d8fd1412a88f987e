"""The console's security settings, read from the environment in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from privacy.secret_files import secret_file

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SECRET_FILE = PROJECT_ROOT / "var" / "console-secret-key"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in ("1", "true", "yes", "on")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def secret_key() -> str:
    """CONSOLE_SECRET_KEY, else a key generated once into var/ (mode 0600) for local runs."""
    key = os.environ.get("CONSOLE_SECRET_KEY", "").strip()
    if key:
        return key
    return secret_file(SECRET_FILE, 48)


@dataclass(frozen=True)
class AuthSettings:
    secret_key: str
    # Secure cookies with the __Host- prefix; false only for plain-http local runs.
    cookie_secure: bool = True
    cookie_samesite: Literal["lax", "strict"] = "lax"
    idle_minutes: int = 30
    absolute_hours: int = 10
    login_window_minutes: int = 15
    max_failures_per_account: int = 5
    max_failures_per_address: int = 20

    @property
    def cookie_name(self) -> str:
        return "__Host-coopilote-session" if self.cookie_secure else "coopilote-session"

    @property
    def login_cookie_name(self) -> str:
        return "__Host-coopilote-login" if self.cookie_secure else "coopilote-login"

    @classmethod
    def from_environment(cls) -> AuthSettings:
        samesite = os.environ.get("CONSOLE_COOKIE_SAMESITE", "lax").strip().lower()
        if samesite not in ("lax", "strict"):
            raise ValueError("CONSOLE_COOKIE_SAMESITE: lax or strict")
        return cls(
            secret_key=secret_key(),
            cookie_secure=_flag("CONSOLE_COOKIE_SECURE", True),
            cookie_samesite="strict" if samesite == "strict" else "lax",
            idle_minutes=_int("CONSOLE_SESSION_IDLE_MINUTES", 30),
            absolute_hours=_int("CONSOLE_SESSION_MAX_HOURS", 10),
            login_window_minutes=_int("CONSOLE_LOGIN_WINDOW_MINUTES", 15),
            max_failures_per_account=_int("CONSOLE_LOGIN_MAX_PER_ACCOUNT", 5),
            max_failures_per_address=_int("CONSOLE_LOGIN_MAX_PER_ADDRESS", 20),
        )
