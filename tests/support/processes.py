"""The servers the tests (and the replica benchmark) start in sessions of their own: waiting until
one answers, stopping it with everything it started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.support.waiting import wait_until

LOG_TAIL_CHARS = 3000
ROOT = Path(__file__).resolve().parents[2]


def fresh_python(code: str, timeout: float = 300) -> str:
    """What ``code`` prints when run by a new interpreter of this environment, from the project's
    folder (to see which modules a fresh process loads).

    Raises:
        AssertionError: the code failed (the end of its standard error is in the message).
    """
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-LOG_TAIL_CHARS:]
    return done.stdout


def free_port() -> int:
    """A loopback port nobody listens on (yet): connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(url: str, timeout: float = 2.0) -> bool:
    """Does ``url`` answer with a success status (2xx)?"""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:  # noqa: S310 - loopback
            return 200 <= reply.status < 300
    except OSError:  # refused, timed out, or an HTTP error status
        return False


def wait_for_url(
    url: str,
    process: subprocess.Popen,
    log: Path,
    timeout: float,
    what: str | None = None,
    ready_line: str | None = None,
) -> None:
    """Waits until ``process`` serves ``url`` (and, with ``ready_line``, has printed it to ``log``).

    Raises:
        RuntimeError: the process exited first (the end of its log is in the message).
        AssertionError: ``url`` did not answer within ``timeout`` seconds.
    """
    name = what or log.stem

    def ready() -> bool:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-LOG_TAIL_CHARS:]
            raise RuntimeError(f"{name} exited with code {process.returncode}:\n{tail}")
        if ready_line is not None and ready_line not in log.read_text(errors="replace"):
            return False
        return answers(url)

    wait_until(ready, timeout, f"{name} to answer at {url}", every=0.5)


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
