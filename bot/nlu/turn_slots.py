"""Fill the ``language`` slot inside Rasa, without an action-server round trip on every turn.

Rasa calls ``action_validate_slot_mappings`` on the action server after every user message,
because the domain has custom slot mappings. Ours only sets the answer language (from the
``language_detection`` that bot/nlu/language_guard.py adds to the parse data) and, on the first
turn of a conversation, sends the privacy notice. Once the notice is recorded, this module makes
the same language decision in the Rasa process (``bot.language.choice.choice_for_message``, the
function the action uses) and skips the call; until then the action runs as before.

``install()`` wraps ``ActionExtractSlots._execute_validation_action`` (Rasa 3.6); LanguageGuard
calls it when Rasa loads the model. Any other Rasa version leaves the action server doing it all.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.language.choice import choice_for_message

logger = logging.getLogger(__name__)

# bot/actions/privacy_requests.py: the notice version recorded once the notice was sent.
NOTICE_SLOT = "privacy_notice_version"
LANGUAGE_SLOTS = ("language", "language_source")
_VALIDATE = "action_validate_slot_mappings"


def needs_action_server(tracker: Any) -> bool:
    """Whether ``action_validate_slot_mappings`` has something only it can do on this turn:
    the privacy notice is not recorded yet (first turn, or after a restart)."""
    return not tracker.get_slot(NOTICE_SLOT)


def language_events(tracker: Any) -> list[Any]:
    """The ``SlotSet`` events the action would return for the language slots."""
    from rasa.shared.core.events import SlotSet

    message = tracker.latest_message.parse_data if tracker.latest_message else {}
    choice = choice_for_message(
        message, tracker.get_slot("language"), tracker.get_slot("language_source")
    )
    return [SlotSet("language", choice.language), SlotSet("language_source", choice.source)]


def install() -> bool:
    """Wrap Rasa's slot extraction once; False (nothing changed) on a Rasa it was not made for."""
    try:
        import rasa
        from rasa.core.actions.action import ActionExtractSlots
        from rasa.shared.core.events import SlotSet
    except ImportError:
        return False
    if not rasa.__version__.startswith("3.6."):
        logger.warning("Rasa %s: the language slot is set by the action server", rasa.__version__)
        return False
    original = ActionExtractSlots._execute_validation_action
    if getattr(original, "_coopilote", False):
        return True

    async def execute_validation_action(
        self: Any,
        extraction_events: list[Any],
        output_channel: Any,
        nlg: Any,
        tracker: Any,
        domain: Any,
    ) -> list[Any]:
        if _VALIDATE not in domain.user_actions or needs_action_server(tracker):
            return await original(self, extraction_events, output_channel, nlg, tracker, domain)
        # The action would return the language slots and leave the other candidates as they are
        # (it has no validate_<slot> method).
        candidates = [
            event
            for event in extraction_events
            if isinstance(event, SlotSet) and event.key not in LANGUAGE_SLOTS
        ]
        return [*language_events(tracker), *candidates]

    execute_validation_action._coopilote = True  # type: ignore[attr-defined]
    ActionExtractSlots._execute_validation_action = execute_validation_action  # type: ignore[method-assign]
    return True
