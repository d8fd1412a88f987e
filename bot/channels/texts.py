"""The channels' refusals as JSON bodies: the error's code and its text (``texts.yml``) in the
person's language.

The language comes from the body's metadata when the body could be read (``language``,
``language_code``, ``locale``), else from the ``Accept-Language`` header, else French.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import catalogues
from bot.channels.errors import CLIENT_CODES, ChannelError
from bot.language import DEFAULT_LANGUAGE, language_from_accept_language, language_from_metadata

TEXTS_FILE = Path(__file__).resolve().parent / "texts.yml"


@cache
def catalogue(path: Path = TEXTS_FILE) -> dict[str, dict[str, str]]:
    """The error texts by code and language; checked when read (``catalogues.load``: both
    languages, the same placeholders) and every code a client can get is there."""
    errors = catalogues.load(path).get("errors")
    if not isinstance(errors, dict):
        raise ValueError(f"{path}: 'errors' must be a mapping of codes")
    for code in CLIENT_CODES:
        if code not in errors:
            raise ValueError(f"{path}: errors.{code} needs a fr and an en text")
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
