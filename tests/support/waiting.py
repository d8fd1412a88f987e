"""Waiting for the event that proves something happened (or is over), never a fixed sleep.

``wait_until`` polls a predicate until it holds and returns its value; on timeout it fails the
test, naming what it waited for. ``settle_tasks`` waits until the background tasks a call
started on the running event loop have finished, so that "nothing went wrong" is asserted
after the work, not after a guess at how long it takes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T], timeout: float = 30.0, what: str = "condition", every: float = 0.1
) -> T:
    """The predicate's first truthy value, polled every ``every`` seconds.

    Raises:
        AssertionError: it did not hold within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


async def wait_until_async(
    predicate: Callable[[], T | Awaitable[T]],
    timeout: float = 30.0,
    what: str = "condition",
    every: float = 0.05,
) -> T:
    """``wait_until`` inside an event loop: sleeps without blocking the loop, so the work being
    waited for can run; the predicate may be a coroutine function."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result) or isinstance(result, asyncio.Future):
            result = await result
        if result:
            return result  # type: ignore[return-value]
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(every)


async def settle_tasks(timeout: float = 10.0) -> None:
    """Wait until every other task of the running loop is done (background work included).

    Raises:
        AssertionError: some were still running after ``timeout`` seconds.
    """
    current = asyncio.current_task()
    others = [task for task in asyncio.all_tasks() if task is not current and not task.done()]
    if not others:
        return
    _, pending = await asyncio.wait(others, timeout=timeout)
    assert not pending, f"{len(pending)} background task(s) still running after {timeout:g} s"
