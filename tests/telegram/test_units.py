"""The bridge's pieces without a network: rendering, memory, settings, the offset rule."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from bot.telegram.config import BridgeConfig, ConfigError
from bot.telegram.polling import handle_batch
from bot.telegram.rendering import split_message, telegram_length, to_html
from bot.telegram.state import ButtonBook, RecentUpdates, TokenBucket
from bot.telegram.texts import LANGUAGES, catalogue, text


# ---- rendering ---------------------------------------------------------------------------
def test_html_is_escaped_and_lists_become_bullets():
    rendered = to_html("Voici :\n- <b>un</b> & deux\n- trois\nhttps://example.org/a?b=1&c=2")
    assert rendered == (
        "Voici :\n• &lt;b&gt;un&lt;/b&gt; &amp; deux\n• trois\nhttps://example.org/a?b=1&amp;c=2"
    )


def test_a_short_message_is_one_chunk():
    assert split_message("Bonjour!\n\nÇa va?") == ["Bonjour!\n\nÇa va?"]


def test_long_messages_are_split_on_paragraphs_under_telegrams_limit():
    paragraphs = [f"Paragraphe {i} : " + "mot " * 300 for i in range(8)]
    chunks = split_message("\n\n".join(paragraphs))
    assert len(chunks) > 1
    assert all(telegram_length(chunk) <= 4096 for chunk in chunks)
    # No paragraph is cut: every chunk starts at a paragraph's beginning.
    assert all(chunk.startswith("Paragraphe") for chunk in chunks)
    assert "\n\n".join(chunks).replace(" \n", "\n") == "\n\n".join(p.strip() for p in paragraphs)


def test_the_limit_counts_escaped_text_and_utf16_units():
    chunks = split_message("&" * 3000 + "\n\n" + "😀" * 3000)
    assert all(telegram_length(chunk) <= 4096 for chunk in chunks)
    assert "".join(chunks).count("&amp;") == 3000 and "".join(chunks).count("😀") == 3000


def test_one_endless_word_is_cut_anywhere():
    chunks = split_message("x" * 10_000)
    assert [len(c) for c in chunks] == [4096, 4096, 1808]


def test_empty_text_gives_no_message():
    assert split_message(" \n ") == []


# ---- memory ------------------------------------------------------------------------------
def test_an_update_is_handled_once_unless_it_failed():
    recent = RecentUpdates(size=3)
    assert recent.begin(1)
    assert not recent.begin(1)  # a second delivery while the first is running
    recent.finish(1, handled=True)
    assert not recent.begin(1)
    assert recent.begin(2)
    recent.finish(2, handled=False)
    assert recent.begin(2)  # a failed update is handled when delivered again


def test_the_token_bucket_refuses_a_flood_then_refills():
    now = [0.0]
    bucket = TokenBucket(burst=3, per_minute=6, clock=lambda: now[0])
    assert [bucket.take() for _ in range(5)] == [True, True, True, False, False]
    now[0] += 10  # 6 a minute: one more every 10 s
    assert bucket.take() and not bucket.take()


def test_long_payloads_get_short_callback_ids():
    book = ButtonBook(size=2)
    long_payload = '/inform{"project": "' + "é" * 80 + '"}'
    first = book.remember(long_payload)
    assert len(first.encode()) <= 64 and book.payload(first) == long_payload
    book.remember("/a")
    book.remember("/b")
    assert book.payload(first) is None  # forgotten: the bridge says the button expired


def test_every_bridge_text_exists_in_both_languages():
    assert set(catalogue("fr")) == set(catalogue("en"))
    assert "vous" in catalogue("fr")["text_only"]
    both = text("text_only", None)
    assert catalogue("fr")["text_only"] in both and catalogue("en")["text_only"] in both
    assert LANGUAGES == ("fr", "en")


# ---- settings ----------------------------------------------------------------------------
BASE_ENV = {"TELEGRAM_BOT_TOKEN": "1:abc", "BRIDGE_SHARED_SECRET": "s"}


def test_polling_is_the_default_and_rasa_is_local():
    config = BridgeConfig.from_env({**BASE_ENV, "RASA_PORT": "5100"})
    assert config.mode == "polling"
    assert config.rasa_url == "http://127.0.0.1:5100/webhooks/bridge/webhook"
    assert config.base_url is None and config.message_limit == 4096


def test_webhook_mode_reads_its_settings():
    config = BridgeConfig.from_env(
        {
            **BASE_ENV,
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/tg/hook",
            "TELEGRAM_WEBHOOK_SECRET": "abc_DEF-123",
            "TELEGRAM_WEBHOOK_PORT": "8088",
        }
    )
    assert (config.webhook_path, config.webhook_port, config.webhook_listen) == (
        "/tg/hook",
        8088,
        "127.0.0.1",
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"BRIDGE_SHARED_SECRET": "s"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "1:abc"}, "BRIDGE_SHARED_SECRET"),
        ({**BASE_ENV, "TELEGRAM_MODE": "push"}, "TELEGRAM_MODE"),
        ({**BASE_ENV, "TELEGRAM_MODE": "webhook"}, "TELEGRAM_WEBHOOK_URL"),
        (
            {
                **BASE_ENV,
                "TELEGRAM_MODE": "webhook",
                "TELEGRAM_WEBHOOK_URL": "https://x.example/h",
                "TELEGRAM_WEBHOOK_SECRET": "has spaces",
            },
            "TELEGRAM_WEBHOOK_SECRET",
        ),
        ({**BASE_ENV, "TELEGRAM_MAX_MESSAGE_CHARS": "5000"}, "TELEGRAM_MAX_MESSAGE_CHARS"),
    ],
)
def test_missing_or_wrong_settings_name_the_variable(env, complaint):
    with pytest.raises(ConfigError, match=complaint):
        BridgeConfig.from_env(env)


# ---- the offset rule ---------------------------------------------------------------------
class FakeBridge:
    def __init__(self, failing: set[int]) -> None:
        self.failing = failing
        self.order: list[int] = []

    async def process(self, update) -> bool:
        await asyncio.sleep(0)  # lets the other chats' updates run in between, as real I/O does
        self.order.append(update.update_id)
        return update.update_id not in self.failing


def update(update_id: int, chat_id: int):
    return SimpleNamespace(update_id=update_id, effective_chat=SimpleNamespace(id=chat_id))


async def test_the_offset_moves_past_the_batch_when_all_was_handled():
    bridge = FakeBridge(failing=set())
    assert await handle_batch(bridge, [update(5, 1), update(6, 2), update(7, 1)]) == 8


async def test_the_offset_stops_at_the_first_update_not_handled():
    bridge = FakeBridge(failing={6})
    batch = [update(5, 1), update(6, 2), update(7, 1), update(8, 2)]
    assert await handle_batch(bridge, batch) == 6
    # The failed chat waits (no reordering); the other chat went on.
    assert 8 not in bridge.order and {5, 7} <= set(bridge.order)


async def test_the_webhook_refuses_with_codes_not_sentences():
    """Telegram's server is the caller, not a person: a stable code and the status it acts on
    (a 500 makes Telegram deliver the update again)."""
    from aiohttp.test_utils import TestClient, TestServer

    from bot.telegram.webhook import SECRET_HEADER, make_app

    handled: list[int] = []

    async def process(update) -> bool:
        handled.append(update.update_id)
        return update.update_id != 2

    config = SimpleNamespace(webhook_secret="hook-secret", webhook_path="/telegram")  # noqa: S106
    bridge = SimpleNamespace(config=config, bot=None, process=process)
    secret = {SECRET_HEADER: "hook-secret"}
    async with TestClient(TestServer(make_app(bridge))) as client:
        refused = await client.post("/telegram", json={"update_id": 1}, headers={})
        assert (refused.status, await refused.json()) == (403, {"error": "forbidden"})
        garbled = await client.post("/telegram", data=b"{not json", headers=secret)
        assert (garbled.status, await garbled.json()) == (400, {"error": "not_an_update"})
        failed = await client.post("/telegram", json={"update_id": 2}, headers=secret)
        assert (failed.status, await failed.json()) == (500, {"error": "not_handled"})
        accepted = await client.post("/telegram", json={"update_id": 3}, headers=secret)
        assert (accepted.status, await accepted.json()) == (200, {"ok": True})
    assert handled == [2, 3]
