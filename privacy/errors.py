"""Every error of the privacy package, each with a stable ``code``.

Callers (the console, the CLI, the chat's actions) map a code to a text of their own catalogue;
messages are English for logs and name the field, never its value (it may be personal).
"""

from __future__ import annotations


class PrivacyError(Exception):
    """Base class; ``code`` says what happened."""

    code = "privacy_error"


class NothingToIdentifyError(PrivacyError, ValueError):
    """Neither a sender id, a reference nor a contact was given."""

    code = "nothing_to_identify"


# The problems of an incident's field: code -> the English wording for logs and the CLI.
INCIDENT_PROBLEMS = {
    "required": "required",
    "too_long": "too long",
    "date_required": "a date is required",
    "not_a_date": "not a date",
    "before_start": "before the start of the period",
    "before_occurred": "before the incident occurred",
    "persons": "a number of persons (0 or more)",
    "before_discovered": "before the incident was discovered",
    "reason_required": "required with a public notice",
    "unknown_field": "not a field of the register",
}


class InvalidIncidentError(PrivacyError, ValueError):
    """A field of the incident register is missing or inconsistent.

    ``field`` names it and ``problem`` is one of ``INCIDENT_PROBLEMS`` (the console's form shows
    the text of its own catalogue for it); ``code`` is the class's.
    """

    code = "invalid_incident"

    def __init__(self, field: str, problem: str) -> None:
        if problem not in INCIDENT_PROBLEMS:
            raise ValueError(f"unknown incident problem code {problem!r}")
        super().__init__(f"{field}: {INCIDENT_PROBLEMS[problem]}")
        self.field = field
        self.problem = problem
