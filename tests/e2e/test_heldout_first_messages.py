"""Held-out first messages (tests/heldout/, never used for training): right language, no fallback.

Each line is the first message of a new conversation. A reply counts as French or English only
when it equals a domain variation for that language; the fallback does not count as an answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.domain_texts import classify
from tests.e2e.conftest import texts

pytestmark = pytest.mark.e2e

HELDOUT = Path(__file__).resolve().parents[1] / "heldout"
TARGET = 0.95
FALLBACKS = {"utter_default", "utter_kb_unavailable", None}


def score(servers, language: str) -> tuple[float, list[str]]:
    lines = (HELDOUT / f"first_messages_{language}.txt").read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if line.strip()]
    misses = []
    for line in lines:
        answers = [classify(t) or (None, None) for t in texts(servers.send(line))]
        good = answers and all(lang == language and name not in FALLBACKS for name, lang in answers)
        if not good:
            misses.append(f"{line!r} -> {answers}")
    return 1 - len(misses) / len(lines), misses


@pytest.mark.parametrize("language", ["fr", "en"])
def test_heldout_first_messages(servers, language):
    rate, misses = score(servers, language)
    print(
        f"\nheld-out first messages [{language}]: {rate:.1%} in the right language without "
        f"fallback (target {TARGET:.0%}); misses: {len(misses)}"
    )
    for miss in misses:
        print(f"  miss: {miss}")
    assert rate >= TARGET, "\n".join(misses)
