"""Validation of contact details without any network look-up (this machine is offline).

Errors name the problem, never the value, so that they can be logged.
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

# An address or a number inside a sentence ("email then: ada.o@example.org", « au 514 555-0190 »).
_EMAIL_IN_TEXT = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}")
_PHONE_IN_TEXT = re.compile(r"\+?[\d(][\d\s.\-()\u00a0]{8,}\d")

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


def find_contact(method: str, text: str) -> str | None:
    """The address or number of ``method`` written inside ``text``, normalised.

    None when the text holds no valid one. A sentence around it is allowed, unlike
    ``normalise_contact``.
    """
    pattern = _EMAIL_IN_TEXT if method == "email" else _PHONE_IN_TEXT if method == "phone" else None
    if pattern is None:
        return None
    for candidate in pattern.findall(text):
        try:
            return normalise_contact(method, candidate.strip(" .,;:"))
        except InvalidContactError:
            continue
    return None
