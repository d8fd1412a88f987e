"""Topics with a meaning beyond search, in one place (no heavy imports: the actions read them).

``HUMAN_TOPICS``: the person's own case needs a human. Entries of these topics orient in general
and the actions then offer a person; the handoff reads such a topic as an integration need; the
search answers two close entries of one such topic with the best rather than refusing.
"""

from __future__ import annotations

HUMAN_TOPICS = frozenset({"immigration", "handoff"})
CRISIS_TOPIC = "crisis"
