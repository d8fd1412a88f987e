"""The action server's share of a cold start: building the knowledge base as its warm-up does
(the same ``KnowledgeBase``, default encoder, from the content files where the server reads the
same entries from the app database), with the cache of analysed texts empty (cold) and filled
(warm), each in a fresh process, and the memory (RSS) after it.

Per run: the build's time and how many texts spaCy lemmatised, RSS after the build, the time to
load what a question needs (``prepare_queries``: spaCy, stop words), RSS then, and the latency
of the first questions. The passage vectors are cached in both modes, as they are on any start
after the first (a first run fills them, unmeasured). Not part of the tests:
``.venv/bin/python scripts/bench_kb_start.py [--runs 3] [--cache DIR]`` (default cache folder:
a throw-away copy of var/cache's passage vectors, so var/cache is left alone).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The first one also loads what the build left for later (the encoder's model; spaCy without
# the warm-up); the others are timed after it.
QUESTIONS = [
    ("Comment fonder une coopérative de travail?", "fr"),
    ("c'est quoi la réserve impartageable", "fr"),
    ("How do I start a worker co-op?", "en"),
    ("Can newcomers get a startup grant?", "en"),
    ("aide pour les jeunes entrepreneurs à Montréal", "fr"),
    ("Combien de membres faut-il pour une coop?", "fr"),
    ("what is a solidarity cooperative", "en"),
    ("Je veux ouvrir une épicerie coopérative à Québec", "fr"),
    ("who can help me write a business plan", "en"),
    ("est-ce que je peux être membre avec un permis de travail fermé", "fr"),
    ("How are surpluses shared in a co-op?", "en"),
]


def child(lazy: bool) -> None:
    """One start, in this process: print its figures as JSON. ``lazy``: no warm-up for questions
    (spaCy then loads at the first question)."""
    import psutil

    rss = lambda: psutil.Process().memory_info().rss / 2**20  # noqa: E731
    began = time.perf_counter()
    from knowledge_base.search import KnowledgeBase
    from knowledge_base.text import lemmatised_count

    imported, cpu_imported = time.perf_counter(), time.process_time()
    kb = KnowledgeBase.from_directory()
    built, cpu_built = time.perf_counter(), time.process_time()
    spacy_loaded = "spacy" in sys.modules
    lemmatised = lemmatised_count()
    rss_built = rss()
    if not lazy:
        kb.prepare_queries()
    prepared, cpu_prepared = time.perf_counter(), time.process_time()
    rss_prepared = rss()
    latencies = []
    for question, lang in QUESTIONS:
        start = time.perf_counter()
        kb.best(question, lang)
        latencies.append((time.perf_counter() - start) * 1000)
    print(
        json.dumps(
            {
                "import_s": imported - began,
                "build_s": built - imported,
                "build_cpu_s": cpu_built - cpu_imported,
                "lemmatised": lemmatised,
                "spacy_at_build": spacy_loaded,
                "rss_built": rss_built,
                "prepare_s": prepared - built,
                "prepare_cpu_s": cpu_prepared - cpu_built,
                "rss_prepared": rss_prepared,
                "first_question_ms": latencies[0],
                "question_ms_median": statistics.median(latencies[1:]),
                "question_ms_max": max(latencies[1:]),
            }
        )
    )


def run_child(cache: Path, lazy: bool = False) -> dict:
    env = {**os.environ, "COOPILOTE_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, __file__, "--child", *(["--lazy"] if lazy else [])]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"a measured start failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, help="cache folder to use (default: a temporary one)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--lazy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.lazy)
        return 0
    cache = args.cache or Path(tempfile.mkdtemp(prefix="kb-start-"))
    for vectors in (ROOT / "var" / "cache").glob("kb-[pq]*-*.npz"):  # passages, queries
        if not (cache / vectors.name).exists():
            cache.mkdir(parents=True, exist_ok=True)
            shutil.copy2(vectors, cache / vectors.name)
    print(f"cache folder {cache}; filling the passage vectors if needed (unmeasured) …")
    run_child(cache)
    load_before = os.getloadavg()[0]
    rows = []
    # Cold and warm in turn, so that a change in the machine's load touches both alike; one lazy
    # run last shows what the warm-up for questions saves the first question.
    modes = [m for _ in range(args.runs) for m in (("cold", False), ("warm", False))]
    lazy_mode = "warm, no warm-up for questions"
    for i, (mode, lazy) in enumerate([*modes, (lazy_mode, True)]):
        if mode == "cold":
            for analyses in cache.glob("kb-analysis-*.json"):
                analyses.unlink()
        rows.append((mode, 1 if lazy else i // 2 + 1, run_child(cache, lazy)))
    print(
        "\n| analysis cache | run | build s (CPU s) | texts lemmatised | spaCy loaded by the build "
        "| RSS after build MiB | load for questions s (CPU s) | RSS then MiB | first question ms "
        f"| next {len(QUESTIONS) - 1} questions: median / max ms |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for mode, run, r in rows:
        loading = "—" if mode == lazy_mode else f"{r['prepare_s']:.2f} ({r['prepare_cpu_s']:.2f})"
        print(
            f"| {mode} | {run} | {r['build_s']:.2f} ({r['build_cpu_s']:.2f}) | {r['lemmatised']} | "
            f"{'yes' if r['spacy_at_build'] else 'no'} | {r['rss_built']:.0f} | "
            f"{loading} | {r['rss_prepared']:.0f} | "
            f"{r['first_question_ms']:.0f} | "
            f"{r['question_ms_median']:.0f} / {r['question_ms_max']:.0f} |"
        )
    print(
        f"\nLoad average (1 min) {load_before:.1f} before the runs, {os.getloadavg()[0]:.1f} "
        f"after, on {os.cpu_count()} cores."
    )
    for mode in ("cold", "warm"):
        runs = [r for m, _, r in rows if m == mode]
        build = statistics.median(r["build_s"] for r in runs)
        total = statistics.median(r["build_s"] + r["prepare_s"] for r in runs)
        cpu = statistics.median(r["build_cpu_s"] + r["prepare_cpu_s"] for r in runs)
        print(
            f"- {mode}: median build {build:.2f} s, build + load for questions {total:.2f} s "
            f"({cpu:.2f} s of CPU) "
            f"(imports {statistics.median(r['import_s'] for r in runs):.2f} s before), RSS after "
            f"build {statistics.median(r['rss_built'] for r in runs):.0f} MiB, after loading "
            f"{statistics.median(r['rss_prepared'] for r in runs):.0f} MiB"
        )
    if not args.cache:
        shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
