"""The conversation lock on a real Redis, as two Rasa replicas use it (bot/lock_store.py): one
holder at a time, whatever the interleaving. Skipped without Redis on 127.0.0.1:6379."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import socket
import time
import uuid
from types import SimpleNamespace

import pytest
import rasa.core.lock
import redis
from rasa.core.lock_store import RedisLockStore

from bot.lock_store import AtomicRedisLockStore
from tests.deploy.cluster import REDIS
from tests.support.waiting import wait_until_async

PREFIX = "coopilotetest"


@pytest.fixture(scope="module", autouse=True)
def redis_running():
    try:
        socket.create_connection(REDIS, timeout=2).close()
    except OSError:
        print(f"Redis unreachable at {REDIS[0]}:{REDIS[1]}: lock store tests skipped")
        pytest.skip("Redis unreachable")


def replica(kind: type[RedisLockStore] = AtomicRedisLockStore) -> RedisLockStore:
    """One replica's lock store (each has its own Redis connection)."""
    return kind(host=REDIS[0], port=REDIS[1], db=1, key_prefix=PREFIX)


def conversation() -> str:
    return f"lock-{uuid.uuid4().hex}"


async def enter(store: RedisLockStore, sender: str, order: list[str], name: str, **lock) -> None:
    """One message's turn: takes the conversation's lock, notes it was inside, leaves."""
    async with store.lock(sender, wait_time_in_seconds=0.05, **lock):
        order.append(f"{name} in")


def test_rasa_redis_lock_store_lets_two_replicas_hold_one_lock():
    """The cause of the lost message: Rasa's store reads, changes and writes the lock in three
    steps, so two replicas that take a ticket at the same moment both get ticket 0."""
    first, second, sender = replica(RedisLockStore), replica(RedisLockStore), conversation()
    try:
        lock_a, lock_b = first.get_or_create_lock(sender), second.get_or_create_lock(sender)
        ticket_a, ticket_b = lock_a.issue_ticket(60), lock_b.issue_ticket(60)
        first.save_lock(lock_a)
        second.save_lock(lock_b)
        stored = first.get_lock(sender)
        assert stored is not None
        assert ticket_a == ticket_b == 0
        assert not stored.is_locked(ticket_a) and not stored.is_locked(ticket_b)
    finally:
        first.delete_lock(sender)


def test_a_ticket_taken_while_another_replica_takes_one_waits_its_turn():
    first, second, sender = replica(), replica(), conversation()
    original = first.create_lock
    tickets: dict[str, int] = {}

    def create_lock_then_let_the_other_replica_in(conversation_id):
        # Between first's read of the lock and its write: second takes a ticket.
        if "second" not in tickets:
            tickets["second"] = second.issue_ticket(sender)
        return original(conversation_id)

    first.create_lock = create_lock_then_let_the_other_replica_in  # type: ignore[method-assign]
    try:
        tickets["first"] = first.issue_ticket(sender)
        lock = first.get_lock(sender)
        assert lock is not None
        assert (tickets["second"], tickets["first"]) == (0, 1)
        assert not lock.is_locked(tickets["second"]) and lock.is_locked(tickets["first"])
    finally:
        first.delete_lock(sender)


def test_the_last_holder_never_deletes_a_ticket_issued_meanwhile():
    first, second, sender = replica(), replica(), conversation()
    held = first.issue_ticket(sender)
    waiting: list[int] = []
    original = first.red.transaction

    def transaction_with_a_ticket_issued_during_it(func, *keys, **options):
        def attempt(pipe):
            result = func(pipe)  # read and changed, not yet written
            if not waiting:
                waiting.append(second.issue_ticket(sender))
            return result

        return original(attempt, *keys, **options)

    first.red.transaction = transaction_with_a_ticket_issued_during_it  # type: ignore[method-assign]
    try:
        first.cleanup(sender, held)
        lock = second.get_lock(sender)
        assert lock is not None, "the lock was deleted with the other replica's ticket"
        assert [t.number for t in lock.tickets] == waiting == [1]
        assert not lock.is_locked(waiting[0])
    finally:
        second.delete_lock(sender)


