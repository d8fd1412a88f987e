"""What the Rasa process gets when it imports one of our channels: installed once.

The log filter (``log_privacy``), the apology when an action fails (``action_outage``) and the
action server's answers checked with a validator made once (``action_responses``). Called at the
import of ``rest``, ``socketio`` and ``bridge``, the modules credentials.yml names; it imports
Rasa's core, so nothing outside the Rasa process calls it.
"""

from __future__ import annotations


def install() -> None:
    """Install the three in this process (each is idempotent)."""
    from bot.channels import action_outage, action_responses, log_privacy

    log_privacy.install()
    action_outage.install()
    action_responses.install()
