"""Handing freed heap memory back to the system once a process has loaded what it keeps.

Loading the NLU model (Rasa fits it on one example before reading its weights) and building the
knowledge base allocate far more than they keep; glibc's allocator holds on to the freed pages,
so the process stays at its loading peak for good: about 120 MiB in the Rasa process, 8 MiB in
the action server (docs/benchmarks.md). ``malloc_trim(0)`` returns them. Elsewhere than glibc
(macOS, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _libc() -> Any | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


def resident_mib() -> float | None:
    """This process's resident memory in MiB (Linux only)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def release_freed_heap(after: str) -> float | None:
    """Return the heap's free pages to the system; the MiB released when it can tell.

    ``after``: what was just loaded, for the log line.
    """
    libc = _libc()
    if libc is None:
        return None
    before = resident_mib()
    libc.malloc_trim(0)
    now = resident_mib()
    if before is None or now is None:
        return None
    released = max(before - now, 0.0)
    log.info("after %s: %.0f MiB of freed memory returned to the system", after, released)
    return released
