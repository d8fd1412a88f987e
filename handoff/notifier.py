"""Run the outbox worker: ``python -m handoff.notifier`` (every 15 s until SIGTERM or Ctrl-C).

``--once`` delivers what is due and exits; ``--retry-failed`` re-queues notifications that
exhausted their attempts; ``--status`` prints how many are pending, sent and failed.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from types import FrameType

from handoff.dossier import StoreUnavailable
from handoff.notify import (
    Transport,
    deliver_due,
    outbox_counts,
    retry_failed,
    transport_from_env,
)

log = logging.getLogger("handoff.notifier")
INTERVAL_S = float(os.environ.get("HANDOFF_NOTIFY_INTERVAL_S", "15"))
BATCH = 20


def deliver_all_due(transport: Transport, stop: threading.Event | None = None) -> int:
    """Deliver batch after batch until nothing due is left; returns how many were sent."""
    sent = 0
    while stop is None or not stop.is_set():
        counts = deliver_due(transport, batch=BATCH)
        sent += counts.sent
        if counts.sent + counts.retrying + counts.failed < BATCH:
            break
    return sent


def run_forever(
    transport: Transport, interval: float = INTERVAL_S, stop: threading.Event | None = None
) -> None:
    """Deliver what is due every ``interval`` seconds until ``stop`` is set, SIGTERM or Ctrl-C.

    An unreachable database is logged and tried again at the next round. Signals are handled
    here only when no ``stop`` is given (the process's own loop, in its main thread); a caller
    running this loop in a thread sets ``stop`` itself.
    """
    if stop is None:
        stop = threading.Event()
        event = stop

        def _stop(signum: int, _frame: FrameType | None) -> None:
            log.info("notifier stopping on signal %s", signum)
            event.set()

        # A signal only sets the flag: an email being sent is finished and recorded before exit.
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    log.info("notifier started (%s, every %.0f s)", type(transport).__name__, interval)
    while not stop.is_set():
        try:
            deliver_all_due(transport, stop)
        except StoreUnavailable:
            log.warning("app database unavailable; retrying in %.0f s", interval)
        stop.wait(interval)
    log.info("notifier stopped")


def main(argv: list[str] | None = None) -> int:
    """Run ``python -m handoff.notifier``; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m handoff.notifier", description=__doc__)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--once", action="store_true", help="deliver what is due, then exit")
    group.add_argument("--retry-failed", action="store_true", help="re-queue failed emails")
    group.add_argument("--status", action="store_true", help="count emails per status")
    parser.add_argument("--interval", type=float, default=INTERVAL_S, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        if args.retry_failed:
            print(f"re-queued {retry_failed()} failed notification(s)")
        elif args.status:
            counts = outbox_counts()
            print(" ".join(f"{s}={counts.get(s, 0)}" for s in ("pending", "sent", "failed")))
        elif args.once:
            print(f"sent {deliver_all_due(transport_from_env())} notification(s)")
        else:
            run_forever(transport_from_env(), args.interval)
    except StoreUnavailable:
        print("the app database is unavailable", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
