"""Names of the files written about one dossier (saved emails, exports).

The dossier's reference is recorded in the name when the file is written, so that an erasure finds
a person's files by their references alone, never by searching file contents for a name, an id or
a contact.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from pathlib import Path

from appdb import utcnow

# <UTC stamp>-<reference>-<8 hex digits><suffix>: the layout the notifier has always used.
_NAME_RE = re.compile(r"^\d{8}T\d{6}-(CP-[0-9A-Z]{4}-[0-9A-Z]{4})-[0-9a-f]{8}\.[a-z0-9]{1,8}$")
_SUFFIX_RE = re.compile(r"^\.[a-z0-9]{1,8}$")


def dossier_file_name(reference: str, suffix: str, now: datetime | None = None) -> str:
    """A fresh file name that records ``reference`` (e.g. ``.eml``, ``.csv``).

    Raises:
        ValueError: the reference or the suffix does not have the expected form.
    """
    name = f"{(now or utcnow()).strftime('%Y%m%dT%H%M%S')}-{reference}-{uuid.uuid4().hex[:8]}"
    if not _SUFFIX_RE.match(suffix) or not _NAME_RE.match(name + suffix):
        raise ValueError("a dossier file needs a reference CP-XXXX-XXXX and a short suffix")
    return name + suffix


def other_file_name(kind: str, suffix: str, now: datetime | None = None) -> str:
    """A fresh name for a file written about no single dossier.

    Such a file is, for example, a daily reminder listing several references, with no personal
    data: its name never matches a dossier's files at an erasure.
    """
    if not re.match(r"^[a-z][a-z0-9-]{0,30}$", kind) or not _SUFFIX_RE.match(suffix):
        raise ValueError("a file kind is lower-case letters, digits and dashes")
    return f"{(now or utcnow()).strftime('%Y%m%dT%H%M%S')}-{kind}-{uuid.uuid4().hex[:8]}{suffix}"


def reference_of(path: Path) -> str | None:
    """The reference recorded in a file's name, or None for a file not written for a dossier."""
    match = _NAME_RE.match(path.name)
    return match.group(1) if match else None
