"""Where the knowledge base keeps what it derives from its content, and how.

What it derives is passage vectors and analysed texts; a cache file is written so that another
process never reads half of one.

``COOPILOTE_CACHE_DIR`` is the cache folder (default ``var/cache`` in the checkout).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent


def cache_dir() -> Path:
    """The cache folder: ``COOPILOTE_CACHE_DIR``, else ``var/cache`` in the checkout."""
    return Path(os.environ.get("COOPILOTE_CACHE_DIR") or ROOT / "var" / "cache")


def text_key(text: str) -> str:
    """The key of a text in a cache: a hash, so that no content is written twice in clear."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def write_atomically(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then rename it to ``path``.

    Args:
        path: The cache file to replace.
        write: Writes the whole content to the binary file it is given.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
