"""Retrieval figures of the knowledge base on the dev sets: ``python scripts/eval_kb.py``.

Thresholds and synonyms are tuned on devset_tuning.yml only; devset_heldout.yml measures them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge_base.evaluation import Result, evaluate, load_cases  # noqa: E402
from knowledge_base.loader import CONTENT_DIR  # noqa: E402
from knowledge_base.search import KnowledgeBase  # noqa: E402

DATA = ROOT / "tests" / "knowledge_base" / "data"
DEVSETS = ("devset_tuning.yml", "devset_heldout.yml")


def _row(label: str, r: Result) -> str:
    return (
        f"  {label:<4} n={r.total:<4} top1={r.rate(r.top1):6.1%}  top3={r.rate(r.top3):6.1%}  "
        f"wrong-confident={r.rate(r.wrong_confident):5.1%}  "
        f"p50={r.percentile(50):5.1f} ms  p95={r.percentile(95):5.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--content", type=Path, default=CONTENT_DIR)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument(
        "--show-misses", action="store_true", help="list the misses of the tuning file only"
    )
    args = parser.parse_args(argv)

    kb = KnowledgeBase.from_directory(args.content)
    print(f"{len(kb)} entries from {args.content}")
    status = 0
    for name in DEVSETS:
        path = args.data / name
        if not path.exists():
            print(f"{name}: missing ({path})")
            status = 1
            continue
        results = evaluate(kb, load_cases(path))
        print(name)
        for label in ("fr", "en", "all"):
            print(_row(label, results[label]))
        if args.show_misses and name == DEVSETS[0]:
            for case, answer, top3 in results["all"].misses:
                print(f"    [{case.lang}] {case.q!r} want={case.expected} got={answer} {top3}")
    return status


if __name__ == "__main__":
    sys.exit(main())
