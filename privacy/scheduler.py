"""The daily purge, run by ``python -m privacy scheduler``.

It runs ``purge()`` every day at ``PRIVACY_PURGE_HOUR`` (local time, 3 by default) until SIGTERM
or Ctrl-C.

A signal only sets a flag: a purge under way finishes (each store commits on its own) before the
process exits. When a database is unreachable the run is retried an hour later.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from types import FrameType

from sqlalchemy import exc

from privacy.config import purge_hour
from privacy.retention import purge

log = logging.getLogger("privacy.scheduler")
RETRY_AFTER = timedelta(hours=1)
_UNREACHABLE = (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError, OSError)


def next_run(after: datetime, hour: int) -> datetime:
    """The first ``hour``:00 strictly after ``after`` (same time zone as ``after``)."""
    candidate = after.replace(hour=hour, minute=0, second=0, microsecond=0)
    if candidate <= after:
        candidate += timedelta(days=1)
    return candidate


def run_once(action: Callable[[], object] = purge) -> bool:
    """One purge; False when a store was unreachable (logged by class name only)."""
    try:
        action()
    except _UNREACHABLE as error:
        log.warning("privacy purge failed, a store is unreachable: %s", type(error).__name__)
        return False
    return True


def run_forever(
    hour: int | None = None,
    stop: threading.Event | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now().astimezone(),
    action: Callable[[], object] = purge,
    name: str = "privacy scheduler",
) -> None:
    """Run ``action`` daily at ``hour`` until ``stop`` is set or a signal arrives.

    ``name`` is how the log calls this loop (the follow-up reminders of ``handoff.reminders``
    reuse it).
    """
    hour = purge_hour() if hour is None else hour
    stop = stop or threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():

        def _stop(signum: int, _frame: FrameType | None) -> None:
            log.info("%s stopping on signal %s", name, signum)
            stop.set()

        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, _stop)
    try:
        _loop(hour, stop, clock, action, name)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    log.info("%s stopped", name)


def _loop(
    hour: int,
    stop: threading.Event,
    clock: Callable[[], datetime],
    action: Callable[[], object],
    name: str = "privacy scheduler",
) -> None:
    due = next_run(clock(), hour)
    log.info("%s started (daily at %02d:00, next run %s)", name, hour, due.isoformat())
    while not stop.is_set():
        wait = (due - clock()).total_seconds()
        if wait > 0:
            # Wake up at least hourly: a suspended machine or a clock change is caught up.
            stop.wait(min(wait, 3600))
            continue
        due = next_run(clock(), hour) if run_once(action) else clock() + RETRY_AFTER
