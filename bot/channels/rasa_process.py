"""What the Rasa process gets when it imports one of our channels: installed once.

The log filter (``log_privacy``), the apology when an action fails (``action_outage``), the
action server's answers checked with a validator made once (``action_responses``), and the memory
freed while the model loads handed back to the system (``bot.memory``). Called at the
import of ``rest``, ``socketio`` and ``bridge``, the modules credentials.yml names; it imports
Rasa's core, so nothing outside the Rasa process calls it.
"""

from __future__ import annotations

from typing import Any


def install() -> None:
    """Install the four in this process (each is idempotent)."""
    from bot.channels import action_outage, action_responses, log_privacy

    log_privacy.install()
    action_outage.install()
    action_responses.install()
    release_memory_after_loading()


def release_memory_after_loading() -> None:
    """Wrap Rasa's model loading at server start (``rasa.core.run.load_agent_on_start``, looked
    up when the server starts, after the channels are imported) so that the memory the loading
    freed goes back to the system; idempotent."""
    import functools

    import rasa.core.run

    loading = rasa.core.run.load_agent_on_start
    if getattr(loading, "releases_memory", False):
        return

    @functools.wraps(loading)
    async def load_then_release(*args: Any, **kwargs: Any) -> Any:
        agent = await loading(*args, **kwargs)
        from bot.memory import release_freed_heap

        release_freed_heap("loading the model")
        return agent

    load_then_release.releases_memory = True  # type: ignore[attr-defined]
    rasa.core.run.load_agent_on_start = load_then_release
