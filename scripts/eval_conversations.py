"""Simulated users against the assistant: ``python scripts/eval_conversations.py [--set dev]``.

Starts the servers as the end-to-end tests do (scripts/run.py on spare ports, temporary
databases, the newest trained model), or talks to a running assistant (``--url``, ``--token``),
plays every persona of the set (tests/conversations/<set>/) and prints, per set and language:
the share of personas reaching the expected outcome, questions asked more than twice, unintended
restarts, replies in the wrong language (share of turns) and privacy-notice violations.

The held-out set is only ever reported in aggregate: no transcript, no persona's name or result
leaves this script for it, whatever the options (``--show-worst`` applies to the development
sets, dev, dev2, dev3, dev4 and dev5, only).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conversations.driver import (  # noqa: E402
    MAX_TURNS,
    Conversation,
    RestClient,
    run_personas,
)
from tests.conversations.metrics import Metrics, measure, summarise  # noqa: E402
from tests.conversations.personas import SETS, Persona, load_set, present_sets  # noqa: E402

if TYPE_CHECKING:  # imported by start_servers once the ports are chosen (read at import)
    from tests.e2e.conftest import Launch, Servers

# The sets whose conversations may be shown: the development sets.
HELD_OUT = "heldout"
SHOWABLE = tuple(name for name in SETS if name != HELD_OUT)


class SetResult:
    """A set's figures. For a set other than dev, the conversations and per-persona metrics are
    dropped as soon as they are measured: only the sums can be printed."""

    def __init__(self, name: str, personas: list[Persona], conversations: list[Conversation]):
        self.name = name
        metrics = [measure(p, c) for p, c in zip(personas, conversations, strict=True)]
        self.summaries = summarise(metrics)
        showable = name in SHOWABLE
        self._metrics: list[Metrics] = metrics if showable else []
        self._conversations: list[Conversation] = conversations if showable else []

    def worst(self, count: int) -> list[tuple[Metrics, Conversation]]:
        if self.name not in SHOWABLE:
            raise PermissionError(f"the {self.name} set is reported in aggregate only")
        pairs = sorted(
            zip(self._metrics, self._conversations, strict=True),
            key=lambda pair: pair[0].badness,
            reverse=True,
        )
        return pairs[:count]

    def per_persona(self) -> list[Metrics]:
        if self.name not in SHOWABLE:
            raise PermissionError(f"the {self.name} set is reported in aggregate only")
        return list(self._metrics)


def print_summary(result: SetResult, seconds: float) -> None:
    print(f"\n{result.name} set ({result.summaries['all'].personas} personas, {seconds:.0f} s):")
    for label in ("fr", "en", "all"):
        print(result.summaries[label].line(label))
    for label in sorted(k for k in result.summaries if k.startswith("goal:")):
        summary = result.summaries[label]
        print(f"  {label:<31} n={summary.personas:<3} outcome {summary.outcome_share:6.1%}")
    misread = result.summaries["all"].misread
    if misread:
        fields = ", ".join(f"{name} {count}" for name, count in misread.most_common())
        print(f"  screening answers stored unlike the persona's facts: {fields}")


def print_worst(result: SetResult, count: int) -> None:
    print(f"\nworst {count} conversations of the {result.name} set:")
    for metrics in result.per_persona():
        mark = "ok  " if metrics.outcome else "MISS"
        print(
            f"  {mark} {metrics.persona_id:<40} turns {metrics.turns:<3}"
            f" run {metrics.max_consecutive}"
            f" restarts {metrics.unintended_restarts} stops {metrics.unintended_stops}"
            f" wrong-lang {metrics.wrong_language_turns} notices {metrics.notices}"
            f" ended {metrics.ended_by}  {'; '.join(metrics.why_not)}"
            + (f"  misread: {', '.join(metrics.misread)}" if metrics.misread else "")
        )
    for metrics, conversation in result.worst(count):
        print()
        print(conversation.transcript())
        print(f"   -> {'; '.join(metrics.why_not) or 'outcome reached'}")


def start_servers() -> tuple[Launch, Servers]:
    """The servers as tests/e2e starts them (same script, same settings); stopped at exit."""
    from tests.support.processes import free_port

    # Spare ports unless told (E2E_RASA_PORT, E2E_ACTION_PORT): a test run may hold the usual ones.
    os.environ.setdefault("E2E_RASA_PORT", str(free_port()))
    os.environ.setdefault("E2E_ACTION_PORT", str(free_port()))
    from tests.e2e.conftest import launch

    work = Path(tempfile.mkdtemp(prefix="eval-conversations-"))
    started = launch(work)
    print(f"starting the servers (work folder {work}) …", flush=True)
    return started, started.wait_until_ready()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--set",
        choices=(*SHOWABLE, HELD_OUT, "all"),
        default="dev",
    )
    parser.add_argument("--url", help="a running assistant (else the servers are started)")
    parser.add_argument("--token", help="its Rasa HTTP API token (to read the final slots)")
    parser.add_argument(
        "--database-url", help="its app database, to check the stored handoff dossiers"
    )
    parser.add_argument(
        "--show-worst",
        type=int,
        default=0,
        metavar="N",
        help="print the N worst transcripts of a development set (never of the held-out set)",
    )
    parser.add_argument("--workers", type=int, default=3, help="conversations at a time")
    parser.add_argument("--max-turns", type=int, default=MAX_TURNS)
    args = parser.parse_args(argv)

    names = present_sets() if args.set == "all" else [args.set]
    if args.set == "heldout" and args.show_worst:
        parser.error("--show-worst applies to the dev set only: held-out results are aggregates")
    missing = [name for name in names if name not in present_sets()]
    if missing:
        parser.error(f"no persona set {', '.join(missing)} in this checkout")
    sets = {name: load_set(name) for name in names}

    launched = None
    if args.url:
        client = RestClient(args.url, args.token)
        database_url = args.database_url
    else:
        launched, servers = start_servers()
        client = RestClient(servers.base_url, servers.token)
        database_url = servers.database_url
    try:
        for name, personas in sets.items():
            started = time.monotonic()
            conversations = run_personas(
                personas, client, database_url, workers=args.workers, max_turns=args.max_turns
            )
            result = SetResult(name, personas, conversations)
            del conversations
            print_summary(result, time.monotonic() - started)
            if name in SHOWABLE and args.show_worst:
                print_worst(result, args.show_worst)
    finally:
        if launched is not None:
            launched.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
