"""Every error of the handoff package, each with a stable ``code``.

Callers (the chat's actions, the console) map a code to a text of their own catalogue; messages
are English for logs and name the field, never its value (it may be personal).
"""

from __future__ import annotations


class HandoffError(Exception):
    """Base class of the store's errors; ``code`` says what happened."""

    code = "handoff_error"


class InvalidRequestError(HandoffError, ValueError):
    """A field is missing or malformed; ``field`` names it and ``problem`` says how (English)."""

    code = "invalid_request"

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field = field_name
        self.problem = problem


class ConsentMissing(HandoffError):  # noqa: N818 - name fixed by the handoff contract
    """Neither purpose was consented to: the store keeps nothing."""

    code = "consent_missing"


class DailyLimitReached(HandoffError):  # noqa: N818 - named like the contract's errors
    """The person already filed the day's allowance of dossiers.

    The same person is the same conversation id or the same contact; the caller tells them
    politely and points to public contacts.
    """

    code = "daily_limit"


class StoreUnavailable(HandoffError):  # noqa: N818 - name fixed by the handoff contract
    """The database cannot be reached; the caller tells the user plainly and claims nothing."""

    code = "store_unavailable"


class DossierNotFoundError(HandoffError, LookupError):
    """No dossier with this reference (or not visible to the caller)."""

    code = "not_found"


class InvalidContactError(HandoffError, ValueError):
    """The address or number is not acceptable; ``code`` says why (``email_malformed`` …)."""

    code = "invalid_contact"

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
