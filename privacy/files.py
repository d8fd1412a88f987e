"""Files on disk that hold personal data: console CSV exports and the notifier's .eml files."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from handoff.files import reference_of

ROTATED_LOG = re.compile(r"^[\w.-]+\.log\.\d+$")


def _files(directory: Path) -> Iterator[Path]:
    if not directory.is_dir():
        return
    for path in sorted(directory.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def older_than(directory: Path, cutoff: datetime) -> list[Path]:
    """Files last modified before ``cutoff`` (an aware datetime)."""
    limit = cutoff.timestamp()
    return [path for path in _files(directory) if path.stat().st_mtime < limit]


def rotated_logs_older_than(directory: Path, cutoff: datetime) -> list[Path]:
    """Rotated log files (``name.log.1`` …) last written before ``cutoff``.

    Never a live log, which its process still writes to.
    """
    return [path for path in older_than(directory, cutoff) if ROTATED_LOG.match(path.name)]


def of_dossiers(directory: Path, references: Iterable[str]) -> list[Path]:
    """Files written for one of these dossiers.

    A file belongs to the dossier whose reference was recorded in its name when it was written
    (``handoff.files``). Contents are never searched: an id or a contact found in another
    person's file as a substring must not erase that file.
    """
    wanted = {reference.strip().upper() for reference in references if reference}
    if not wanted:
        return []
    return [path for path in _files(directory) if reference_of(path) in wanted]


def remove(paths: Iterable[Path]) -> int:
    """Delete these files; how many were deleted (one already gone is not counted)."""
    removed = 0
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed += 1
    return removed
