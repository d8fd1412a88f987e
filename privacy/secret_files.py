"""Secrets kept in files for local runs (var/): the one writer, so every such file is private.

A file is created with mode 0600 through ``os.open`` (never readable by others, not even between
its creation and a chmod); one left by an older version with a wider mode is made private again.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

MODE = 0o600


def secret_file(path: Path, nbytes: int = 32) -> str:
    """The secret kept in ``path``, generated on first use (``nbytes`` random bytes, URL-safe).

    Args:
        path: The file; its folder is created if missing.
        nbytes: Entropy of a new secret.

    Returns:
        The secret, stripped of surrounding whitespace.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, MODE)
    except FileExistsError:
        path.chmod(MODE)  # one written by an older version with the default mode
    else:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()
