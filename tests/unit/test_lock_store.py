"""endpoints.yml's lock store: LOCK_STORE_TYPE picks the in-memory store or our atomic Redis one,
never Rasa's RedisLockStore (two replicas could hold one lock at once: tests/deploy). No network:
a Redis client connects only when it is first used."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from bot.lock_store import AtomicRedisLockStore, ConversationLockStore

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
    assert type(endpoints_lock_store(monkeypatch, "in_memory")) is InMemoryLockStore


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
