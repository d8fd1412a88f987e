"""Rasa's SQL tracker store without rebuilding the conversation from its rows on every turn.

Every message makes Rasa 3.6 read the conversation's latest session back from SQL and turn each
row into an event again (``SQLTrackerStore._retrieve``: fetch, ``json.loads``,
``deserialise_events``): 36 % of the Rasa process's CPU in the benchmark once the other costs
were gone (docs/benchmarks.md). This store keeps, for the conversations seen last, the events
of their latest session as the previous turn saved them, and uses them again only while the
database still holds exactly those rows: each read first asks the database for the
conversation's row count, highest row id and latest timestamp (one indexed aggregate query). Any
write by anyone else — another Rasa replica, an erasure by the action server or by the channel
(bot/channels/erasure.py), the retention purge — changes that fingerprint (a deletion the count,
a new row the highest id and timestamp), and the conversation is read from the database as Rasa
always does. What is kept is what the database holds, never more: an erased conversation is
never served from memory.

Kept in memory: at most 200 conversations, each for at most 30 minutes after its last use.
Configured in endpoints.yml (``type: bot.tracker_store.CachedSQLTrackerStore``), with the same
settings as Rasa's ``SQL`` type.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

# Conversations kept (the most recently used): a few hundred events each.
DEFAULT_CACHED_CONVERSATIONS = 200
# A conversation not used for this long is dropped from memory: the database stays the only
# copy of an idle conversation (its retention and erasure apply there).
DEFAULT_IDLE_SECONDS = 30 * 60
Fingerprint = tuple[int, Any, Any]


def latest_session(events: list[Event]) -> list[Event]:
    """The events Rasa's SQL store reads back for the latest session.

    Those whose timestamp is at or after the latest ``SessionStarted`` (all of them when there is
    none), in order: the filter of ``SQLTrackerStore._event_query``.
    """
    starts = [e.timestamp for e in events if isinstance(e, SessionStarted)]
    if not starts:
        return list(events)
    start = max(starts)
    return [e for e in events if e.timestamp >= start]


class CachedSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that reuses a conversation's events while its rows are unchanged."""

    def __init__(
        self,
        *args: Any,
        cached_conversations: int = DEFAULT_CACHED_CONVERSATIONS,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._size = int(cached_conversations)
        self._idle = float(idle_seconds)
        # sender id -> (fingerprint, events, last use on the monotonic clock), oldest use first
        self._cache: OrderedDict[str, tuple[Fingerprint, list[Event], float]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _fingerprint(self, sender_id: str) -> Fingerprint:
        """Row count, highest id and latest timestamp of the conversation's rows."""
        table = self.SQLEvent
        query = sa.select(
            sa.func.count(table.id), sa.func.max(table.id), sa.func.max(table.timestamp)
        ).where(table.sender_id == sender_id)
        with self.session_scope() as session:
            count, highest, latest = session.execute(query).one()
        return int(count), highest, latest

    def _keep(self, sender_id: str, fingerprint: Fingerprint, events: list[Event]) -> None:
        now = time.monotonic()
        with self._lock:
            self._cache[sender_id] = (fingerprint, events, now)
            self._cache.move_to_end(sender_id)
            while self._cache and (
                len(self._cache) > self._size
                or now - next(iter(self._cache.values()))[2] > self._idle
            ):
                self._cache.popitem(last=False)

    def _forget(self, sender_id: str) -> None:
        with self._lock:
            self._cache.pop(sender_id, None)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session, from memory while the database holds the same rows."""
        fingerprint = self._fingerprint(sender_id)
        with self._lock:
            kept = self._cache.get(sender_id)
            fresh = kept is not None and time.monotonic() - kept[2] <= self._idle
            if kept is not None and fresh and kept[0] == fingerprint and self.domain:
                self._cache[sender_id] = (kept[0], kept[1], time.monotonic())
                self._cache.move_to_end(sender_id)
                self.hits += 1
                return DialogueStateTracker.from_events(sender_id, list(kept[1]), self.domain.slots)
        self.misses += 1
        tracker = await super().retrieve(sender_id)
        if tracker is None:
            self._forget(sender_id)
        else:
            # Read after the fingerprint: a write in between makes them differ, a miss next time.
            self._keep(sender_id, fingerprint, list(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Save as Rasa does, then keep what the database now holds for the latest session."""
        try:
            await super().save(tracker)
        except Exception:
            self._forget(tracker.sender_id)
            raise
        try:
            fingerprint = self._fingerprint(tracker.sender_id)
        except Exception as error:  # noqa: BLE001 - the turn is saved; only the cache is lost
            logger.warning("tracker cache not updated: %s", type(error).__name__)
            self._forget(tracker.sender_id)
            return
        events = latest_session(list(tracker.events))
        # Kept only if the database's newest row is this turn's last event: a write or an erasure
        # by someone else between the save and the fingerprint must never be hidden by the cache.
        newest = max((e.timestamp for e in events), default=None)
        if fingerprint[0] == 0 or newest is None or fingerprint[2] != newest:
            self._forget(tracker.sender_id)
            return
        self._keep(tracker.sender_id, fingerprint, events)
