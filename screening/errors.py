"""Every error of the screening package, each with a stable ``code``.

Callers map a code to a text of their own catalogue; messages are English, for logs and tests.
"""

from __future__ import annotations


class ScreeningError(Exception):
    """Base class; ``code`` says what happened."""

    code = "screening_error"


class TableError(ScreeningError, ValueError):
    """A decision table that cannot be used; says which row and field are wrong."""

    code = "decision_table"

    def __init__(self, row: str, field: str, message: str):
        self.row = row
        self.field = field
        super().__init__(f"decision table, row {row!r}, field {field!r}: {message}")
