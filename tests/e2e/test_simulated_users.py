"""The development set of simulated users (tests/conversations/dev) against the real servers.

What the assistant already does must not get worse: the floors and ceilings below are the
figures measured on 2026-12-03 (after the first changes for issue 14) with a margin of one
persona or a few turns, and they are printed at every run. Raise them as the assistant improves.
Server errors, silent turns, unintended restarts or stops, a question asked more than three times
in a row, and a privacy notice missing or shown twice are not allowed at all.
"""

from __future__ import annotations

import time

import pytest

from tests.conversations.driver import RestClient, run_personas
from tests.conversations.metrics import measure, summarise
from tests.conversations.personas import load_set

pytestmark = pytest.mark.e2e

# Measured on 2026-12-03 (scripts/eval_conversations.py --set dev). Before the changes for
# issue 14 the same set gave fr 9/12, en 7/12, 3 restarts or stops, 2 wrong-language turns,
# 5 questions asked more than three times in a row and 4 repeated notices.
MEASURED = {
    "fr": {"outcomes": 12, "wrong_language": 0},
    "en": {"outcomes": 11, "wrong_language": 0},
}
MARGIN_PERSONAS = 1
MARGIN_TURNS = 2


@pytest.fixture(scope="module")
def dev_run(servers):
    personas = load_set("dev")
    client = RestClient(servers.base_url, servers.token)
    started = time.monotonic()
    conversations = run_personas(personas, client, servers.database_url, workers=3)
    seconds = time.monotonic() - started
    metrics = [measure(p, c) for p, c in zip(personas, conversations, strict=True)]
    summaries = summarise(metrics)
    print(f"\nsimulated users, dev set ({len(personas)} personas, {seconds:.0f} s):")
    for label in ("fr", "en", "all"):
        print(summaries[label].line(label))
    for item in metrics:
        if not item.outcome:
            print(f"  miss {item.persona_id}: {'; '.join(item.why_not)}")
    return summaries, metrics, conversations


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_regression_on_the_development_set(dev_run, lang):
    summary = dev_run[0][lang]
    today = MEASURED[lang]
    assert summary.personas >= 10
    assert summary.outcomes >= today["outcomes"] - MARGIN_PERSONAS, summary.line(lang)
    assert summary.unintended_restarts + summary.unintended_stops == 0, summary.line(lang)
    assert summary.wrong_language_turns <= today["wrong_language"] + MARGIN_TURNS, summary.line(
        lang
    )
    assert summary.over_three_in_a_row == 0, summary.line(lang)


def test_no_server_error_no_silence_and_the_notice_in_every_conversation(dev_run):
    _, metrics, conversations = dev_run
    for item, conversation in zip(metrics, conversations, strict=True):
        assert item.server_errors == 0, conversation.transcript()
        assert item.silent_turns == 0, conversation.transcript()
        assert item.notices >= 1, conversation.transcript()
        assert conversation.error is None, conversation.error
        assert conversation.tracker_read, conversation.persona_id


def test_the_privacy_notice_appears_at_most_once(dev_run):
    _, metrics, conversations = dev_run
    repeated = [c.persona_id for m, c in zip(metrics, conversations, strict=True) if m.notices > 1]
    assert repeated == []
