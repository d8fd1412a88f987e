"""Failures the actions survive (the person gets a clear message), logged so they can be fixed.

An exception's message may quote what the person typed, so the log says what failed, the
exception's type and where it was raised (file, line, function) - never its message.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path


def where(error: BaseException) -> str:
    """``file.py:123 in function`` of the innermost frame that raised ``error``."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "unknown location"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno} in {last.name}"


def log_failure(
    logger: logging.Logger, what: str, error: BaseException, level: int = logging.ERROR
) -> None:
    """Log that ``what`` failed with the type and location of ``error``, not its message."""
    logger.log(level, "%s: %s at %s", what, type(error).__name__, where(error))
