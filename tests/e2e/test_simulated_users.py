"""The development set of simulated users (tests/conversations/dev) against the real servers.

What the assistant already does must not get worse: the floors and ceilings below are the
figures measured on 2026-12-03 (before any change for issue 14) with a margin of one persona or
a few turns, and they are printed at every run. Raise them as the assistant improves. Server
errors, silent turns and conversations without the privacy notice are not allowed at all.
"""

from __future__ import annotations

import time

import pytest

from tests.conversations.driver import RestClient, run_personas
from tests.conversations.metrics import measure, summarise
from tests.conversations.personas import load_set

pytestmark = pytest.mark.e2e

# Measured on 2026-12-03 with the model of commit 6d96484's data (scripts/eval_conversations.py).
MEASURED = {
    "fr": {"outcomes": 9, "restarts_and_stops": 1, "wrong_language": 1, "over_three": 3},
    "en": {"outcomes": 7, "restarts_and_stops": 2, "wrong_language": 1, "over_three": 2},
}
# Conversations in which the notice came twice (after a fallback the turn is reverted and the
# notice shown again): 2 per language today; issue 14 wants none.
NOTICE_REPEATED_TODAY = {"fr": 2, "en": 2}
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
    assert (
        summary.unintended_restarts + summary.unintended_stops
        <= today["restarts_and_stops"] + MARGIN_PERSONAS
    ), summary.line(lang)
    assert summary.wrong_language_turns <= today["wrong_language"] + MARGIN_TURNS, summary.line(
        lang
    )
    assert summary.over_three_in_a_row <= today["over_three"] + MARGIN_PERSONAS, summary.line(lang)
    assert summary.notices_over_one <= NOTICE_REPEATED_TODAY[lang], summary.line(lang)


def test_no_server_error_no_silence_and_the_notice_in_every_conversation(dev_run):
    _, metrics, conversations = dev_run
    for item, conversation in zip(metrics, conversations, strict=True):
        assert item.server_errors == 0, conversation.transcript()
        assert item.silent_turns == 0, conversation.transcript()
        assert item.notices >= 1, conversation.transcript()
        assert conversation.error is None, conversation.error
        assert conversation.tracker_read, conversation.persona_id


@pytest.mark.xfail(
    strict=True,
    reason="issue 14: the privacy notice comes again after a fallback; remove this mark when fixed",
)
def test_the_privacy_notice_appears_at_most_once(dev_run):
    _, metrics, conversations = dev_run
    repeated = [c.persona_id for m, c in zip(metrics, conversations, strict=True) if m.notices > 1]
    assert repeated == []
