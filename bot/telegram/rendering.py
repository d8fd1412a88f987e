"""Rasa replies → Telegram messages: escaped HTML, list bullets, paragraph-aware splitting.

The bot's texts are plain, so the only markup is what escaping produces; URLs are left as they
are (Telegram links them itself).
"""

from __future__ import annotations

import html
import re

_LIST_ITEM = re.compile(r"^(\s*)[-*] +", re.MULTILINE)


def telegram_length(text: str) -> int:
    """Telegram counts UTF-16 code units, so an emoji counts twice."""
    return len(text.encode("utf-16-le")) // 2


def to_html(text: str) -> str:
    """Plain text → HTML parse-mode text: escaped, "- " items as bullets, line breaks kept."""
    return html.escape(_LIST_ITEM.sub(r"\1• ", text), quote=False)


def _pieces(text: str, separator: str, limit: int) -> list[str]:
    """Greedily joins the parts of ``text`` split on ``separator`` into rendered chunks."""
    chunks: list[str] = []
    current = ""
    for part in text.split(separator):
        candidate = f"{current}{separator}{part}" if current else part
        if telegram_length(to_html(candidate)) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        if telegram_length(to_html(part)) <= limit:
            current = part
        else:
            finer = _FINER.get(separator)
            pieces = _pieces(part, finer, limit) if finer is not None else _hard_cut(part, limit)
            chunks.extend(pieces[:-1])
            current = pieces[-1] if pieces else ""
    if current:
        chunks.append(current)
    return chunks


def _hard_cut(text: str, limit: int) -> list[str]:
    # Within one word escaping is per character, so lengths add up.
    chunks, current, length = [], "", 0
    for char in text:
        size = telegram_length(html.escape(char, quote=False))
        if length + size > limit:
            chunks.append(current)
            current, length = "", 0
        current += char
        length += size
    return [*chunks, current] if current else chunks


# Paragraphs first, then lines, then words; a single endless word is cut anywhere.
_FINER = {"\n\n": "\n", "\n": " "}


def split_message(text: str, limit: int = 4096) -> list[str]:
    """HTML chunks of at most ``limit`` characters, cut between paragraphs where possible."""
    text = text.strip()
    if not text:
        return []
    return [to_html(chunk.strip()) for chunk in _pieces(text, "\n\n", limit) if chunk.strip()]
