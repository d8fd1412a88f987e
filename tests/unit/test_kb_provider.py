"""The knowledge base given to actions: built once on first use, or the one a test gives."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa_sdk.executor import ActionExecutor

from bot.actions.kb_provider import KnowledgeBaseProvider, UsesKnowledgeBase


def test_built_on_first_use_and_once_when_asked_at_the_same_time():
    built = []
    started = threading.Event()

    def build():
        started.wait(timeout=5)  # every caller is waiting on the lock by now, or soon
        built.append(object())
        return built[-1]

    provider = KnowledgeBaseProvider(build)
    assert built == []  # nothing built before it is asked for
    with ThreadPoolExecutor(max_workers=4) as pool:
        calls = [pool.submit(provider) for _ in range(4)]
        started.set()
        results = [call.result() for call in calls]
    assert len(built) == 1
    assert all(result is built[0] for result in results)


def test_a_failed_build_is_tried_again_on_the_next_call():
    attempts = []

    def build():
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("database unreachable")
        return "the knowledge base"

    provider = KnowledgeBaseProvider(build)
    with pytest.raises(OSError):
        provider()
    assert provider() == "the knowledge base"
    assert provider() == "the knowledge base" and len(attempts) == 2


async def test_an_action_reads_the_knowledge_base_or_the_provider_it_is_given():
    given = object()
    assert await UsesKnowledgeBase(given).knowledge_base() is given
    provided = await UsesKnowledgeBase(KnowledgeBaseProvider(lambda: given)).knowledge_base()
    assert provided is given


def test_rasa_sdk_builds_every_action_without_a_knowledge_base():
    """The action server's executor instantiates each action with no argument: those that read
    the knowledge base take the process's shared one, and the mix-in is no action of its own."""
    executor = ActionExecutor()
    executor.register_package("bot.actions")
    for name in (
        "action_answer_question",
        "action_tell_more",
        "action_list_resources",
        "action_crisis_help",
        "action_start_screening",
        "action_answer_yes",
        "action_submit_screening",
        "validate_screening_form",
        "validate_handoff_form",
        "action_ask_handoff_organisation",
        "action_submit_handoff",
        "validate_match_profile_form",
        "action_list_partner_projects",
    ):
        action = executor.actions[name].__self__
        assert isinstance(action, UsesKnowledgeBase), name
        assert action._knowledge_base is None, name


async def test_once_built_it_is_read_without_a_thread(monkeypatch):
    """Every turn reads the knowledge base: only the first build goes to a thread."""
    from bot.actions import kb_provider

    hops = []
    real = kb_provider.asyncio.to_thread

    async def counted(function):
        hops.append(function)
        return await real(function)

    monkeypatch.setattr(kb_provider.asyncio, "to_thread", counted)
    provider = KnowledgeBaseProvider(lambda: "the knowledge base")
    action = UsesKnowledgeBase(provider)
    assert provider.built is None
    assert await action.knowledge_base() == "the knowledge base"
    assert await action.knowledge_base() == "the knowledge base"
    assert len(hops) == 1
