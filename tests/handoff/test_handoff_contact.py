"""Contact validation: table-driven, offline (no DNS), errors that never quote the value."""

from __future__ import annotations

import pytest

from handoff.contact import (
    InvalidContactError,
    contact_spans,
    find_contact,
    normalise_contact,
    normalise_email,
    normalise_phone,
)
from matchmaking.redaction import contact_kinds, redact


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("amina@example.org", "amina@example.org"),
        ("  Amina.Diallo@Example.ORG ", "Amina.Diallo@example.org"),
        ("jean-luc+coop@mail.example.qc.ca", "jean-luc+coop@mail.example.qc.ca"),
        ("o'neil@example.com", "o'neil@example.com"),
        ("a_b@sub-domain.example.co", "a_b@sub-domain.example.co"),
        # No DNS look-up: a domain that resolves nowhere is still well formed.
        ("x@nowhere-at-all.invalid", "x@nowhere-at-all.invalid"),
    ],
)
def test_valid_emails(typed: str, stored: str) -> None:
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "email_empty"),
        ("   ", "email_empty"),
        ("amina", "email_malformed"),
        ("amina@", "email_malformed"),
        ("@example.org", "email_malformed"),
        ("amina@example", "email_malformed"),
        ("amina@@example.org", "email_malformed"),
        ("amina@example..org", "email_malformed"),
        ("amina.@example.org", "email_malformed"),
        (".amina@example.org", "email_malformed"),
        ("ami na@example.org", "email_malformed"),
        ("amina@-example.org", "email_malformed"),
        ("amina@example.c", "email_malformed"),
        ("amina@example.123", "email_malformed"),
        ("amina@exa_mple.org", "email_malformed"),
        ("amina@example.org\nBcc: x@y.org", "email_malformed"),
        ("a" * 65 + "@example.org", "email_malformed"),
        ("a@" + "b" * 250 + ".org", "email_too_long"),
    ],
)
def test_invalid_emails(typed: str, code: str) -> None:
    with pytest.raises(InvalidContactError) as raised:
        normalise_email(typed)
    assert raised.value.code == code
    assert typed.strip() == "" or typed not in str(raised.value)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("5145550123", "+15145550123"),
        ("514-555-0123", "+15145550123"),
        ("(514) 555-0123", "+15145550123"),
        ("514.555.0123", "+15145550123"),
        ("514 555 0123", "+15145550123"),
        ("1 514 555 0123", "+15145550123"),
        ("+1 514 555 0123", "+15145550123"),
        ("+1 (438) 555-0199", "+14385550199"),
        ("1-819-555-0100", "+18195550100"),
    ],
)
def test_valid_phones(typed: str, stored: str) -> None:
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "phone_empty"),
        ("555-0123", "phone_wrong_length"),
        ("51455501234", "phone_wrong_length"),
        ("+33 1 23 45 67 89", "phone_not_north_american"),
        ("+44 20 7946 0958", "phone_not_north_american"),
        ("514-555-O123", "phone_malformed"),
        ("514 555 0123 ext 4", "phone_malformed"),
        ("014 555 0123", "phone_malformed"),
        ("114 555 0123", "phone_malformed"),
        ("514 055 0123", "phone_malformed"),
        ("514 155 0123", "phone_malformed"),
        ("٥١٤٥٥٥٠١٢٣", "phone_malformed"),
    ],
)
def test_invalid_phones(typed: str, code: str) -> None:
    with pytest.raises(InvalidContactError) as raised:
        normalise_phone(typed)
    assert raised.value.code == code


def test_dispatch_by_method() -> None:
    assert normalise_contact("phone", "514 555 0123") == "+15145550123"
    assert normalise_contact("email", "a@example.org") == "a@example.org"
    with pytest.raises(InvalidContactError):
        normalise_contact("fax", "514 555 0123")


@pytest.mark.parametrize(
    ("method", "text", "expected"),
    [
        ("email", "email then: ada.o@example.org", "ada.o@example.org"),
        ("email", "c'est ana arobase Exemple.CA merci", "ana@exemple.ca"),
        ("email", "ada [at] example [dot] org", "ada@example.org"),
        # said as it is spoken, after an "at" (found talking to the assistant)
        ("email", "mon courriel c ana.dubois arobase gmail point com", "ana.dubois@gmail.com"),
        ("email", "ada @ example dot org", "ada@example.org"),
        ("email", "ada at example dot org", None),  # a bare "at" is still no address
        ("phone", "819 555 0142 after 5pm", "+18195550142"),
        ("phone", "appelez-moi au (438) 555-0177 le soir", "+14385550177"),
        ("phone", "+1 514.555.0190, merci", "+15145550190"),
        # an amount, a year and an hour are no number; a French number is not North American
        ("phone", "we need 150 000 $ by 2027 at 17:30", None),
        ("phone", "+33 6 12 34 56 78", None),
        ("email", "my number is 514 555 0142", None),
        ("phone", "ada@example.org", None),
        ("fax", "514 555 0142", None),
    ],
)
def test_a_contact_is_found_inside_a_sentence(method: str, text: str, expected: str | None) -> None:
    assert find_contact(method, text) == expected


def test_the_masking_finds_what_the_handoff_finds() -> None:
    text = "write to ana arobase exemple.ca or call 819 555 0142 after 5pm"
    assert [kind for _, _, kind in contact_spans(text)] == ["email", "phone"]
    assert contact_kinds(text) == ("email", "phone")
    assert "0142" not in (redact(text, "en") or "") and "exemple" not in (redact(text, "en") or "")