def _hold_many_times(sender: str, rounds: int, start, results) -> None:
    """One replica: enters the lock of a new conversation each round, at the same moment as the
    other process, and counts the rounds in which the other was inside too."""
    store = replica()
    counter = redis.StrictRedis(host=REDIS[0], port=REDIS[1], db=1)
    overlaps = 0

    async def rounds_of_lock() -> None:
        nonlocal overlaps
        for index in range(rounds):
            start.wait()
            inside = f"{PREFIX}:inside:{sender}:{index}"
            async with store.lock(f"{sender}-{index}", wait_time_in_seconds=0.01):
                if counter.incr(inside) > 1:
                    overlaps += 1
                await asyncio.sleep(0.005)  # inside for a moment, so an overlap would show
                counter.decr(inside)
            counter.expire(inside, 60)

    asyncio.run(rounds_of_lock())
    results.put(overlaps)


def test_two_replicas_entering_at_the_same_moment_take_turns():
    """200 rounds in two processes released together; Rasa's own store overlaps in most of
    them on this machine (458 of 500 when this was written)."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(2, timeout=60), context.Queue()
    sender, rounds = conversation(), 200
    workers = [
        context.Process(target=_hold_many_times, args=(sender, rounds, start, results))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    overlaps = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert overlaps == [0, 0]


def test_a_turn_longer_than_the_ticket_lifetime_keeps_the_lock():
    """A ticket lasted its lifetime from issue: the next message, arriving after that, went in
    beside a turn still running. Now the running turn renews its ticket."""
    first, second, sender = replica(), replica(), conversation()
    lifetime, order = 1.0, []

    async def messages() -> None:
        async with first.lock(sender, lock_lifetime=lifetime, wait_time_in_seconds=0.05):
            order.append("first in")
            # Deliberate: the next message arrives once the first ticket's lifetime is over,
            # and the first turn lasts three lifetimes.
            await asyncio.sleep(1.5 * lifetime)
            following = asyncio.create_task(
                enter(second, sender, order, "second", lock_lifetime=lifetime)
            )
            await asyncio.sleep(1.5 * lifetime)
            order.append("first out")
        await following

    try:
        asyncio.run(messages())
    finally:
        first.delete_lock(sender)
    assert order == ["first in", "first out", "second in"]


def _die_holding(sender: str, lifetime: float, inside) -> None:
    """A replica that takes the lock and never gives it back (until it is killed)."""
    store = replica()

    async def hold() -> None:
        async with store.lock(sender, lock_lifetime=lifetime):
            inside.set()
            await asyncio.Event().wait()

    asyncio.run(hold())


def test_a_replica_killed_holding_the_lock_blocks_it_one_lifetime_at_most():
    """Renewals die with the replica: its ticket then expires and the next message goes in."""
    second, sender, lifetime = replica(), conversation(), 1.0
    context = multiprocessing.get_context("fork")
    inside = context.Event()
    holder = context.Process(target=_die_holding, args=(sender, lifetime, inside))
    holder.start()
    try:
        assert inside.wait(timeout=30), "the first replica never took the lock"
        assert holder.pid is not None
        os.kill(holder.pid, signal.SIGKILL)
        holder.join(timeout=30)
        killed, order = time.monotonic(), []
        asyncio.run(
            asyncio.wait_for(enter(second, sender, order, "second", lock_lifetime=lifetime), 30)
        )
        waited = time.monotonic() - killed
    finally:
        if holder.is_alive():
            holder.kill()
        second.delete_lock(sender)
    assert order == ["second in"]
    # The last renewal was at most a third of a lifetime before the kill.
    assert lifetime / 2 < waited < lifetime + 2, waited


def test_a_replica_whose_clock_runs_ahead_does_not_expire_the_holders_ticket(monkeypatch):
    """Expiry is read on Redis's clock: a replica one hour ahead saw the holder's ticket expired
    and went in beside it."""
    first, second, sender = replica(), replica(), conversation()
    order: list[str] = []
    looks: list[str] = []
    get_lock = second.get_lock

    def look(conversation_id: str):
        looks.append(conversation_id)
        return get_lock(conversation_id)

    second.get_lock = look  # type: ignore[method-assign]
    clock = time.time

    async def messages() -> None:
        async with first.lock(sender, wait_time_in_seconds=0.05):
            order.append("first in")
            monkeypatch.setattr(
                rasa.core.lock, "time", SimpleNamespace(time=lambda: clock() + 3600)
            )
            following = asyncio.create_task(enter(second, sender, order, "second"))
            await wait_until_async(
                lambda: len(looks) >= 5 or following.done(),
                what="the second replica to look at the lock five times",
            )
            order.append("first out")
        await following

    try:
        asyncio.run(messages())
    finally:
        first.delete_lock(sender)
    assert order == ["first in", "first out", "second in"]
