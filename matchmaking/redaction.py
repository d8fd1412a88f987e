"""Phone numbers and e-mail addresses written inside a person's free text, found and masked.

A profile's sentence and skills are free text; people write « appelez-moi au 514-555-0199 » in
them although the question asks them not to. Contact details are exchanged only once both sides
of an introduction said yes, so whatever reaches the other side (the chat's summary, a
suggestion's text or reasons) goes through ``redact`` first, even after an advisor's review, and
the review shows the advisor a warning (``contact_kinds``).

Regular expressions rather than a library: ``phonenumbers`` is not among the locked dependencies
and a person's sentence is not a number to parse. What they catch:

- e-mail addresses, also with spaces around the ``@`` or written ``[at]``, ``(at)``, « arobase »,
  and ``[dot]`` for a dot (« ana arobase exemple point ca », all in words, is not caught);
- North American numbers as Québec writes them: ``514-555-0199``, ``(438) 555 0177``,
  ``450.555.0134``, ``+1 819 555 0100``, ``1-800-555-0123``, ``5145550199``; the area code and the
  exchange start with 2-9 (NANP), so amounts (« 150 000 $ »), years and hours are left alone;
  seven digits without the area code only with a dash or a dot (« 555-0199 »);
- other international numbers written with their ``+`` and at least eight digits.
"""

from __future__ import annotations

import re

from matchmaking.texts import label

EMAIL = "email"
PHONE = "phone"

_SEP = r"[ \t.\-\u00a0\u2011\u2013]?"
# The "at" may be written "@" (spaces around it too), "[at]", "(at)" or « arobase »; a dot in the
# domain "." or "[dot]"/"(dot)". A bare " at " is not taken: "we meet at St.Laurent" is no address.
_AT = r"(?:\s*@\s*|\s*\[\s*at\s*\]\s*|\s*\(\s*at\s*\)\s*|\s+arobase\s+)"
_DOT = r"(?:\.|\s*\[\s*dot\s*\]\s*|\s*\(\s*dot\s*\)\s*)"
_EMAIL_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    + _AT
    + r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    + _DOT
    + r")+[A-Za-z]{2,63}\b",
    re.IGNORECASE,
)
_NANP_RE = re.compile(
    r"(?<![\w+])(?:\+?1" + _SEP + r")?"
    r"(?:\(\s*[2-9]\d{2}\s*\)\s?|[2-9]\d{2}" + _SEP + r")"
    r"[2-9]\d{2}" + _SEP + r"\d{4}(?!\d)"
)
# Seven digits without the area code, only with a dash or a dot between (« au 555-0199 »).
_LOCAL_RE = re.compile(r"(?<![\w+.\-])[2-9]\d{2}[.\-\u2011]\d{4}(?![\d.\-])")
_INTERNATIONAL_RE = re.compile(r"(?<![\w+])\+\d(?:[ .\-\u00a0]?\(?\d\)?){7,14}(?!\d)")


def _spans(text: str) -> list[tuple[int, int, str]]:
    found = [(m.start(), m.end(), EMAIL) for m in _EMAIL_RE.finditer(text)]
    for pattern in (_NANP_RE, _LOCAL_RE, _INTERNATIONAL_RE):
        found += [(m.start(), m.end(), PHONE) for m in pattern.finditer(text)]
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in found:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, kind))
    return merged


def contact_kinds(text: str | None) -> tuple[str, ...]:
    """The kinds of contact details in ``text`` (``email``, ``phone``), each once, in order.

    Codes only, never the values, so that a caller may log or show them.
    """
    if not text:
        return ()
    return tuple(dict.fromkeys(kind for _, _, kind in _spans(text)))


def redact(text: str | None, lang: str) -> str | None:
    """``text`` with its phone numbers and e-mail addresses masked.

    Each is replaced by the catalogue's « [coordonnées retirées] » / "[contact removed]" in
    ``lang``; None stays None.
    """
    if not text:
        return text
    spans = _spans(text)
    if not spans:
        return text
    removed = label("redaction", "contact_removed", lang)
    parts, position = [], 0
    for start, end, _ in spans:
        parts += [text[position:start], removed]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def redact_items(items: tuple[str, ...] | list[str], lang: str) -> tuple[str, ...]:
    """Each item of a list of free texts (skills) redacted."""
    return tuple(redact(item, lang) or "" for item in items)
