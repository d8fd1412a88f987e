"""The channels' refusals as JSON bodies: the error's code and its text (``texts.yml``) in the
person's language.

The language comes from the body's metadata when the body could be read (``language``,
``language_code``, ``locale``), else from the ``Accept-Language`` header, else French.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.channels.errors import CLIENT_CODES, ChannelError
from bot.language import DEFAULT_LANGUAGE, language_from_accept_language, language_from_metadata

TEXTS_FILE = Path(__file__).resolve().parent / "texts.yml"
LANGUAGES = ("fr", "en")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@cache
def catalogue(path: Path = TEXTS_FILE) -> dict[str, dict[str, str]]:
    """The error texts by code and language; checked when read: every code a client can get
    has both languages, with the same placeholders."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    errors = document.get("errors") if isinstance(document, dict) else None
    if not isinstance(errors, dict):
        raise ValueError(f"{path}: 'errors' must be a mapping of codes")
    for code in CLIENT_CODES:
        texts = errors.get(code)
        if not isinstance(texts, dict) or any(
            not isinstance(texts.get(lang), str) or not texts[lang] for lang in LANGUAGES
        ):
            raise ValueError(f"{path}: errors.{code} needs a fr and an en text")
        if _placeholders(texts["fr"]) != _placeholders(texts["en"]):
            raise ValueError(f"{path}: errors.{code}: fr and en differ in placeholders")
    return errors


class _Visible(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def reply_language(body: Any = None, accept_language: str | None = None) -> str:
    """``fr`` or ``en``: the body's metadata first, then the header, then French."""
    metadata = body.get("metadata") if isinstance(body, dict) else None
    return (
        language_from_metadata(metadata)
        or language_from_accept_language(accept_language)
        or DEFAULT_LANGUAGE
    )


def error_text(error: ChannelError, language: str) -> str:
    """The person's text for ``error`` in ``language`` (French for an unknown language)."""
    texts = catalogue()[error.code]
    # A placeholder the error does not fill stays visible ("{max_bytes}") rather than turning
    # a refusal into a server error.
    return texts.get(language, texts[DEFAULT_LANGUAGE]).format_map(_Visible(error.params))


def error_body(error: ChannelError, language: str) -> dict[str, str]:
    """``{"error": code, "message": text}``: what a channel answers for ``error``."""
    return {"error": error.code, "message": error_text(error, language)}
