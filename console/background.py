"""The background work: the advisors' email notifications (``handoff.notifier``), the daily
retention purge (``privacy scheduler``) and the daily follow-up reminders
(``handoff.reminders``), each loop in its own thread.

``make run`` runs them inside the web app (``python -m console --background``): three Python
processes held about 165 MB for loops that sleep nearly all the time, one held about 70 MB, and
none holds about 12 MB more in the web app (docs/benchmarks.md). ``python scripts/background.py``
runs them in a process of their own, and the production layout (``deploy/``) runs each as its
own process with its own command. Whoever runs them stops them by setting ``stop``: an email being
sent is finished and recorded. If one loop fails, the others are stopped and ``run`` returns 1.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("coopilote.background")


def loops(stop: threading.Event) -> dict[str, Callable[[], None]]:
    """The background loops by name, each running until ``stop`` is set."""
    from handoff.notifier import run_forever as notify_forever
    from handoff.notify import transport_from_env
    from handoff.reminders import reminder_hour, send_reminders
    from privacy.scheduler import run_forever

    return {
        "notifier": lambda: notify_forever(transport_from_env(), stop=stop),
        "privacy scheduler": lambda: run_forever(stop=stop),
        "follow-up reminders": lambda: run_forever(
            hour=reminder_hour(), stop=stop, action=send_reminders, name="follow-up reminders"
        ),
    }


def run(stop: threading.Event) -> int:
    """Run every loop in a thread until ``stop`` is set or one of them fails; the exit status."""
    failed: list[str] = []

    def guarded(name: str, loop: Callable[[], None]) -> None:
        try:
            loop()
        except Exception:  # a loop that dies must stop the process, not go on silently
            log.exception("%s failed", name)
            failed.append(name)
            stop.set()

    threads = [
        threading.Thread(target=guarded, args=(name, loop), name=name)
        for name, loop in loops(stop).items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=1)
    return 1 if failed else 0
