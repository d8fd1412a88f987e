"""Contact details: validated offline, and found inside a person's free text.

The one home of both, used by the handoff (the contact a person gives) and by the matchmaking
(contact details masked in a profile's text, ``contact_spans``). No network look-up: this
machine is offline.

Errors name the problem, never the value, so that they can be logged.

Regular expressions rather than a library: ``phonenumbers`` is not among the locked dependencies
and a person's sentence is not a number to parse. What ``contact_spans`` finds:

- e-mail addresses, also with spaces around the ``@`` or written ``[at]``, ``(at)``, « arobase »,
  and ``[dot]`` for a dot (« ana arobase exemple point ca », all in words, is not found);
- North American numbers as Québec writes them: ``514-555-0199``, ``(438) 555 0177``,
  ``450.555.0134``, ``+1 819 555 0100``, ``1-800-555-0123``, ``5145550199``; the area code and the
  exchange start with 2-9 (NANP), so amounts (« 150 000 $ »), years and hours are left alone;
  seven digits without the area code only with a dash or a dot (« 555-0199 »);
- other international numbers written with their ``+`` and at least eight digits.
"""

from __future__ import annotations

import re

from handoff.errors import InvalidContactError as InvalidContactError

MAX_EMAIL_LENGTH = 254
MAX_LOCAL_LENGTH = 64

# Dot-atom local part (RFC 5322 without quoted strings or comments) and a host name with an
# alphabetic top-level domain: addresses people actually type, nothing exotic.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL_RE = re.compile(rf"^(?P<local>{_LOCAL})@(?P<domain>(?:{_LABEL}\.)+[A-Za-z]{{2,63}})$")

EMAIL = "email"
PHONE = "phone"

# Inside a sentence. The "at" may be written "@" (spaces around it too), "[at]", "(at)" or
# « arobase »; a dot in the domain "." or "[dot]"/"(dot)", or, after such an "at", " dot " or
# « point » (« ana arobase gmail point com »). A bare " at " is not taken: "we meet at
# St.Laurent" is no address.
_SEP = r"[ \t.\-\u00a0\u2011\u2013]?"
_AT = r"(?:\s*@\s*|\s*\[\s*at\s*\]\s*|\s*\(\s*at\s*\)\s*|\s+arobase\s+)"
_DOT = r"(?:\.|\s*\[\s*dot\s*\]\s*|\s*\(\s*dot\s*\)\s*|\s+(?:dot|point)\s+)"
_EMAIL_IN_TEXT = re.compile(
    _LOCAL + _AT + rf"(?:{_LABEL}" + _DOT + r")+[A-Za-z]{2,63}\b",
    re.IGNORECASE,
)
_AT_WRITTEN = re.compile(_AT, re.IGNORECASE)
_DOT_WRITTEN = re.compile(r"\s*[\[(]\s*dot\s*[\])]\s*|\s+(?:dot|point)\s+", re.IGNORECASE)
_NANP_IN_TEXT = re.compile(
    r"(?<![\w+])(?:\+?1" + _SEP + r")?"
    r"(?:\(\s*[2-9]\d{2}\s*\)\s?|[2-9]\d{2}" + _SEP + r")"
    r"[2-9]\d{2}" + _SEP + r"\d{4}(?!\d)"
)
# Seven digits without the area code, only with a dash or a dot between (« au 555-0199 »).
_LOCAL_NUMBER_IN_TEXT = re.compile(r"(?<![\w+.\-])[2-9]\d{2}[.\-\u2011]\d{4}(?![\d.\-])")
_INTERNATIONAL_IN_TEXT = re.compile(r"(?<![\w+])\+\d(?:[ .\-\u00a0]?\(?\d\)?){7,14}(?!\d)")

# What people put between digits: spaces, dots, dashes, parentheses.
_PHONE_SEPARATORS = re.compile(r"[\s.\-()\u00a0]")


def normalise_email(value: str) -> str:
    """Return the address with its domain lower-cased, or raise ``InvalidContactError``."""
    text = value.strip()
    if not text:
        raise InvalidContactError("email_empty")
    if len(text) > MAX_EMAIL_LENGTH:
        raise InvalidContactError("email_too_long")
    match = _EMAIL_RE.match(text)
    if match is None:
        raise InvalidContactError("email_malformed")
    local, domain = match.group("local"), match.group("domain")
    if len(local) > MAX_LOCAL_LENGTH:
        raise InvalidContactError("email_malformed")
    # The local part may be case-sensitive in theory; the domain never is.
    return f"{local}@{domain.lower()}"


def normalise_phone(value: str) -> str:
    """Return a North American number as E.164 (``+15145550123``), or raise ``InvalidContactError``.

    Accepts 10 digits with an optional ``+1``/``1`` prefix and the usual separators.
    """
    text = value.strip()
    if not text:
        raise InvalidContactError("phone_empty")
    compact = _PHONE_SEPARATORS.sub("", text)
    if compact.startswith("+"):
        if not compact.startswith("+1"):
            raise InvalidContactError("phone_not_north_american")
        compact = compact[2:]
    elif len(compact) == 11 and compact.startswith("1"):
        compact = compact[1:]
    if not compact.isascii() or not compact.isdigit():
        raise InvalidContactError("phone_malformed")
    if len(compact) != 10:
        raise InvalidContactError("phone_wrong_length")
    # NANP: neither the area code nor the exchange starts with 0 or 1.
    if compact[0] in "01" or compact[3] in "01":
        raise InvalidContactError("phone_malformed")
    return "+1" + compact


def normalise_contact(method: str, value: str) -> str:
    """``value`` as an email address or phone number in its one stored form.

    Raises:
        InvalidContactError: ``value`` is not a valid one, or ``method`` is unknown.
    """
    if method == "email":
        return normalise_email(value)
    if method == "phone":
        return normalise_phone(value)
    raise InvalidContactError("method_unknown")


def contact_spans(text: str) -> list[tuple[int, int, str]]:
    """Where ``text`` holds an e-mail address or a phone number.

    Returns:
        ``(start, end, kind)`` in order, ``kind`` being ``email`` or ``phone``; overlapping finds
        are merged into the first.
    """
    found = [(m.start(), m.end(), EMAIL) for m in _EMAIL_IN_TEXT.finditer(text)]
    for pattern in (_NANP_IN_TEXT, _LOCAL_NUMBER_IN_TEXT, _INTERNATIONAL_IN_TEXT):
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


def replace_contacts(text: str, replacement: str) -> str:
    """``text`` with each e-mail address and phone number (``contact_spans``) replaced."""
    for start, end, _ in reversed(contact_spans(text)):
        text = text[:start] + replacement + text[end:]
    return text


def _written_plainly(address: str) -> str:
    """« ada [at] example [dot] org », « ada arobase example point org » as ada@example.org."""
    return _DOT_WRITTEN.sub(".", _AT_WRITTEN.sub("@", address, count=1))


def find_contact(method: str, text: str) -> str | None:
    """The address or number of ``method`` written inside ``text``, normalised.

    None when the text holds no valid one. A sentence around it is allowed, unlike
    ``normalise_contact``; so are an address written « ada arobase example.org » and a number
    followed by an hour ("819 555 0142 after 5pm").
    """
    if method not in (EMAIL, PHONE):
        return None
    for start, end, kind in contact_spans(text):
        if kind != method:
            continue
        candidate = text[start:end].strip(" .,;:")
        if kind == EMAIL:
            candidate = _written_plainly(candidate)
        try:
            return normalise_contact(method, candidate)
        except InvalidContactError:
            continue
    return None
