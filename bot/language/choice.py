"""Decide the answer language from an explicit request, the user's words and the channel."""

from __future__ import annotations

from dataclasses import dataclass

from bot.language.detection import Detection

SUPPORTED = ("fr", "en")
DEFAULT_LANGUAGE = "fr"  # Québec's common public language, and the partners' main audience
# Before the user's own words have set the language, a moderately sure detection is enough;
# afterwards a message must be clearly in the other language to switch (a French speaker who types
# "ok" or "thanks" keeps French).
FIRST_WORDS_CONFIDENCE = 0.6
# One word written the same in both languages ("garage", "photo", "design", "taxi") gets 0.5–0.66
# from the character statistics, words of one language 0.73 and more ("bakery", « ferme »): a lone
# word that close to a coin toss leaves the language to the channel, else French.
ONE_WORD_CONFIDENCE = 0.7
SWITCH_CONFIDENCE = 0.9
SWITCH_MIN_WORDS = 3
# After the person asked for a language, a short answer in the other one ("crafts and retail" right
# after « on peut continuer en français? ») is not a change of mind: it takes a real sentence.
SWITCH_MIN_WORDS_AFTER_REQUEST = 6


@dataclass(frozen=True)
class LanguageChoice:
    language: str
    source: str  # default | channel | words | explicit


def language_from_metadata(metadata: dict | None) -> str | None:
    """ "fr-CA", "en_US", "EN" → "fr"/"en"; anything else → None."""
    if not isinstance(metadata, dict):
        return None
    for key in ("language", "language_code", "locale", "lang"):
        value = metadata.get(key)
        if isinstance(value, str) and value:
            code = value.strip().lower().replace("_", "-").split("-")[0]
            if code in SUPPORTED:
                return code
    return None


def language_from_accept_language(header: str | None) -> str | None:
    """The supported language an ``Accept-Language`` header prefers most, if any.

    Args:
        header: the header's value (``"en-US,en;q=0.9,fr;q=0.8"``), or None.

    Returns:
        ``"fr"`` or ``"en"``, the one with the highest weight (the first on a tie); None when
        neither is acceptable or the header is missing or malformed.
    """
    if not isinstance(header, str):
        return None
    best: tuple[float, str] | None = None
    for item in header.split(",")[:20]:  # a header is short; a huge one is not read in full
        tag, _, params = item.partition(";")
        code = tag.strip().lower().replace("_", "-").split("-")[0]
        if code not in SUPPORTED:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        if weight > 0 and (best is None or weight > best[0]):
            best = (weight, code)
    return best[1] if best else None


def choose_language(
    current: str | None,
    source: str | None,
    detection: Detection | None,
    explicit: str | None = None,
    channel_language: str | None = None,
) -> LanguageChoice:
    if explicit in SUPPORTED:
        return LanguageChoice(explicit, "explicit")

    words_language = None
    if detection is not None and detection.language in SUPPORTED:
        settled = source in ("words", "explicit") and current in SUPPORTED
        first_words_confidence = (
            ONE_WORD_CONFIDENCE if detection.words == 1 else FIRST_WORDS_CONFIDENCE
        )
        if not settled and detection.confidence >= first_words_confidence:
            words_language = detection.language
        elif (
            settled
            and detection.language != current
            and detection.confidence >= SWITCH_CONFIDENCE
            and detection.words
            >= (SWITCH_MIN_WORDS_AFTER_REQUEST if source == "explicit" else SWITCH_MIN_WORDS)
        ):
            words_language = detection.language
    if words_language:
        return LanguageChoice(words_language, "words")

    if current in SUPPORTED and source in ("words", "explicit", "channel"):
        return LanguageChoice(current, source)  # type: ignore[arg-type]
    if channel_language in SUPPORTED:
        return LanguageChoice(channel_language, "channel")
    if current in SUPPORTED:
        return LanguageChoice(current, source or "default")
    return LanguageChoice(DEFAULT_LANGUAGE, "default")
