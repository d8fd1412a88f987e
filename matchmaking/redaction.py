"""Phone numbers and e-mail addresses written inside a person's free text, found and masked.

A profile's sentence and skills are free text; people write « appelez-moi au 514-555-0199 » in
them although the question asks them not to. Contact details are exchanged only once both sides
of an introduction said yes, so whatever reaches the other side (the chat's summary, a
suggestion's text or reasons) goes through ``redact`` first, even after an advisor's review, and
the review shows the advisor a warning (``contact_kinds``).

What is found is ``handoff.contact.contact_spans``'s: the one definition of a contact
detail in a sentence.
"""

from __future__ import annotations

from handoff.contact import EMAIL, PHONE, contact_spans, replace_contacts
from matchmaking.texts import label

__all__ = ["EMAIL", "PHONE", "contact_kinds", "redact", "redact_items"]


def contact_kinds(text: str | None) -> tuple[str, ...]:
    """The kinds of contact details in ``text`` (``email``, ``phone``), each once, in order.

    Codes only, never the values, so that a caller may log or show them.
    """
    if not text:
        return ()
    return tuple(dict.fromkeys(kind for _, _, kind in contact_spans(text)))


def redact(text: str | None, lang: str) -> str | None:
    """``text`` with its phone numbers and e-mail addresses masked.

    Each is replaced by the catalogue's « [coordonnées retirées] » / "[contact removed]" in
    ``lang``; None stays None.
    """
    if not text:
        return text
    return replace_contacts(text, label("redaction", "contact_removed", lang))


def redact_items(items: tuple[str, ...] | list[str], lang: str) -> tuple[str, ...]:
    """Each item of a list of free texts (skills) redacted."""
    return tuple(redact(item, lang) or "" for item in items)
