"""The cached SQL tracker store reads back exactly what Rasa's own SQL store reads, turn after turn,
and never serves from memory what the database no longer holds (an erasure, another replica)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import CachedSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
SENDER = "cache-test"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "bot" / "domain"))


def _stores(tmp_path: Path, domain: Domain) -> tuple[CachedSQLTrackerStore, SQLTrackerStore]:
    db = str(tmp_path / "tracker.db")
    cached = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    plain = SQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    return cached, plain


def _state(tracker: DialogueStateTracker | None) -> Any:
    if tracker is None:
        return None
    return [e.as_dict() for e in tracker.events], tracker.current_slot_values()


def _turn(text: str, reply: str, at: float) -> list[Event]:
    return [
        UserUttered(text, {"name": "greet", "confidence": 0.9}, timestamp=at),
        SlotSet("language", "fr", timestamp=at + 0.01),
        ActionExecuted("utter_greet", timestamp=at + 0.02),
        BotUttered(reply, timestamp=at + 0.03),
        ActionExecuted("action_listen", timestamp=at + 0.04),
    ]


def _session(at: float) -> list[Event]:
    return [
        ActionExecuted("action_session_start", timestamp=at),
        SessionStarted(timestamp=at + 0.01),
        ActionExecuted("action_listen", timestamp=at + 0.02),
    ]


async def _play(store: CachedSQLTrackerStore, events: list[Event]) -> None:
    tracker = await store.retrieve(SENDER) or DialogueStateTracker(SENDER, store.domain.slots)
    for event in events:
        tracker.update(event)
    await store.save(tracker)


def test_turn_after_turn_the_same_as_rasas_store_and_served_from_memory(tmp_path, domain):
    cached, plain = _stores(tmp_path, domain)

    async def scenario() -> None:
        await _play(cached, _session(1000.0) + _turn("bonjour", "Bonjour!", 1001.0))
        for turn in range(2, 6):
            hits = cached.hits
            await _play(cached, _turn(f"message {turn}", f"réponse {turn}", 1000.0 + turn))
            assert cached.hits == hits + 1  # read from memory: the rows were unchanged
            assert _state(await cached.retrieve(SENDER)) == _state(await plain.retrieve(SENDER))
        # A new session: only its events are read back, by both stores.
        await _play(cached, _session(2000.0) + _turn("re-bonjour", "Re!", 2001.0))
        again = await cached.retrieve(SENDER)
        assert _state(again) == _state(await plain.retrieve(SENDER))
        assert again is not None and isinstance(list(again.events)[0], SessionStarted)
        assert len(again.events) == 2 + 5  # from SessionStarted on

    asyncio.run(scenario())


def test_another_writer_is_seen(tmp_path, domain):
    cached, _ = _stores(tmp_path, domain)
    other, plain = _stores(tmp_path, domain)  # another replica on the same database

    async def scenario() -> None:
        await _play(cached, _session(1000.0) + _turn("bonjour", "Bonjour!", 1001.0))
        await _play(other, _turn("de l'autre réplique", "Oui", 1002.0))
        assert _state(await cached.retrieve(SENDER)) == _state(await plain.retrieve(SENDER))

    asyncio.run(scenario())


def test_an_erased_conversation_is_never_served_from_memory(tmp_path, domain):
    cached, plain = _stores(tmp_path, domain)

    async def scenario() -> None:
        await _play(
            cached, _session(1000.0) + _turn("mon courriel: ada@exemple.ca", "Merci", 1001.0)
        )
        # The erasure (privacy.tracker.delete_events, run by the action server or the channel).
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": SENDER})
        assert await cached.retrieve(SENDER) is None
        # Deleted, then as many new rows as before (SQLite may reuse the ids): still not the old.
        await _play(cached, _session(3000.0) + _turn("bonjour", "Bonjour!", 3001.0))
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": SENDER})
        fresh = DialogueStateTracker(SENDER, domain.slots)
        for event in _session(4000.0) + _turn("autre chose", "Oui", 4001.0):
            fresh.update(event)
        await plain.save(fresh)
        got = await cached.retrieve(SENDER)
        assert _state(got) == _state(await plain.retrieve(SENDER))
        assert "ada@exemple.ca" not in str(_state(got))

    asyncio.run(scenario())


def test_only_the_most_recent_conversations_are_kept(tmp_path, domain):
    db = str(tmp_path / "tracker.db")
    store = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=db, cached_conversations=2)

    async def scenario() -> None:
        for sender in ("a", "b", "c"):
            tracker = DialogueStateTracker(sender, domain.slots)
            for event in _session(1000.0):
                tracker.update(event)
            await store.save(tracker)
        assert list(store._cache) == ["b", "c"]

    asyncio.run(scenario())


def test_rasa_builds_this_store_from_endpoints_yml(tmp_path, domain, monkeypatch):
    """Rasa falls back to an in-memory store, with a mere warning, when a custom type does not
    import: the configured store must really be this one, on the configured database."""
    from rasa.core.tracker_store import TrackerStore
    from rasa.utils.endpoints import read_endpoint_config

    for name, value in (
        ("TRACKER_STORE_DIALECT", "sqlite"),
        ("TRACKER_STORE_URL", ""),
        ("ACTION_ENDPOINT_URL", "http://127.0.0.1:1/webhook"),
        ("ACTION_SERVER_SECRET", "x" * 20),
        ("LOCK_STORE_TYPE", "in_memory"),
        ("REDIS_HOST", "127.0.0.1"),
        ("REDIS_PORT", "6379"),
        ("REDIS_LOCK_DB", "1"),
    ):
        monkeypatch.setenv(name, value)
    config = read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")
    assert config is not None
    config.kwargs["db"] = str(tmp_path / "configured.db")
    store = TrackerStore.create(config, domain)
    inner = getattr(store, "_tracker_store", store)
    inner = getattr(inner, "_tracker_store", inner)
    assert isinstance(inner, CachedSQLTrackerStore)


def test_an_idle_conversation_is_dropped_from_memory(tmp_path, domain):
    db = str(tmp_path / "tracker.db")
    store = CachedSQLTrackerStore(domain=domain, dialect="sqlite", db=db, idle_seconds=0)

    async def scenario() -> None:
        await _play(store, _session(1000.0))
        hits = store.hits
        assert await store.retrieve(SENDER) is not None
        assert store.hits == hits  # too old already: read from the database
        await _play(store, _session(2000.0))
        other = DialogueStateTracker("other", domain.slots)
        other.update(SessionStarted(timestamp=3000.0))
        await store.save(other)
        assert SENDER not in store._cache

    asyncio.run(scenario())


def test_a_write_between_the_save_and_its_fingerprint_is_not_hidden(tmp_path, domain, monkeypatch):
    """Someone erases the conversation right after this store saved it and before it looked at
    the rows: nothing of it may be served from memory afterwards."""
    cached, plain = _stores(tmp_path, domain)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    original = CachedSQLTrackerStore._fingerprint

    def erased_first(self: CachedSQLTrackerStore, sender_id: str) -> Any:
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM events WHERE sender_id = :s"), {"s": sender_id})
        return original(self, sender_id)

    async def scenario() -> None:
        tracker = DialogueStateTracker(SENDER, domain.slots)
        for event in _session(1000.0) + _turn("mon courriel: ada@exemple.ca", "Merci", 1001.0):
            tracker.update(event)
        monkeypatch.setattr(CachedSQLTrackerStore, "_fingerprint", erased_first)
        await cached.save(tracker)  # saved, erased by someone else, then looked at
        monkeypatch.setattr(CachedSQLTrackerStore, "_fingerprint", original)
        assert SENDER not in cached._cache
        assert await cached.retrieve(SENDER) is None
        assert await plain.retrieve(SENDER) is None

    asyncio.run(scenario())
