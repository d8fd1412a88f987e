"""Direct access to Rasa's SQL tracker store (table ``events``), SQLite or PostgreSQL.

Rasa's HTTP API cannot delete a conversation, so destruction happens in the store itself. The
table layout is Rasa's ``SQLTrackerStore.SQLEvent``: id, sender_id, type_name, timestamp
(epoch seconds), intent_name, action_name, data (the event as JSON text).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from privacy.config import tracker_store_url
from privacy.records import flush_sqlite_journal, overwrite_deleted

EVENTS = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("sender_id", sa.String),
    sa.column("type_name", sa.String),
    sa.column("timestamp", sa.Float),
    sa.column("intent_name", sa.String),
    sa.column("action_name", sa.String),
    sa.column("data", sa.Text),
)
# Keeps IN lists well below SQLite's and PostgreSQL's parameter limits.
CHUNK = 500
SQLITE_BUSY_TIMEOUT_S = 10
CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class ConversationEvent:
    """One event of a conversation, reduced to what a person's export needs."""

    type: str
    at: str | None
    text: str | None = None
    intent: str | None = None
    slot: str | None = None
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        """The fields this event type uses, so that an export reads easily."""
        document: dict[str, Any] = {"type": self.type, "at": self.at}
        if self.type == "slot":
            document.update(slot=self.slot, value=self.value)
        else:
            document["text"] = self.text
            if self.type == "user":
                document["intent"] = self.intent
        return document


def _engine(url: str) -> Engine | None:
    """An engine on the store, or None when a SQLite store was never created (nothing held)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not Path(path).exists():
            return None
        return sa.create_engine(url, future=True, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
    return sa.create_engine(
        url, future=True, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}
    )


@contextmanager
def tracker_connection(url: str | None = None) -> Iterator[Connection | None]:
    """A transaction on the tracker store; None when the store holds no ``events`` table yet."""
    engine = _engine(url or tracker_store_url())
    if engine is None:
        yield None
        return
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table("events"):
                yield None
                return
            overwrite_deleted(connection)
            yield connection
        flush_sqlite_journal(engine)
    finally:
        engine.dispose()


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    items = sorted(set(values))
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def last_activity(connection: Connection) -> dict[str, float]:
    """Each sender's latest event time (epoch seconds)."""
    query = sa.select(EVENTS.c.sender_id, sa.func.max(EVENTS.c.timestamp)).group_by(
        EVENTS.c.sender_id
    )
    return {sender: float(last or 0.0) for sender, last in connection.execute(query)}


def count_events(connection: Connection, senders: Iterable[str]) -> int:
    """How many events the tracker store holds for these senders."""
    total = 0
    for chunk in _chunks(senders):
        query = sa.select(sa.func.count()).select_from(EVENTS)
        total += connection.execute(query.where(EVENTS.c.sender_id.in_(chunk))).scalar_one()
    return total


def delete_events(connection: Connection, senders: Iterable[str]) -> tuple[int, int]:
    """Delete every event of these senders: (conversations that had events, events deleted)."""
    conversations = events = 0
    for chunk in _chunks(senders):
        present = connection.execute(
            sa.select(EVENTS.c.sender_id).where(EVENTS.c.sender_id.in_(chunk)).distinct()
        ).all()
        conversations += len(present)
        result = connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk)))
        events += result.rowcount or 0
    return conversations, events


def _iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).isoformat()


def _event(type_name: str, timestamp: float | None, raw: str | None) -> ConversationEvent | None:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    at = _iso(timestamp)
    if type_name == "user":
        intent = (data.get("parse_data") or {}).get("intent") or {}
        return ConversationEvent("user", at, text=data.get("text"), intent=intent.get("name"))
    if type_name == "bot":
        return ConversationEvent("bot", at, text=data.get("text"))
    if type_name == "slot":
        return ConversationEvent("slot", at, slot=data.get("name"), value=data.get("value"))
    return None


def conversation(connection: Connection, sender_id: str) -> list[ConversationEvent]:
    """The user and bot messages and the slot values of one sender, oldest first."""
    query = (
        sa.select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data)
        .where(EVENTS.c.sender_id == sender_id)
        .order_by(EVENTS.c.timestamp, EVENTS.c.id)
    )
    events = (_event(*row) for row in connection.execute(query))
    return [event for event in events if event is not None]
