"""The end of an erasure on request, done by the channel once Rasa has saved the turn.

``action_erase_my_data`` erases the person's data, then sends ``{ERASURE_MARKER: true}`` as a
custom message. Rasa then saves the turn, which writes the conversation's events back into the
tracker store (its SQL store re-inserts every event it no longer finds). The channel drops the
marker from the replies and, after ``on_new_message`` returns (the turn saved), deletes this
sender's events once more.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

logger = logging.getLogger(__name__)
ERASURE_MARKER = "coopilote_erasure_done"


def is_marker(message: Any) -> bool:
    """A reply (REST collector dict) or custom payload that is the erasure marker."""
    if not isinstance(message, dict):
        return False
    custom = message.get("custom", message)
    return isinstance(custom, dict) and custom.get(ERASURE_MARKER) is True


def _delete_conversation(sender_id: str) -> int:
    from privacy import tracker

    with tracker.tracker_connection() as connection:
        if connection is None:
            return 0
        return tracker.delete_events(connection, [sender_id])[1]


def lock_store_of(app: Any) -> Any:
    """The Rasa server's conversation lock store (None outside a Rasa server)."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    return getattr(agent, "lock_store", None)


async def finish_erasure(sender_id: str, lock_store: Any = None) -> None:
    """Delete what the saved turn wrote back; logged with a count, never the sender id.

    Under the conversation's lock when ``lock_store`` is given: a message of the same conversation
    handled meanwhile (by another Rasa replica) is then wholly before or wholly after the deletion,
    never half deleted."""
    try:
        if lock_store is None:
            events = await asyncio.to_thread(_delete_conversation, sender_id)
        else:
            async with lock_store.lock(sender_id):
                events = await asyncio.to_thread(_delete_conversation, sender_id)
    except Exception as error:  # noqa: BLE001 - the retention purge still removes it later
        logger.error("erasure: the conversation's last turn not deleted: %s", type(error).__name__)
        return
    logger.info("erasure: %d events of the last turn deleted", events)
