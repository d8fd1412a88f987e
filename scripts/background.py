"""The background loops (``console.background``: notifier, retention purge, follow-up
reminders) in a process of their own. ``make run`` runs them inside the web app instead
(``python -m console --background``). SIGTERM or Ctrl-C stops the three loops as each of them
would stop alone; if one loop fails, the others are stopped and the process exits with status 1.
``python scripts/background.py``.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType

from console.background import log, run


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
