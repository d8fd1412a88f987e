"""The knowledge base an action reads: the one it was given, else the process's own, built once.

rasa_sdk's ``ActionQueryKnowledgeBase`` receives its knowledge base in the constructor; ours do
too. The SDK's executor builds every action with no argument, so an action given none reads
``shared_knowledge_base``: built on first use (index, sentence vectors, classifier) and kept.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from rasa_sdk.executor import CollectingDispatcher

from bot.actions.errors import log_failure

if TYPE_CHECKING:  # at run time, imported when first built (the search loads bm25s and spaCy)
    from knowledge_base import KnowledgeBase


def _from_database() -> KnowledgeBase:
    from knowledge_base import KnowledgeBase

    return KnowledgeBase.from_database()


class KnowledgeBaseProvider:
    """A knowledge base built by ``build`` on the first call, then the same one for every call.

    A failed build raises and is tried again on the next call (the database may be back).
    """

    def __init__(self, build: Callable[[], KnowledgeBase] = _from_database) -> None:
        self._build = build
        self._built: KnowledgeBase | None = None
        self._lock = threading.Lock()

    @property
    def built(self) -> KnowledgeBase | None:
        """The knowledge base once built, else None (read without waiting for a build)."""
        return self._built

    def __call__(self) -> KnowledgeBase:
        with self._lock:  # two first turns at once must not build it twice
            if self._built is None:
                self._built = self._build()
            return self._built


# The action server's: what every action given no knowledge base reads, and warm_up() builds.
shared_knowledge_base = KnowledgeBaseProvider()


class UsesKnowledgeBase:
    """For an action that reads the knowledge base: mix in before rasa_sdk's ``Action``.

    Not an ``Action`` itself, so that rasa_sdk does not register it as one.

    Args:
        knowledge_base: the one to read, or a provider that builds it on first use (tests give
            theirs); None, as rasa_sdk builds actions, reads ``shared_knowledge_base``.
    """

    def __init__(self, knowledge_base: KnowledgeBase | KnowledgeBaseProvider | None = None) -> None:
        self._knowledge_base = knowledge_base

    async def knowledge_base(self) -> KnowledgeBase:
        """The knowledge base given, else the one its provider builds (in a thread: the first
        build reads the database and loads spaCy, and the event loop keeps serving meanwhile).

        Raises:
            Exception: whatever building it raised (the database unreachable, …).
        """
        given = shared_knowledge_base if self._knowledge_base is None else self._knowledge_base
        if isinstance(given, KnowledgeBaseProvider):
            # Once built, every turn reads it directly: a thread only for the first build.
            built = given.built
            return built if built is not None else await asyncio.to_thread(given)
        return given

    async def knowledge_base_or_apology(
        self, dispatcher: CollectingDispatcher
    ) -> KnowledgeBase | None:
        """The knowledge base; None when it cannot be built, after the person is told so.

        The failure is logged under the action's module, with its type and place only.
        """
        try:
            return await self.knowledge_base()
        except Exception as error:  # noqa: BLE001 - the user gets a clear message instead
            log_failure(
                logging.getLogger(type(self).__module__), "knowledge base unavailable", error
            )
            dispatcher.utter_message(response="utter_kb_unavailable")
            return None
