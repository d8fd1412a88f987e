"""The end of an erasure runs under the conversation's lock (bot/channels/erasure.py): a message
of the same conversation handled meanwhile by another Rasa replica is wholly before or after it."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from rasa.core.lock_store import InMemoryLockStore

from bot.channels import erasure


async def test_the_deletion_waits_for_a_turn_in_progress(monkeypatch):
    order: list[str] = []
    monkeypatch.setattr(erasure, "_delete_conversation", lambda sender: order.append("delete") or 3)
    store = InMemoryLockStore()
    inside = asyncio.Event()

    async def other_turn() -> None:
        async with store.lock("sender-1"):
            order.append("turn starts")
            inside.set()
            # The other replica takes a while to save its turn (the behaviour under test is
            # that the erasure waits for it, however long).
            await asyncio.sleep(0.3)
            order.append("turn saved")

    turn = asyncio.create_task(other_turn())
    await inside.wait()  # the other replica holds the conversation's lock
    await erasure.finish_erasure("sender-1", store)
    await turn
    assert order == ["turn starts", "turn saved", "delete"]
    assert store.get_lock("sender-1") is None  # released


async def test_without_a_lock_store_it_deletes_at_once(monkeypatch):
    deleted: list[str] = []
    monkeypatch.setattr(erasure, "_delete_conversation", lambda sender: deleted.append(sender) or 1)
    await erasure.finish_erasure("sender-2")
    assert deleted == ["sender-2"]


def test_the_lock_store_is_the_rasa_servers():
    class Ctx:
        agent = type("Agent", (), {"lock_store": "the store"})()

    assert erasure.lock_store_of(type("App", (), {"ctx": Ctx()})()) == "the store"
    assert erasure.lock_store_of(object()) is None


async def test_a_lock_failure_is_logged_without_the_sender(monkeypatch, caplog):
    @asynccontextmanager
    async def broken(conversation_id):
        raise RuntimeError("redis down")
        yield

    store = type("Store", (), {"lock": staticmethod(broken)})()
    await erasure.finish_erasure("secret-sender", store)
    assert "RuntimeError" in caplog.text and "secret-sender" not in caplog.text
