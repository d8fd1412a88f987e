"""Files on disk that hold personal data: console CSV exports and the notifier's .eml files."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

# A file is read whole to look for a person's identifiers; exports and emails are small.
MAX_SCANNED_BYTES = 20 * 1024 * 1024


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


def _mentions(path: Path, needles: tuple[str, ...]) -> bool:
    if any(needle in path.name for needle in needles):
        return True
    if path.stat().st_size > MAX_SCANNED_BYTES:
        return False
    content = path.read_bytes().decode("utf-8", errors="ignore")
    return any(needle in content for needle in needles)


def naming(directory: Path, needles: Iterable[str]) -> list[Path]:
    """Files whose name or text contains one of ``needles`` (references, contacts, sender ids)."""
    wanted = tuple(sorted({needle for needle in needles if needle}))
    if not wanted:
        return []
    return [path for path in _files(directory) if _mentions(path, wanted)]


def remove(paths: Iterable[Path]) -> int:
    removed = 0
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed += 1
    return removed
