"""Settings of the handoff package, read from the environment in one place."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MAIL_DIR = PROJECT_ROOT / "var" / "mail"
DEFAULT_CONSOLE_BASE_URL = "http://localhost:8000"
DEFAULT_SHARED_INTAKE = "intake@localhost"
SMTP_CONNECT_TIMEOUT_S = 10.0


DEFAULT_CONTACT_DAYS = "3"


def contact_days() -> str:
    """HANDOFF_CONTACT_DAYS: the business days announced to the person for a first contact."""
    return os.environ.get("HANDOFF_CONTACT_DAYS", "").strip() or DEFAULT_CONTACT_DAYS


def console_base_url() -> str:
    """The console's address for links in emails (``CONSOLE_BASE_URL``), without a final slash."""
    return (os.environ.get("CONSOLE_BASE_URL") or DEFAULT_CONSOLE_BASE_URL).rstrip("/")


def dossier_link(reference: str) -> str:
    """The console page of the dossier ``reference``."""
    return f"{console_base_url()}/dossiers/{reference}"


def shared_intake() -> str:
    """The address of the shared queue (``HANDOFF_SHARED_INTAKE``)."""
    return os.environ.get("HANDOFF_SHARED_INTAKE", "").strip() or DEFAULT_SHARED_INTAKE


def intake_env_name(organisation_key: str) -> str:
    """``cdrq-montreal-laval`` → ``HANDOFF_INTAKE_CDRQ_MONTREAL_LAVAL`` (no dash in env names)."""
    return "HANDOFF_INTAKE_" + re.sub(r"[^A-Z0-9]+", "_", organisation_key.upper()).strip("_")


def intake_from_env(organisation_key: str) -> str | None:
    """The intake address set for this organisation in the environment, if any."""
    return os.environ.get(intake_env_name(organisation_key), "").strip() or None


def mail_sender() -> str:
    """The From address of outgoing emails (``SMTP_FROM``)."""
    return os.environ.get("SMTP_FROM", "").strip() or "coopilote@localhost"


def mail_dir() -> Path:
    """Where emails are written as .eml files when no SMTP server is set (``HANDOFF_MAIL_DIR``)."""
    configured = os.environ.get("HANDOFF_MAIL_DIR", "").strip()
    return Path(configured) if configured else DEFAULT_MAIL_DIR


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the SMTP server, from the ``SMTP_*`` variables (see ``smtp_settings``)."""

    host: str
    port: int
    user: str | None
    password: str | None
    starttls: bool
    sender: str
    timeout: float = SMTP_CONNECT_TIMEOUT_S


def smtp_settings() -> SmtpSettings | None:
    """None when ``SMTP_HOST`` is unset: the notifier then writes .eml files instead."""
    host = os.environ.get("SMTP_HOST", "").strip()
    if not host:
        return None
    return SmtpSettings(
        host=host,
        port=int(os.environ.get("SMTP_PORT", "") or 25),
        user=os.environ.get("SMTP_USER") or None,
        password=os.environ.get("SMTP_PASSWORD") or None,
        starttls=os.environ.get("SMTP_STARTTLS", "").strip().lower() in {"1", "true", "yes", "on"},
        sender=mail_sender(),
    )


DEFAULT_MAX_DOSSIERS_PER_DAY = 3


def max_dossiers_per_day() -> int:
    """``HANDOFF_MAX_PER_DAY``: dossiers one person may file through the chat in 24 hours."""
    raw = os.environ.get("HANDOFF_MAX_PER_DAY", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_MAX_DOSSIERS_PER_DAY
