"""The privacy notice's version, and the fingerprint of its wording that keeps the version honest.

The short notice lives in the bot's domain (``utter_privacy_notice``) and the full one in the web
app's templates; ``notice.yml`` names the version they make together. ``fingerprint()`` hashes
those texts: a test compares it with the one recorded next to the version, so that a change of
wording without a new version fails.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NOTICE_FILE = Path(__file__).with_name("notice.yml")
SHORT_NOTICE_FILE = PROJECT_ROOT / "bot" / "domain" / "privacy.yml"
SHORT_NOTICE_RESPONSE = "utter_privacy_notice"
FULL_NOTICE_FILES = tuple(
    PROJECT_ROOT / "console" / "templates" / f"privacy_{lang}.html" for lang in ("fr", "en")
)
# The page each language links to, on the web app (console/public.py serves them).
PAGE_PATHS = {"fr": "/confidentialite", "en": "/privacy"}


@cache
def _settings() -> dict[str, Any]:
    data = yaml.safe_load(NOTICE_FILE.read_text(encoding="utf-8")) or {}
    version = data.get("version")
    if not isinstance(version, str) or not 0 < len(version) <= 40:
        raise ValueError(f"{NOTICE_FILE}: version must be a string of 1 to 40 characters")
    return data


def version() -> str:
    """The version of the notice shown now (recorded with consents)."""
    return str(_settings()["version"])


def recorded_fingerprint() -> str:
    """The fingerprint recorded in ``notice.yml`` next to the version ("" if none)."""
    return str(_settings().get("fingerprint", ""))


def fingerprint() -> str:
    """A hash of the short notice's variations and the full pages' text, as they are now."""
    domain = yaml.safe_load(SHORT_NOTICE_FILE.read_text(encoding="utf-8")) or {}
    short = (domain.get("responses") or {}).get(SHORT_NOTICE_RESPONSE) or []
    digest = hashlib.sha256(yaml.safe_dump(short, allow_unicode=True, sort_keys=True).encode())
    for path in FULL_NOTICE_FILES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_url(base_url: str, lang: str) -> str:
    """The full notice's address on the web app at ``base_url``, in ``lang``."""
    return base_url.rstrip("/") + PAGE_PATHS.get(lang, PAGE_PATHS["fr"])
