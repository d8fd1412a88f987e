"""The memory a process freed while loading goes back to the system (bot/memory.py), in the
Rasa process right after the model has loaded."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import pytest

from bot import memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_freed_heap_is_handed_back() -> None:
    before = memory.resident_mib()
    assert before is not None and before > 10
    # Blocks of 4 KiB come from glibc's heap (Python's own allocator keeps the small ones); one
    # in ten kept alive leaves holes that glibc does not hand back by itself.
    blocks: list[Any] = [bytes(4096) for _ in range(40_000)]
    grown = memory.resident_mib()
    assert grown is not None and grown > before + 100
    kept = blocks[::10]
    del blocks
    released = memory.release_freed_heap("the test's blocks")
    assert released is not None and released > 50
    assert len(kept) == 4_000


def test_the_model_loading_is_followed_by_the_release(monkeypatch) -> None:
    import rasa.core.run

    from bot.channels import rasa_process

    calls: list[str] = []

    async def loading(*args: Any, **kwargs: Any) -> str:
        calls.append("loaded")
        return "agent"

    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", loading)
    monkeypatch.setattr(memory, "release_freed_heap", lambda after: calls.append(after))
    rasa_process.release_memory_after_loading()
    rasa_process.release_memory_after_loading()  # installed once, whatever the number of calls
    wrapped = rasa.core.run.load_agent_on_start
    assert wrapped is not loading
    assert asyncio.run(wrapped("model", None, None, None, None)) == "agent"
    assert calls == ["loaded", "loading the model"]
