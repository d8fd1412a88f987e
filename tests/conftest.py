"""Shared fixtures (action-test helpers without network, the knowledge base content) and the run
order: tests that need the real servers last, while the servers start."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    slots: dict | None = None,
    text: str = "",
    intent: str | None = None,
    entities: list | None = None,
    metadata: dict | None = None,
    detection: dict | None = None,
    events: list | None = None,
    active_loop: dict | None = None,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    if detection is not None:
        latest["language_detection"] = detection
    return Tracker.from_dict(
        {
            "sender_id": "test-sender",
            "slots": slots or {},
            "latest_message": latest,
            "events": events or [],
            "paused": False,
            "followup_action": None,
            "active_loop": active_loop or {},
            "latest_action_name": "action_listen",
        }
    )


def needs_servers(item: pytest.Item) -> bool:
    """Does the test use the real servers (the ``servers`` fixture of tests/e2e/conftest.py)?"""
    return "servers" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that need the real servers run after the others (each group keeps its order): the
    servers start in the background as the run begins and are ready when those tests come."""
    items[:] = [i for i in items if not needs_servers(i)] + [i for i in items if needs_servers(i)]


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly or session.testsfailed:
        return
    if any(map(needs_servers, session.items)):
        from tests.e2e.conftest import launch_early

        launch_early(session.config)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def kb():
    """The knowledge base's content, loaded once per run (a load takes seconds); read only."""
    from knowledge_base import KnowledgeBase

    return KnowledgeBase.from_directory()


@pytest.fixture(scope="session")
def plain_kb():
    """The knowledge base without its sentence encoder (no search needed): a quicker load."""
    from knowledge_base import KnowledgeBase

    return KnowledgeBase.from_directory(encoder=None)
