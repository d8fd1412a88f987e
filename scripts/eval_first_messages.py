"""Held-out first messages, v2 (tests/heldout/first_messages_v2_*): aggregates only.

Each line is sent as the first message of a new conversation through the REST channel; the
replies are read as a person would see them (tests/domain_texts.py) and scored on three counts:
- answered in the right language without the fallback (what the v1 test checks);
- the right kind of answer for what the line asks, by the label written with it
  (``screening``: the questionnaire starts or is offered with its button; ``human``: the request
  for a person starts; ``question``: an answer, suggestions, resources or crisis help;
  ``greeting``: the welcome with its choices, or any of the above);
- per class, how many were right.
No line and no per-line result is printed: the set is held out (never tune on it).

``--set dev3`` runs a development set instead (tests/dev/first_messages_dev3_*, written blind on
2026-12-05: one message, a tab, its label per line) and prints each line it got wrong.

    .venv/bin/python scripts/eval_first_messages.py --url http://localhost:5005
    .venv/bin/python scripts/eval_first_messages.py --url http://localhost:5005 --set dev3
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.domain_texts import NOTICE, classify  # noqa: E402

HELDOUT = ROOT / "tests" / "heldout"
DEV = ROOT / "tests" / "dev"
ARROW = " ⟶ "
FALLBACKS = {"utter_default", "utter_kb_unavailable", None}
SCREENING = (
    "utter_ask_screening_form",
    "utter_screening_intro",
    "utter_offer_screening",
    "utter_screening_confirm",
)
HUMAN = ("utter_ask_handoff", "utter_handoff_explain")
QUESTION = ("utter_kb_answer", "utter_kb_suggestions", "utter_resources", "utter_crisis")


def kind_of(names: list[str]) -> set[str]:
    found = set()
    for name in names:
        if name.startswith(SCREENING):
            found.add("screening")
        elif name.startswith(HUMAN):
            found.add("human")
        elif name.startswith(QUESTION):
            found.add("question")
        elif name == "utter_greet":
            found.add("greeting")
    return found


def labelled(language: str, name: str = "heldout") -> list[tuple[str, str]]:
    if name != "heldout":
        path = DEV / f"first_messages_{name}_{language}.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
        return [tuple(line.rsplit("\t", 1)) for line in lines if "\t" in line]  # type: ignore[misc]
    path = HELDOUT / f"first_messages_v2_{language}.labels.txt"
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or ARROW not in line:
            continue
        text, label = line.rsplit(ARROW, 1)
        pairs.append((text.strip(), label.strip()))
    return pairs


def send(url: str, text: str) -> requests.Response:
    """``text`` as the first message of a new conversation; waits out the per-address limit
    (60 messages a minute by default, CHAT_MAX_PER_MINUTE_ADDRESS) when the assistant says so."""
    body = {"sender": f"eval-first-{uuid.uuid4().hex[:12]}", "message": text}
    for _ in range(5):
        reply = requests.post(f"{url}/webhooks/rest/webhook", json=body, timeout=120)
        if reply.status_code != 429:
            break
        time.sleep(float(reply.headers.get("Retry-After", "60")))
    reply.raise_for_status()
    return reply


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--set", default="heldout", choices=("heldout", "dev3"))
    args = parser.parse_args(argv)
    for language in ("fr", "en"):
        pairs = labelled(language, args.set)
        clean = right = 0
        per_class: Counter[str] = Counter()
        right_class: Counter[str] = Counter()
        for text, label in pairs:
            reply = send(args.url, text)
            found: list[tuple[str | None, str | None]] = [
                classify(r["text"]) or (None, None) for r in reply.json() if "text" in r
            ]
            found = [(name, lang) for name, lang in found if name != NOTICE]
            names = [name for name, _ in found]
            ok_lang = bool(found) and all(
                lang == language and name not in FALLBACKS for name, lang in found
            )
            kinds = kind_of([n for n in names if n])
            ok_kind = label in kinds or (label == "greeting" and bool(kinds))
            clean += ok_lang
            right += ok_lang and ok_kind
            per_class[label] += 1
            right_class[label] += ok_lang and ok_kind
            if args.set != "heldout" and not (ok_lang and ok_kind):  # a dev set: say which
                print(f"  miss [{label}] {text}\n    -> {names}")
        n = len(pairs)
        classes = ", ".join(f"{c} {right_class[c]}/{per_class[c]}" for c in sorted(per_class))
        print(
            f"[{language}] n={n}  right language, no fallback: {clean / n:.1%}  "
            f"right kind of answer: {right / n:.1%}  ({classes})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
