"""endpoints.yml's lock store: LOCK_STORE_TYPE picks the in-memory store or our atomic Redis one,
never Rasa's RedisLockStore (two replicas could hold one lock at once: tests/deploy). No network:
a Redis client connects only when it is first used."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from bot.lock_store import AtomicRedisLockStore, ConversationLockStore, RenewedInMemoryLockStore

ROOT = Path(__file__).resolve().parents[2]


def endpoints_lock_store(monkeypatch, backend: str) -> LockStore:
    for name, value in {
        "LOCK_STORE_TYPE": backend,
        "REDIS_HOST": "redis.example",
        "REDIS_PORT": "6380",
        "REDIS_LOCK_DB": "3",
        "TRACKER_STORE_DIALECT": "sqlite",
        "TRACKER_STORE_URL": "sqlite:///unused.db",
        "ACTION_ENDPOINT_URL": "http://127.0.0.1:1/webhook",
        "ACTION_SERVER_SECRET": "x" * 16,
    }.items():
        monkeypatch.setenv(name, value)
    # As `rasa run --endpoints endpoints.yml` builds it.
    return LockStore.create(read_endpoint_config(str(ROOT / "endpoints.yml"), "lock_store"))


def test_endpoints_give_the_in_memory_store_to_one_process(monkeypatch):
    assert type(endpoints_lock_store(monkeypatch, "in_memory")) is RenewedInMemoryLockStore


def test_endpoints_give_the_atomic_redis_store_to_replicas(monkeypatch):
    store = endpoints_lock_store(monkeypatch, "redis")
    assert type(store) is AtomicRedisLockStore
    connection = store.red.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("redis.example", 6380, 3)
    assert store.key_prefix == "coopilote:lock:"


@pytest.mark.parametrize("backend", [None, "", "Redis", "sql"])
def test_an_unknown_backend_is_refused(backend):
    config = EndpointConfig(url="127.0.0.1", backend=backend)
    with pytest.raises(ValueError, match="LOCK_STORE_TYPE"):
        ConversationLockStore(config)


@pytest.mark.parametrize(
    ("store", "second_goes_in"),
    [(InMemoryLockStore, "beside the first"), (RenewedInMemoryLockStore, "after the first")],
)
async def test_in_one_process_a_turn_longer_than_the_lifetime_keeps_the_lock(store, second_goes_in):
    """Rasa's in-memory tickets expire a lifetime after issue, even mid-turn; ours are renewed."""
    store, lifetime, order = store(), 0.3, []

    async def second_message() -> None:
        async with store.lock("sender-1", lock_lifetime=lifetime, wait_time_in_seconds=0.02):
            order.append("second in")

    async with store.lock("sender-1", lock_lifetime=lifetime, wait_time_in_seconds=0.02):
        order.append("first in")
        # Deliberate: the next message comes once the first ticket's lifetime is over, and the
        # first turn lasts three lifetimes.
        await asyncio.sleep(1.5 * lifetime)
        following = asyncio.create_task(second_message())
        await asyncio.sleep(1.5 * lifetime)
        order.append("first out")
    await following
    expected = {
        "beside the first": ["first in", "second in", "first out"],
        "after the first": ["first in", "first out", "second in"],
    }
    assert order == expected[second_goes_in]
    assert store.get_lock("sender-1") is None
