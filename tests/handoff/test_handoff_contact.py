"""Contact validation: table-driven, offline (no DNS), errors that never quote the value."""

from __future__ import annotations

import pytest

from handoff.contact import (
    InvalidContactError,
    normalise_contact,
    normalise_email,
    normalise_phone,
)


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
