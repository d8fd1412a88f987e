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
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
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


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose every read-change-write of a lock is one Redis transaction."""

    def _change(
        self,
        conversation_id: str,
        change: Callable[[TicketLock | None], tuple[T, TicketLock | None]],
    ) -> T:
        """Applies ``change`` to the stored lock atomically.

        Args:
            conversation_id: The conversation whose lock changes.
            change: Given the stored lock (None when there is none), returns a result and the
                lock to store (None: delete the key). It may run more than once: it must not
                have other effects.

        Returns:
            The result of the ``change`` call whose write went through.
        """
        key = self.key_prefix + conversation_id

        def attempt(pipe: Any) -> T:
            raw = pipe.get(key)  # immediate: the pipeline is WATCHing the key
            stored = TicketLock.from_dict(json.loads(raw)) if raw else None
            result, new = change(stored)
            pipe.multi()
            if new is None:
                pipe.delete(key)
            else:
                pipe.set(key, new.dumps())
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issues the next ticket of the conversation's lock (created if missing).

        Raises:
            LockError: Redis failed.
        """

        def issue(lock: TicketLock | None) -> tuple[int, TicketLock]:
            lock = lock or self.create_lock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock

        logger.debug("Issuing ticket for conversation %s.", sender_digest(conversation_id))
        try:
            return self._change(conversation_id, issue)
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        """Removes the expired tickets of an existing lock (as Rasa's, without a lost update)."""

        def expire(lock: TicketLock | None) -> tuple[None, TicketLock | None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return None, lock

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Removes one ticket from an existing lock."""

        def finish(lock: TicketLock | None) -> tuple[None, TicketLock | None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return None, lock

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Removes the ticket, and the lock when no one else holds a ticket, in one step: a
        ticket issued meanwhile by another replica is never deleted with the lock."""

        def finish(lock: TicketLock | None) -> tuple[bool, TicketLock | None]:
            if lock is None:
                return False, None
            lock.remove_ticket_for(ticket_number)
            return True, lock if lock.is_someone_waiting() else None

        existed = self._change(conversation_id, finish)
        self._log_deletion(conversation_id, deletion_successful=existed)


class ConversationLockStore(LockStore):
    """The lock store endpoints.yml names: Rasa calls it with the ``lock_store`` section and
    gets the store of ``backend`` (``in_memory`` or ``redis``, from ``LOCK_STORE_TYPE``)."""

    def __new__(cls, endpoint_config: EndpointConfig) -> LockStore:  # type: ignore[misc]
        """Builds the store named by ``backend``.

        Args:
            endpoint_config: endpoints.yml's ``lock_store`` section: ``backend``, and for
                Redis ``url`` (the host), ``port``, ``db``, ``key_prefix``, ``password``…

        Returns:
            An ``InMemoryLockStore`` or an ``AtomicRedisLockStore``.

        Raises:
            ValueError: ``backend`` is neither ``in_memory`` nor ``redis``.
        """
        options = dict(endpoint_config.kwargs)
        backend = options.pop("backend", None)
        if backend == "in_memory":
            return InMemoryLockStore()
        if backend == "redis":
            return AtomicRedisLockStore(host=endpoint_config.url or "localhost", **options)
        raise ValueError(
            f"lock_store backend (LOCK_STORE_TYPE) must be one of {', '.join(BACKENDS)}, "
            f"not {backend!r}"
        )
