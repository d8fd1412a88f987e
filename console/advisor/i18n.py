"""The console's texts: one gettext catalogue per language (``i18n/<lang>/LC_MESSAGES/console.po``),
compiled when the app starts, and the date formats of each language.

Message ids are keys (``inbox.title``); both catalogues hold every key, which a test checks.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LOCALES = {"fr": "fr_CA", "en": "en_CA"}
# Short, unambiguous date-times: « 26 nov. 2026 10:05 » and "Nov 26, 2026 10:05".
DATETIME_PATTERNS = {"fr": "d MMM y HH:mm", "en": "MMM d, y HH:mm"}
CATALOGUE_DIR = Path(__file__).parent / "i18n"
TIMEZONE = ZoneInfo("America/Montreal")


def catalogue_path(lang: str) -> Path:
    return CATALOGUE_DIR / lang / "LC_MESSAGES" / "console.po"


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """Read the .po file and compile it in memory (no .mo file to keep in sync)."""
    with catalogue_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=LOCALES[lang])
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def keys(lang: str) -> set[str]:
    with catalogue_path(lang).open("rb") as handle:
        # A plural message's id is a tuple; the catalogues have none.
        return {
            message.id for message in read_po(handle) if isinstance(message.id, str) and message.id
        }


class Translator:
    """``t("key", name=value)``: the text in this language, with ``{name}`` placeholders filled."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self._catalogue = translations(self.lang)

    def __call__(self, key: str, **values: object) -> str:
        text = self._catalogue.gettext(key)
        return text.format(**values) if values else text

    def maybe(self, prefix: str, code: str | None) -> str:
        """The label of a code (``trigger.user_request``), or the code itself when unknown."""
        if code is None:
            return ""
        key = f"{prefix}.{code}"
        text = self._catalogue.gettext(key)
        return code if text == key else text

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return format_datetime(
            value, DATETIME_PATTERNS[self.lang], tzinfo=TIMEZONE, locale=LOCALES[self.lang]
        )

    def date(self, value: date | None) -> str:
        if value is None:
            return ""
        return format_date(value, "long", locale=LOCALES[self.lang])


def preload() -> Callable[[str], Translator]:
    for lang in LANGUAGES:
        translations(lang)
    return Translator
