"""Stopping the servers the tests (and the replica benchmark) start in sessions of their own."""

from __future__ import annotations

import os
import signal
import subprocess


def stop_process_group(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stops a process started in a session of its own, with everything it started."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:  # ended between the poll and the signal
            pass
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
