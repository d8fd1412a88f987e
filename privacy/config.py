"""Settings of the privacy package, read from the environment in one place.

Retention periods are whole days; each default can be overridden by its environment variable
(``PRIVACY_RETENTION_<CATEGORY>_DAYS``). A period of 0 or less is refused: a typo must never
destroy everything at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from handoff.config import mail_dir

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EXPORT_DIR = PROJECT_ROOT / "var" / "exports"
DEFAULT_TRACKER_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'tracker.db'}"
DEFAULT_PURGE_HOUR = 3
# The web app as the person reaches it, when COOPILOTE_WEB_URL is unset (scripts/run.py sets it).
DEFAULT_WEB_URL = "http://localhost:8000"

# category -> (environment variable, default days)
RETENTION_DEFAULTS: dict[str, tuple[str, int]] = {
    # Conversations that never led to a handoff, counted from the last event.
    "conversation": ("PRIVACY_RETENTION_CONVERSATION_DAYS", 30),
    # Dossiers, counted from closing (the last status change of a closed dossier).
    "dossier": ("PRIVACY_RETENTION_DOSSIER_DAYS", 365),
    # Notifications once sent, counted from sending.
    "outbox": ("PRIVACY_RETENTION_OUTBOX_DAYS", 30),
    # CSV exports written to disk by the console, by file age.
    "export_file": ("PRIVACY_RETENTION_EXPORT_DAYS", 7),
    # .eml files written by the notifier when no SMTP server is set, by file age.
    "mail_file": ("PRIVACY_RETENTION_MAIL_DAYS", 30),
    # The audit trail (codes and references only), counted from the event.
    "audit": ("PRIVACY_RETENTION_AUDIT_DAYS", 3 * 365),
    # The processes' rotated logs (var/log/*.log.N), by file age: they should hold no personal
    # data (filters in every process), and are not kept forever in case one slipped through.
    "log_file": ("PRIVACY_RETENTION_LOG_DAYS", 30),
    # Partner-matchmaking profiles (with their introductions), counted from the person's last
    # activity (creation, a change, a pause, an answer to an introduction).
    "match_profile": ("PRIVACY_RETENTION_MATCH_PROFILE_DAYS", 180),
}


def web_url() -> str:
    """Where people read the full privacy notice: ``COOPILOTE_WEB_URL``, the web app's address."""
    return os.environ.get("COOPILOTE_WEB_URL", "").strip() or DEFAULT_WEB_URL


class ConfigError(ValueError):
    """A privacy setting is malformed; the message names the variable, never a secret."""


def _days(variable: str, default: int) -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise ConfigError(f"{variable} must be a whole number of days") from error
    if value < 1:
        raise ConfigError(f"{variable} must be at least 1")
    return value


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each category of data is kept (see ``RETENTION_DEFAULTS`` for what each covers)."""

    conversation: timedelta
    dossier: timedelta
    outbox: timedelta
    export_file: timedelta
    mail_file: timedelta
    audit: timedelta
    log_file: timedelta
    match_profile: timedelta

    @classmethod
    def from_env(cls) -> RetentionPolicy:
        """The periods set in the environment, the defaults elsewhere.

        Raises:
            ConfigError: a period is not a whole number of days, or is below 1.
        """
        periods = {
            name: timedelta(days=_days(variable, default))
            for name, (variable, default) in RETENTION_DEFAULTS.items()
        }
        return cls(**periods)

    def describe(self) -> dict[str, int]:
        """Days per category, for the README, the console and the CLI."""
        return {name: getattr(self, name).days for name in RETENTION_DEFAULTS}


def retention_days() -> dict[str, int]:
    """Days per category for what people are told (the chat's notice, the privacy page).

    A malformed period stops the purge (``from_env`` raises); the texts then state the defaults.
    """
    try:
        return RetentionPolicy.from_env().describe()
    except ConfigError:
        return {name: days for name, (_, days) in RETENTION_DEFAULTS.items()}


def match_profile_reminder_days() -> int:
    """Days before a partner profile's deletion for inactivity when its person is reminded.

    Set by ``PRIVACY_MATCH_PROFILE_REMINDER_DAYS``, default 14.
    """
    return _days("PRIVACY_MATCH_PROFILE_REMINDER_DAYS", 14)


def tracker_store_url() -> str:
    """Rasa tracker store URL (``TRACKER_STORE_URL``), defaulting as scripts/run.py does."""
    url = os.environ.get("TRACKER_STORE_URL", "").strip() or DEFAULT_TRACKER_URL
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


def export_dir() -> Path:
    """Where the console writes CSV exports (``PRIVACY_EXPORT_DIR``), purged by file age."""
    configured = os.environ.get("PRIVACY_EXPORT_DIR", "").strip()
    return Path(configured) if configured else DEFAULT_EXPORT_DIR


def notification_mail_dir() -> Path:
    """Where the notifier writes .eml files without an SMTP server (``handoff.config``'s)."""
    return mail_dir()


def log_dir() -> Path:
    """The processes' logs (``COOPILOTE_LOG_DIR``, as scripts/run.py sets it)."""
    configured = os.environ.get("COOPILOTE_LOG_DIR", "").strip()
    return Path(configured) if configured else PROJECT_ROOT / "var" / "log"


def purge_hour() -> int:
    """Local hour (0-23) of the daily purge (``PRIVACY_PURGE_HOUR``)."""
    raw = os.environ.get("PRIVACY_PURGE_HOUR", "").strip()
    if not raw:
        return DEFAULT_PURGE_HOUR
    if not raw.isdigit() or not 0 <= int(raw) <= 23:
        raise ConfigError("PRIVACY_PURGE_HOUR must be an hour from 0 to 23")
    return int(raw)
