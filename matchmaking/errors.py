"""Every error of the matchmaking package, each with a stable ``code``.

Callers (the console, the chat's actions) map a code to a text of their own catalogue; messages
name the field, never its value (it may be personal).
"""

from __future__ import annotations


class MatchmakingError(Exception):
    """Base class; ``code`` says what happened."""

    code = "matchmaking_error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{self.code}: {detail}" if detail else self.code)
        self.detail = detail


class InvalidFieldError(MatchmakingError, ValueError):
    """A field is missing or malformed; ``field`` names it."""

    code = "invalid_field"

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field = field_name
        self.problem = problem


class ConsentRequiredError(MatchmakingError):
    """Nothing is stored without consent to this purpose (recorded with the notice version)."""

    code = "consent_required"


class MinorRefusedError(MatchmakingError):
    """People under 18 cannot have a matchmaking profile."""

    code = "minor_refused"


class NotFoundError(MatchmakingError, LookupError):
    """No profile, project or introduction with this reference (or not visible to the caller)."""

    code = "not_found"


class TransitionRefusedError(MatchmakingError):
    """The introduction's state does not allow this change."""

    code = "transition_refused"


class NotMatchableError(MatchmakingError):
    """The two sides cannot be introduced (same person, paused profile, closed project…)."""

    code = "not_matchable"


class StoreUnavailableError(MatchmakingError):
    """The app database cannot be reached; the caller says so plainly and claims nothing."""

    code = "store_unavailable"


class DataFileError(MatchmakingError):
    """A rules, regions or texts file is malformed; the message names the file and the key."""

    code = "data_file"
