"""Rasa's conversation lock, safe when several Rasa replicas share one Redis.

Rasa 3.6's ``RedisLockStore`` changes a lock by reading it, changing it in the process and
writing it back (``issue_ticket``, ``finish_serving``, ``update_lock``), so two replicas that
receive a message of one conversation at the same moment both read "no lock", both take ticket
0 and both hold the lock. Each then reads the same tracker and saves its turn; the SQL tracker
store appends only the events beyond the count it finds in the database, so the second save
drops the first events of its turn: a message answered but not stored (tests/deploy). Rasa Pro
has a ``ConcurrentRedisLockStore`` for this; Rasa OSS has none.

``AtomicRedisLockStore`` keeps Rasa's lock format and ticket rules and makes each change of a
lock one Redis transaction (WATCH the key, read it, MULTI/EXEC the new value, again when another
replica changed the key in between). ``ConversationLockStore`` is what endpoints.yml names: it
builds the in-memory store for one process or this one for replicas, from ``LOCK_STORE_TYPE``.

How long a ticket lives. Rasa gives each ticket a fixed lifetime from its issue
(``TICKET_LOCK_LIFETIME``, 60 s by default) so that a replica that dies holding a lock does not
block its conversation forever; but a turn may last far longer (each custom action call may take
Rasa's 300 s request timeout, nginx's 120 s in deploy/, up to ``MAX_NUMBER_OF_PREDICTIONS`` = 10
actions a turn), and when the holder's ticket expired mid-turn the next message's replica went
in beside it. No fixed lifetime is both short enough for a dead replica and long enough for
every turn, so the lifetime now counts from the last sign of life: while ``lock()`` runs (waiting
or holding), a heartbeat task renews its ticket every third of the lifetime (``RenewedTickets``,
for both stores: one process's in-memory store had the same fault). A live turn keeps its
ticket unless every renewal fails for a whole lifetime (its event loop blocked, or Redis
unreachable, that long); a dead replica's ticket expires one lifetime after its last renewal.
Expiry is read on Redis's clock (``TIME``, in the same transaction as the lock), never on a
replica's: one whose clock runs ahead cannot expire another's ticket, nor one behind keep its own.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from collections.abc import AsyncGenerator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig

from bot.channels.inbound import sender_digest

logger = logging.getLogger(__name__)
T = TypeVar("T")
# The values of endpoints.yml's ``backend`` (``LOCK_STORE_TYPE``).
BACKENDS = ("in_memory", "redis")
# A held ticket is renewed this many times per lifetime: two renewals may fail (a Redis blip, a
# busy event loop) before it expires.
RENEWALS_PER_LIFETIME = 3


class RenewedTickets(LockStore):
    """Rasa's ``lock()`` with a heartbeat: the ticket is renewed while ``lock()`` runs, so it
    expires only one lifetime after its holder stopped (``renew_ticket`` does the renewal)."""

    def renew_ticket(self, conversation_id: str, ticket_number: int, lock_lifetime: float) -> bool:
        """Makes a live ticket expire ``lock_lifetime`` seconds from now.

        Returns:
            False when the ticket had already expired or been removed.
        """
        raise NotImplementedError

    async def _keep_alive(self, conversation_id: str, ticket_number: int, lifetime: float) -> None:
        """Renews a ticket every ``lifetime / RENEWALS_PER_LIFETIME`` until cancelled."""
        while True:
            await asyncio.sleep(lifetime / RENEWALS_PER_LIFETIME)
            try:
                alive = self.renew_ticket(conversation_id, ticket_number, lifetime)
            except Exception as error:  # a Redis blip: the next one may succeed
                logger.warning("Could not renew a lock ticket: %s", error)
                continue
            if not alive:
                logger.error(
                    "The lock ticket of conversation %s expired before it was renewed "
                    "(event loop blocked for over %g s?): another message may be served beside it.",
                    sender_digest(conversation_id),
                    lifetime,
                )
                return

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[TicketLock, None]:
        """Rasa's ``lock()``, whose ticket is renewed while it waits and while it is held.

        Args:
            conversation_id: The conversation to lock.
            lock_lifetime: How long the ticket outlives its last renewal, i.e. how long a
                replica that died holding it blocks the conversation.
            wait_time_in_seconds: The pause between two looks at the lock while waiting.

        Yields:
            The lock, once this ticket is served.

        Raises:
            LockError: the store failed, or the lock vanished while waiting (its ticket
                expired: no renewal went through for a whole lifetime).
        """
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        # Cancelled, it stops at its sleep: never between reading and writing the lock.
        heartbeat = asyncio.create_task(self._keep_alive(conversation_id, ticket, lock_lifetime))
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            heartbeat.cancel()
            self.cleanup(conversation_id, ticket)


class ServerClockTicketLock(TicketLock):
    """A ``TicketLock`` as read from Redis at ``now``, Redis's own time: its tickets expire and
    are issued on that clock, not on the clock of the replica that reads it."""

    tickets: deque[Ticket]

    def __init__(self, lock: TicketLock, now: float) -> None:
        """Wraps ``lock``'s conversation and tickets.

        Args:
            lock: The lock as stored.
            now: Redis's time (seconds since the epoch) when it was read.
        """
        super().__init__(lock.conversation_id, deque(lock.tickets))
        self.now = now

    def issue_ticket(self, lifetime: float) -> int:
        """Issues the next ticket, expiring ``lifetime`` seconds after ``now``."""
        self.remove_expired_tickets()
        number = self.last_issued + 1
        self.tickets.append(Ticket(number, self.now + lifetime))
        return number

    def remove_expired_tickets(self) -> None:
        """Drops the tickets expired at ``now`` (Rasa's rule: expired once past ``expires``)."""
        self.tickets = deque(ticket for ticket in self.tickets if ticket.expires >= self.now)

    def renew(self, ticket_number: int, lifetime: float) -> bool:
        """Moves the expiry of one live ticket to ``lifetime`` seconds after ``now``.

        Returns:
            False when the ticket is gone (expired or removed): it is not issued again, since
            others may have been served in its place.
        """
        self.remove_expired_tickets()
        for ticket in self.tickets:
            if ticket.number == ticket_number:
                ticket.expires = self.now + lifetime
                return True
        return False


def _server_time(reply: tuple[int, int]) -> float:
    """Redis ``TIME``'s (seconds, microseconds) as seconds."""
    seconds, microseconds = reply
    return seconds + microseconds / 1_000_000


class AtomicRedisLockStore(RenewedTickets, RedisLockStore):
    """``RedisLockStore`` whose every read-change-write of a lock is one Redis transaction, on
    Redis's clock, and whose ``lock()`` keeps its ticket alive while it runs."""

    def get_lock(self, conversation_id: str) -> ServerClockTicketLock | None:
        """The stored lock, read together with Redis's time (one MULTI/EXEC)."""
        with self.red.pipeline() as pipe:
            raw, now = pipe.get(self.key_prefix + conversation_id).time().execute()
        if not raw:
            return None
        return ServerClockTicketLock(TicketLock.from_dict(json.loads(raw)), _server_time(now))

    def _change(
        self,
        conversation_id: str,
        change: Callable[[ServerClockTicketLock | None, float], tuple[T, TicketLock | None]],
    ) -> T:
        """Applies ``change`` to the stored lock atomically.

        Args:
            conversation_id: The conversation whose lock changes.
            change: Given the stored lock (None when there is none) and Redis's time, returns a
                result and the lock to store (None: delete the key). It may run more than once:
                it must not have other effects.

        Returns:
            The result of the ``change`` call whose write went through.
        """
        key = self.key_prefix + conversation_id

        def attempt(pipe: Any) -> T:
            # Immediate commands: the pipeline is WATCHing the key.
            raw, now = pipe.get(key), _server_time(pipe.time())
            stored = (
                ServerClockTicketLock(TicketLock.from_dict(json.loads(raw)), now) if raw else None
            )
            result, new = change(stored, now)
            pipe.multi()
            if new is None or not new.tickets:
                pipe.delete(key)
            else:
                # The key outlives its last ticket by a moment only: a lock whose replicas all
                # died leaves nothing behind in Redis.
                last = max(ticket.expires for ticket in new.tickets)
                pipe.set(key, new.dumps(), px=max(1, int((last - now) * 1000)) + 1000)
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issues the next ticket of the conversation's lock (created if missing).

        Raises:
            LockError: Redis failed.
        """

        def issue(lock: ServerClockTicketLock | None, now: float) -> tuple[int, TicketLock]:
            lock = lock or ServerClockTicketLock(self.create_lock(conversation_id), now)
            return lock.issue_ticket(lock_lifetime), lock

        logger.debug("Issuing ticket for conversation %s.", sender_digest(conversation_id))
        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def renew_ticket(self, conversation_id: str, ticket_number: int, lock_lifetime: float) -> bool:
        """Makes a live ticket expire ``lock_lifetime`` seconds from now, on Redis's clock."""

        def renew(lock: ServerClockTicketLock | None, now: float) -> tuple[bool, TicketLock | None]:
            if lock is None:
                return False, None
            return lock.renew(ticket_number, lock_lifetime), lock

        return self._change(conversation_id, renew)

    def update_lock(self, conversation_id: str) -> None:
        """Removes the expired tickets of an existing lock (as Rasa's, without a lost update)."""

        def expire(lock: TicketLock | None, now: float) -> tuple[None, TicketLock | None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return None, lock

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Removes one ticket from an existing lock."""

        def finish(lock: TicketLock | None, now: float) -> tuple[None, TicketLock | None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return None, lock

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Removes the ticket, and the lock when no one else holds a ticket, in one step: a
        ticket issued meanwhile by another replica is never deleted with the lock."""

        def finish(lock: TicketLock | None, now: float) -> tuple[bool, TicketLock | None]:
            if lock is None:
                return False, None
            lock.remove_ticket_for(ticket_number)
            return True, lock if lock.is_someone_waiting() else None

        existed = self._change(conversation_id, finish)
        self._log_deletion(conversation_id, deletion_successful=existed)


class RenewedInMemoryLockStore(RenewedTickets, InMemoryLockStore):
    """Rasa's in-memory store (one process) with renewed tickets: a turn longer than the
    lifetime keeps its conversation from the next message there too."""

    def renew_ticket(self, conversation_id: str, ticket_number: int, lock_lifetime: float) -> bool:
        """Makes a live ticket expire ``lock_lifetime`` seconds from now."""
        lock = self.get_lock(conversation_id)
        if lock is not None:
            lock.remove_expired_tickets()
            for ticket in lock.tickets:
                if ticket.number == ticket_number:
                    ticket.expires = time.time() + lock_lifetime
                    return True
        return False


class ConversationLockStore(LockStore):
    """The lock store endpoints.yml names: Rasa calls it with the ``lock_store`` section and
    gets the store of ``backend`` (``in_memory`` or ``redis``, from ``LOCK_STORE_TYPE``)."""

    def __new__(cls, endpoint_config: EndpointConfig) -> LockStore:  # type: ignore[misc]
        """Builds the store named by ``backend``.

        Args:
            endpoint_config: endpoints.yml's ``lock_store`` section: ``backend``, and for
                Redis ``url`` (the host), ``port``, ``db``, ``key_prefix``, ``password``…

        Returns:
            A ``RenewedInMemoryLockStore`` or an ``AtomicRedisLockStore``.

        Raises:
            ValueError: ``backend`` is neither ``in_memory`` nor ``redis``.
        """
        options = dict(endpoint_config.kwargs)
        backend = options.pop("backend", None)
        if backend == "in_memory":
            return RenewedInMemoryLockStore()
        if backend == "redis":
            return AtomicRedisLockStore(host=endpoint_config.url or "localhost", **options)
        raise ValueError(
            f"lock_store backend (LOCK_STORE_TYPE) must be one of {', '.join(BACKENDS)}, "
            f"not {backend!r}"
        )
