"""The embedded set-up's background work in one process: the advisors' email notifications
(``handoff.notifier``), the daily retention purge (``privacy scheduler``) and the daily follow-up
reminders (``handoff.reminders``), each loop in its own thread.

Three Python processes held about 165 MB between them for loops that sleep nearly all the time;
one holds about 70 MB (docs/benchmarks.md). The production layout (``deploy/``) may still run each
as its own process with its own command. SIGTERM or Ctrl-C stops the three loops as each of
them would stop alone (an email being sent is finished and recorded); if one loop fails, the
others are stopped and the process exits with status 1, so that ``scripts/run.py`` says so.
``python scripts/background.py`` (``scripts/run.py`` starts it).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

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


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from bot.channels import log_privacy  # no address or number in these log lines either

    log_privacy.install()
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("background work stopping on signal %s", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    return run(stop)


if __name__ == "__main__":
    sys.exit(main())
