"""The shared waiting helpers (tests/support/waiting.py) wait for the proof, then stop."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from tests.support.waiting import settle_tasks, wait_until, wait_until_async


def test_wait_until_returns_the_first_truthy_value():
    calls = itertools.count(1)
    assert wait_until(lambda: next(calls) >= 3 and "ready", 5, every=0.01) == "ready"


def test_wait_until_fails_naming_what_it_waited_for():
    with pytest.raises(AssertionError, match="waiting for the reply"):
        wait_until(lambda: None, 0.05, "the reply", every=0.01)


async def test_wait_until_async_lets_the_awaited_work_run():
    done = asyncio.Event()
    asyncio.get_running_loop().call_later(0.05, done.set)
    assert await wait_until_async(done.is_set, 5, "the event")


async def test_settle_tasks_returns_once_background_work_is_over():
    finished: list[str] = []

    async def work() -> None:
        await asyncio.sleep(0.05)
        finished.append("done")

    asyncio.ensure_future(work())
    await settle_tasks(5)
    assert finished == ["done"]


async def test_settle_tasks_fails_when_work_outlasts_the_timeout():
    task = asyncio.ensure_future(asyncio.sleep(10))
    with pytest.raises(AssertionError, match="still running"):
        await settle_tasks(0.05)
    task.cancel()
